// Fraud cases and trader debts in the staff console. Each debt comes from the real flow: a
// completed cash trade whose ticket is reported after completion, a RETURN_BOTH ruling, and a
// transfer reversal that the test payments adapter rejects.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Actor } from '../context.ts';
import { balanceOf } from '../ledger/ledger.ts';
import { LocalTestPaymentsAdapter } from '../payments/local-adapter.ts';
import { payPayout, settleTradePayment } from '../payments/trade-payments.ts';
import { createEvent, insertListedTicket, type TestEvent } from '../testing/fixtures.ts';
import { createHarness, type Harness } from '../testing/harness.ts';

const day = 86_400_000;
/** Transfers whose reversal the adapter rejects, as if the trader had withdrawn the cash. */
const drainedTransfers = new Set<string>();
let h: Harness;
let event: TestEvent;
let support: Actor;
let compliance: Actor;
let admin: Actor;

beforeAll(async () => {
  h = await createHarness({}, {
    payments: new LocalTestPaymentsAdapter({ rejectReversal: (id) => drainedTransfers.has(id) }),
  });
  event = await createEvent(h.db.prisma, { name: 'Risk Review Cup', city: 'Boise' });
  support = await h.createUser({ role: 'SUPPORT', name: 'Sam Support' });
  compliance = await h.createUser({ role: 'COMPLIANCE', name: 'Cora Compliance' });
  admin = await h.createUser({ role: 'ADMIN', name: 'Ada Admin' });
});

afterAll(async () => {
  await h?.close();
});

function listedTicket(ownerId: string, valueMinor: number) {
  return insertListedTicket(h.db.prisma, { ownerId, eventId: event.id, valueMinor, section: '110' });
}

/** Runs the trade's settlement and pays its payouts, as the payment jobs would. */
async function settleCash(tradeId: string) {
  await settleTradePayment(h.services, tradeId);
  const payouts = await h.db.prisma.payout.findMany({ where: { tradeId }, select: { id: true } });
  for (const payout of payouts) {
    await payPayout(h.services, payout.id);
  }
}

/**
 * Alice swaps her ticket for Bob's dearer one and pays the difference in cash. Both transfers
 * are confirmed, and Bob's payout is paid to his connected account.
 */
async function completedCashTrade(alice: Actor, bob: Actor, aliceValue: number, bobValue: number) {
  const aliceTicket = await listedTicket(alice.userId, aliceValue);
  const bobTicket = await listedTicket(bob.userId, bobValue);
  const proposal = await h.caller(alice).proposals.create({
    offeredTicketId: aliceTicket,
    wantedTicketId: bobTicket,
  });
  await h.caller(alice).proposals.accept({ proposalId: proposal.id });
  await h.caller(bob).proposals.accept({ proposalId: proposal.id });
  const { id: tradeId } = await h.db.prisma.trade.findUniqueOrThrow({
    where: { proposalId: proposal.id },
    select: { id: true },
  });
  const trade = await h.caller(alice).trades.get({ tradeId });
  for (const transfer of trade.transfers) {
    const sender = transfer.deposit.fromUserId === alice.userId ? alice : bob;
    const receiver = sender === alice ? bob : alice;
    await h.caller(sender).trades.markSent({ transferId: transfer.id, note: 'sent in the app' });
    await h.caller(receiver).trades.confirmReceived({ transferId: transfer.id });
  }
  await settleCash(tradeId);

  return { tradeId, bobTicket };
}

/**
 * Leaves Bob owing $30: Alice reports his ticket after completion, support returns both
 * tickets, and Bob's connected account rejects the reversal of his $30 payout.
 */
async function traderWithDebt() {
  const alice = await h.createUser({ name: 'Alice' });
  const bob = await h.createUser({ name: 'Bob' });
  for (const trader of [alice, bob]) {
    await h.db.prisma.user.update({
      where: { id: trader.userId },
      data: { stripeAccountId: `acct_risk_${trader.userId.slice(0, 8)}` },
    });
  }
  const { tradeId, bobTicket } = await completedCashTrade(alice, bob, 10_000, 13_000);
  const paid = await h.db.prisma.payout.findFirstOrThrow({ where: { tradeId, state: 'PAID' } });
  drainedTransfers.add(paid.providerTransferId!);

  const dispute = await h.caller(alice).trades.openDispute({
    tradeId,
    ticketId: bobTicket,
    reason: 'REFUSED_AT_GATE',
    note: 'The gate scanner said this barcode was already used.',
  });
  await h.caller(support).admin.disputes.resolve({
    disputeId: dispute.id,
    outcome: 'RETURN_BOTH',
    note: 'The venue confirmed the barcode was used before.',
  });
  await settleCash(tradeId);
  const debt = await h.db.prisma.traderDebt.findFirstOrThrow({ where: { userId: bob.userId } });
  const fraudCase = await h.db.prisma.fraudCase.findFirstOrThrow({ where: { userId: bob.userId } });

  return { alice, bob, tradeId, debtId: debt.id, caseId: fraudCase.id };
}

async function ledgerIsBalanced() {
  const unbalanced = await h.db.prisma.$queryRaw<unknown[]>`
    SELECT "journalId" FROM "LedgerEntry" GROUP BY "journalId", unit HAVING sum("amountMinor") <> 0`;
  const totals = await h.db.prisma.ledgerEntry.groupBy({ by: ['unit'], _sum: { amountMinor: true } });

  return unbalanced.length === 0 && totals.every((total) => total._sum.amountMinor === 0);
}

async function platformFeesMinor() {
  const result = await h.db.prisma.ledgerEntry.aggregate({
    where: { account: 'PLATFORM_FEES', unit: 'USD' },
    _sum: { amountMinor: true },
  });

  return result._sum.amountMinor ?? 0;
}

describe('fraud case queue', () => {
  it('shows a refused reversal to compliance', async () => {
    const { bob, tradeId, debtId, caseId } = await traderWithDebt();

    const open = await h.caller(compliance).admin.fraudCases.list({ filter: { state: 'OPEN' } });
    const listed = open.data.find((entry) => entry.id === caseId);
    expect(listed).toMatchObject({
      state: 'OPEN',
      action: 'payout.reversal_refused',
      score: 0.5,
      user: { id: bob.userId, displayName: 'Bob', kycStatus: 'VERIFIED' },
      scoredSignals: [{ kind: 'reversal_debt', weight: 0.5 }],
    });
    expect(open.data.every((entry) => entry.state === 'OPEN')).toBe(true);

    const detail = await h.caller(compliance).admin.fraudCases.get({ id: caseId });
    expect(detail.user).toEqual({ id: bob.userId, displayName: 'Bob', kycStatus: 'VERIFIED' });
    expect(detail.signals).toHaveLength(1);
    expect(detail.signals[0]).toMatchObject({
      kind: 'reversal_debt',
      weight: 0.5,
      data: { debtId, tradeId, amountMinor: 3_000 },
    });
    expect(detail.openDebts).toHaveLength(1);
    expect(detail.openDebts[0]).toMatchObject({
      id: debtId,
      amountMinor: 3_000,
      recoveredMinor: 0,
      outstandingMinor: 3_000,
      tradeId,
    });
    const actions = detail.audit.map((entry) => entry.action);
    expect(actions).toContain('debt.recorded');
    expect(actions).toContain('payout.reversed');
    expect(detail.decisionNote).toBeNull();
  });

  it('lists open cases before decided ones', async () => {
    const first = await traderWithDebt();
    const second = await traderWithDebt();
    await h.caller(compliance).admin.fraudCases.decide({
      id: first.caseId,
      decision: 'CLEARED',
      note: 'The trader repaid by bank transfer.',
    });

    const all = await h.caller(compliance).admin.fraudCases.list({ perPage: 200 });
    const states = all.data.map((entry) => entry.state);
    expect(states.lastIndexOf('OPEN')).toBeLessThan(states.indexOf('CLEARED'));
    const ids = all.data.map((entry) => entry.id);
    expect(ids).toContain(second.caseId);
    expect(all.total).toBe(all.data.length);
  });

  it('rejects traders and support', async () => {
    const { bob, caseId } = await traderWithDebt();
    const decision = { id: caseId, decision: 'CLEARED' as const, note: 'Looks fine to me.' };

    await expect(h.caller(bob).admin.fraudCases.list({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(h.caller(bob).admin.fraudCases.get({ id: caseId }))
      .rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(h.caller(support).admin.fraudCases.list({}))
      .rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(h.caller(support).admin.fraudCases.decide(decision))
      .rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(h.caller(null).admin.fraudCases.list({}))
      .rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const stored = await h.db.prisma.fraudCase.findUniqueOrThrow({ where: { id: caseId } });
    expect(stored.state).toBe('OPEN');
  });

  it('reports a missing case as not found', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';

    await expect(h.caller(compliance).admin.fraudCases.get({ id: missing }))
      .rejects.toMatchObject({ cause: { code: 'NOT_FOUND' } });
    await expect(h.caller(compliance).admin.fraudCases.decide({
      id: missing,
      decision: 'CLEARED',
      note: 'No such case.',
    })).rejects.toMatchObject({ cause: { code: 'NOT_FOUND' } });
  });
});

describe('fraud case decisions', () => {
  it('clears a case once and keeps KYC', async () => {
    const { bob, caseId } = await traderWithDebt();
    h.setNow(new Date('2030-01-02T03:04:05Z'));
    let cleared;
    try {
      cleared = await h.caller(compliance).admin.fraudCases.decide({
        id: caseId,
        decision: 'CLEARED',
        note: 'Bank statement shows the cash was spent on rent.',
      });
    } finally {
      h.setNow(new Date());
    }

    expect(cleared.state).toBe('CLEARED');
    expect(cleared.reviewedBy).toEqual({ id: compliance.userId, displayName: 'Cora Compliance' });
    expect(cleared.reviewedAt).toEqual(new Date('2030-01-02T03:04:05Z'));
    expect(cleared.decisionNote).toBe('Bank statement shows the cash was spent on rent.');
    const audit = await h.db.prisma.auditLog.findFirstOrThrow({
      where: { entityType: 'FraudCase', entityId: caseId, action: 'fraud_case.decided' },
    });
    expect(audit).toMatchObject({
      actorId: compliance.userId,
      actorRole: 'COMPLIANCE',
      data: { decision: 'CLEARED', kycRejected: false, userId: bob.userId },
    });
    const user = await h.db.prisma.user.findUniqueOrThrow({ where: { id: bob.userId } });
    expect(user.kycStatus).toBe('VERIFIED');

    await expect(h.caller(admin).admin.fraudCases.decide({
      id: caseId,
      decision: 'CONFIRMED',
      note: 'Second look.',
    })).rejects.toMatchObject({ cause: { code: 'CONFLICT', message: expect.stringMatching(/already cleared/) } });
    const decisions = await h.db.prisma.auditLog.count({
      where: { entityType: 'FraudCase', entityId: caseId },
    });
    expect(decisions).toBe(1);
    expect((await h.db.prisma.user.findUniqueOrThrow({ where: { id: bob.userId } })).kycStatus)
      .toBe('VERIFIED');
  });

  it('confirming fraud stops the trader trading', async () => {
    const { alice, bob, caseId } = await traderWithDebt();
    const confirmed = await h.caller(admin).admin.fraudCases.decide({
      id: caseId,
      decision: 'CONFIRMED',
      note: 'Same pattern as two earlier accounts.',
    });

    expect(confirmed.state).toBe('CONFIRMED');
    expect(confirmed.user.kycStatus).toBe('REJECTED');
    const kycAudit = await h.db.prisma.auditLog.findFirstOrThrow({
      where: { entityType: 'User', entityId: bob.userId, action: 'user.kyc_changed' },
    });
    expect(kycAudit).toMatchObject({
      actorId: admin.userId,
      actorRole: 'ADMIN',
      data: { from: 'VERIFIED', to: 'REJECTED', note: 'Same pattern as two earlier accounts.' },
    });
    const kycEvent = await h.db.prisma.outboxEvent.findFirst({
      where: { type: 'user.kyc_changed', aggregateId: bob.userId },
    });
    expect(kycEvent).not.toBeNull();

    const bobTicket = await listedTicket(bob.userId, 10_000);
    const aliceTicket = await listedTicket(alice.userId, 10_000);
    await expect(h.caller(bob).proposals.create({
      offeredTicketId: bobTicket,
      wantedTicketId: aliceTicket,
    })).rejects.toMatchObject({ cause: { code: 'KYC_REQUIRED' } });

    await expect(h.caller(compliance).admin.fraudCases.decide({
      id: caseId,
      decision: 'CONFIRMED',
      note: 'Again.',
    })).rejects.toMatchObject({ cause: { code: 'CONFLICT' } });
    const kycChanges = await h.db.prisma.auditLog.count({
      where: { entityType: 'User', entityId: bob.userId, action: 'user.kyc_changed' },
    });
    expect(kycChanges).toBe(1);
  });

  it('accepts one of two racing decisions', async () => {
    const { bob, caseId } = await traderWithDebt();
    const results = await Promise.allSettled([
      h.caller(compliance).admin.fraudCases.decide({ id: caseId, decision: 'CONFIRMED', note: 'Fraud.' }),
      h.caller(admin).admin.fraudCases.decide({ id: caseId, decision: 'CLEARED', note: 'Fine.' }),
    ]);

    const fulfilled = results.filter((result) => result.status === 'fulfilled');
    const rejected = results.filter((result) => result.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ reason: { cause: { code: 'CONFLICT' } } });
    const stored = await h.db.prisma.fraudCase.findUniqueOrThrow({ where: { id: caseId } });
    const user = await h.db.prisma.user.findUniqueOrThrow({ where: { id: bob.userId } });
    expect(user.kycStatus).toBe(stored.state === 'CONFIRMED' ? 'REJECTED' : 'VERIFIED');
  });
});

describe('trader debts', () => {
  it('lets every staff role read debts', async () => {
    const { bob, tradeId, debtId } = await traderWithDebt();

    for (const actor of [support, compliance, admin]) {
      const open = await h.caller(actor).admin.debts.list({ filter: { state: 'OPEN', userId: bob.userId } });
      expect(open.total).toBe(1);
      expect(open.data[0]).toMatchObject({
        id: debtId,
        amountMinor: 3_000,
        outstandingMinor: 3_000,
        user: { id: bob.userId, displayName: 'Bob' },
        tradeId,
      });
    }
    const detail = await h.caller(support).admin.debts.get({ id: debtId });
    expect(detail.payout).toMatchObject({ state: 'REVERSED', amountMinor: 3_000, providerReversalId: null });
    expect(detail.audit.map((entry) => entry.action)).toEqual(['debt.recorded']);
    await expect(h.caller(bob).admin.debts.list({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(h.caller(bob).admin.debts.get({ id: debtId }))
      .rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('lets only admin write off', async () => {
    const { bob, debtId } = await traderWithDebt();

    for (const actor of [bob, support, compliance]) {
      await expect(h.caller(actor).admin.debts.writeOff({ id: debtId, note: 'Not worth chasing.' }))
        .rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    const stored = await h.db.prisma.traderDebt.findUniqueOrThrow({ where: { id: debtId } });
    expect(stored.state).toBe('OPEN');
    expect(await balanceOf(h.db.prisma, bob.userId, 'USD')).toBe(-3_000);
  });

  it('write-off balances the ledger', async () => {
    const { bob, debtId } = await traderWithDebt();
    expect(await balanceOf(h.db.prisma, bob.userId, 'USD')).toBe(-3_000);
    const feesBefore = await platformFeesMinor();

    const written = await h.caller(admin).admin.debts.writeOff({
      id: debtId,
      note: 'The trader closed the account; collection would cost more.',
    });

    expect(written).toMatchObject({ state: 'WRITTEN_OFF', outstandingMinor: 3_000 });
    expect(await balanceOf(h.db.prisma, bob.userId, 'USD')).toBe(0);
    expect(await platformFeesMinor()).toBe(feesBefore - 3_000);
    expect(await ledgerIsBalanced()).toBe(true);
    expect(written.audit[0]).toMatchObject({
      action: 'debt.written_off',
      actorId: admin.userId,
      actorRole: 'ADMIN',
      data: { debtId, outstandingMinor: 3_000, note: 'The trader closed the account; collection would cost more.' },
    });

    await expect(h.caller(admin).admin.debts.writeOff({ id: debtId, note: 'Again.' }))
      .rejects.toMatchObject({ cause: { code: 'CONFLICT' } });
    expect(await balanceOf(h.db.prisma, bob.userId, 'USD')).toBe(0);
    const journals = await h.db.prisma.ledgerJournal.count({ where: { kind: 'debt.written_off', memo: `debt ${debtId}` } });
    expect(journals).toBe(1);
    const open = await h.caller(admin).admin.debts.list({ filter: { state: 'OPEN', userId: bob.userId } });
    expect(open.total).toBe(0);
  });

  it('writes off only the part not yet repaid', async () => {
    const { alice, bob, debtId } = await traderWithDebt();
    // Bob's next top-up of $10 repays part of his $30 debt. He is risky now, so that payout
    // waits until after the event.
    const next = await completedCashTrade(alice, bob, 10_000, 11_000);
    h.setNow(new Date(event.startsAt.getTime() + 3 * day));
    try {
      await settleCash(next.tradeId);
    } finally {
      h.setNow(new Date());
    }
    const repaid = await h.db.prisma.traderDebt.findUniqueOrThrow({ where: { id: debtId } });
    expect(repaid).toMatchObject({ state: 'OPEN', recoveredMinor: 1_000 });
    expect(await balanceOf(h.db.prisma, bob.userId, 'USD')).toBe(-2_000);

    const written = await h.caller(admin).admin.debts.writeOff({ id: debtId, note: 'Rest is lost.' });

    expect(written).toMatchObject({ state: 'WRITTEN_OFF', recoveredMinor: 1_000, outstandingMinor: 2_000 });
    expect(await balanceOf(h.db.prisma, bob.userId, 'USD')).toBe(0);
    expect(await ledgerIsBalanced()).toBe(true);
  });

  it('rejects a write-off of a repaid debt', async () => {
    const { bob, debtId } = await traderWithDebt();
    await h.db.prisma.traderDebt.update({
      where: { id: debtId },
      data: { state: 'SETTLED', recoveredMinor: 3_000 },
    });

    await expect(h.caller(admin).admin.debts.writeOff({ id: debtId, note: 'Close it.' }))
      .rejects.toMatchObject({ cause: { code: 'CONFLICT', message: expect.stringMatching(/already repaid/) } });
    const journals = await h.db.prisma.ledgerJournal.count({ where: { memo: `debt ${debtId}` } });
    expect(journals).toBe(0);
    expect(await balanceOf(h.db.prisma, bob.userId, 'USD')).toBe(-3_000);
  });
});

describe('trade page payouts', () => {
  it('shows the reversed payout', async () => {
    const { bob, tradeId } = await traderWithDebt();

    const trade = await h.caller(support).admin.trades.get({ id: tradeId });

    expect(trade.payouts).toHaveLength(1);
    expect(trade.payouts[0]).toMatchObject({
      state: 'REVERSED',
      amountMinor: 3_000,
      withheldMinor: 0,
      providerReversalId: null,
      user: { id: bob.userId, displayName: 'Bob' },
    });
    expect(trade.payouts[0]?.reversedAt).toBeInstanceOf(Date);
    const debt = await h.db.prisma.traderDebt.findFirstOrThrow({ where: { tradeId } });
    expect(trade.payouts[0]?.debts).toEqual([{ id: debt.id, state: 'OPEN', amountMinor: 3_000 }]);
  });
});
