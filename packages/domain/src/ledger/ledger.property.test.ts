// Random sequences of trades, some with a cash top-up, end in completion, timeout or a dispute
// ruling, in escrow or after completion (with the payout's reversal accepted or rejected).
// Afterwards the ledger must balance and the cash be settled once. Every trader's cash must equal
// their unpaid payouts less their debts, and every ticket belong to one of its two traders.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEvent, type TestEvent } from '../testing/fixtures.ts';
import { createHarness, type Harness } from '../testing/harness.ts';
import { LocalTestPaymentsAdapter } from '../payments/local-adapter.ts';
import { payPayout, settleTradePayment } from '../payments/trade-payments.ts';
import { timeOutTrade } from '../trades/escrow.ts';

let h: Harness;
let event: TestEvent;
let serial = 0;
let tradesWithCash = 0;
let reportsAfterCompletion = 0;
/** Transfers whose reversal the test adapter refuses, as if the trader had withdrawn the cash. */
const drainedTransfers = new Set<string>();

beforeAll(async () => {
  h = await createHarness({}, {
    payments: new LocalTestPaymentsAdapter({ rejectReversal: (id) => drainedTransfers.has(id) }),
  });
  event = await createEvent(h.db.prisma, { name: 'Ledger Property Game', city: 'Tulsa' });
});

afterAll(async () => {
  await h.close();
});

type Ending = 'complete' | 'timeout' | 'COMPLETE' | 'RETURN_BOTH' | 'SPLIT';
type Outcome = 'COMPLETE' | 'RETURN_BOTH' | 'SPLIT';

interface Step {
  valueA: number;
  valueB: number;
  aliceSends: boolean;
  ending: Ending;
  /** After a completed trade: a receiver reports the ticket they got, and support rules. */
  report: { byAlice: boolean; outcome: Outcome; reversalRejected: boolean } | null;
}

/** Inserts a listed, valued ticket straight into the database; uploads are tested elsewhere. */
async function listedTicket(ownerId: string, valueMinor: number) {
  serial += 1;

  return h.db.prisma.ticket.create({
    data: {
      ownerId,
      uploadedById: ownerId,
      eventId: event.id,
      state: 'LISTED',
      section: 'Section 100',
      barcodeHash: `property-${serial}-${Date.now()}`,
      barcodeFormat: 'QRCode',
      fileSha256: `property-${serial}-${Date.now()}`,
      storageKey: 'none',
      mimeType: 'application/pdf',
      sizeBytes: 1,
      valueMinor,
      listedAt: new Date(),
    },
  });
}

/** Runs a finished trade's money jobs twice each, as a retried pg-boss job would. */
async function settleCash(tradeId: string) {
  for (let run = 0; run < 2; run += 1) {
    await settleTradePayment(h.services, tradeId);
    const payouts = await h.db.prisma.payout.findMany({ where: { tradeId }, select: { id: true } });
    for (const payout of payouts) {
      await payPayout(h.services, payout.id);
    }
  }
}

async function runStep(step: Step) {
  const alice = await h.createUser({});
  const bob = await h.createUser({});
  // Test payout accounts, so a receiver's payout can be paid and not just left pending.
  for (const trader of [alice, bob]) {
    await h.db.prisma.user.update({
      where: { id: trader.userId },
      data: { stripeAccountId: `acct_property_${trader.userId.slice(0, 8)}` },
    });
  }
  const support = await h.createUser({ role: 'SUPPORT' });
  const ticketA = await listedTicket(alice.userId, step.valueA);
  const ticketB = await listedTicket(bob.userId, step.valueB);
  const proposal = await h.caller(alice).proposals.create({
    offeredTicketId: ticketA.id,
    wantedTicketId: ticketB.id,
  });
  await h.caller(alice).proposals.accept({ proposalId: proposal.id });
  await h.caller(bob).proposals.accept({ proposalId: proposal.id });
  // With a top-up, bob's acceptance puts a hold on the payer's card, and test mode opens the trade.
  const opened = await h.db.prisma.trade.findUniqueOrThrow({
    where: { proposalId: proposal.id },
    select: { id: true },
  });
  const tradeId = opened.id;
  const trade = await h.caller(alice).trades.get({ tradeId });
  const aliceTransfer = trade.transfers.find((t) => t.deposit.fromUserId === alice.userId)!;
  const bobTransfer = trade.transfers.find((t) => t.deposit.fromUserId === bob.userId)!;

  if (step.aliceSends) {
    await h.caller(alice).trades.markSent({ transferId: aliceTransfer.id, note: 'sent' });
    await h.caller(bob).trades.confirmReceived({ transferId: aliceTransfer.id });
  }
  if (step.ending === 'complete') {
    await h.caller(bob).trades.markSent({ transferId: bobTransfer.id, note: 'sent' });
    if (!step.aliceSends) {
      await h.caller(alice).trades.markSent({ transferId: aliceTransfer.id, note: 'sent' });
      await h.caller(bob).trades.confirmReceived({ transferId: aliceTransfer.id });
    }
    await h.caller(alice).trades.confirmReceived({ transferId: bobTransfer.id });
  } else if (step.ending === 'timeout') {
    h.setNow(new Date(Date.now() + (h.services.config.escrowHours + 1) * 3_600_000));
    try {
      await timeOutTrade(h.services, tradeId);
    } finally {
      h.setNow(new Date());
    }
  } else {
    const dispute = await h.caller(bob).trades.openDispute({
      tradeId,
      reason: 'OTHER',
      note: 'Property test dispute.',
    });
    await h.caller(support).admin.disputes.resolve({
      disputeId: dispute.id,
      outcome: step.ending,
      note: 'Property test ruling.',
    });
  }

  await settleCash(tradeId);
  if (step.ending === 'complete' && step.report) {
    await reportAfterCompletion(tradeId, step.report, step.report.byAlice
      ? { reporter: alice, ticketId: ticketB.id }
      : { reporter: bob, ticketId: ticketA.id }, support);
  }

  return { alice, bob, ticketA, ticketB, tradeId, cashDiffMinor: proposal.cashDiffMinor };
}

async function reportAfterCompletion(
  tradeId: string,
  report: NonNullable<Step['report']>,
  by: { reporter: Awaited<ReturnType<Harness['createUser']>>; ticketId: string },
  support: Awaited<ReturnType<Harness['createUser']>>,
) {
  reportsAfterCompletion += 1;
  if (report.reversalRejected) {
    const paid = await h.db.prisma.payout.findMany({ where: { tradeId, state: 'PAID' } });
    for (const payout of paid) {
      drainedTransfers.add(payout.providerTransferId!);
    }
  }
  const dispute = await h.caller(by.reporter).trades.openDispute({
    tradeId,
    ticketId: by.ticketId,
    reason: 'REFUSED_AT_GATE',
    note: 'Property test: the gate refused this ticket.',
  });
  await h.caller(support).admin.disputes.resolve({
    disputeId: dispute.id,
    outcome: report.outcome,
    note: 'Property test ruling after completion.',
  });
  await settleCash(tradeId);
}

/** Checks one trade's money: one capture at most, and captured exactly when it completed. */
async function expectCashSettled(tradeId: string, cashDiffMinor: number) {
  const trade = await h.db.prisma.trade.findUniqueOrThrow({
    where: { id: tradeId },
    select: {
      state: true,
      payments: { select: { state: true, amountMinor: true } },
    },
  });
  const payouts = await h.db.prisma.payout.findMany({ where: { tradeId }, select: { state: true } });
  if (cashDiffMinor === 0) {
    expect(trade.payments).toHaveLength(0);

    return;
  }
  tradesWithCash += 1;
  expect(trade.payments).toHaveLength(1);
  const [payment] = trade.payments;
  expect(payment?.amountMinor).toBe(cashDiffMinor);
  if (trade.state === 'COMPLETED') {
    expect(payment?.state).toBe('CAPTURED');
    expect(payouts.filter((p) => p.state === 'PAID')).toHaveLength(1);
  }
  if (trade.state === 'TIMED_OUT' || trade.state === 'RETURNED') {
    expect(['CANCELLED', 'REFUNDED']).toContain(payment?.state);
    // No cash stays with the receiver: a payout made before a ruling after completion is reversed.
    expect(payouts.filter((p) => p.state !== 'REVERSED')).toHaveLength(0);
  }
}

/** Checks that a trader's cash is what they are still to be paid, less what they owe. */
async function expectCashMatchesPayoutsAndDebts(userId: string) {
  const [cash, pending, debts] = await Promise.all([
    h.db.prisma.ledgerEntry.aggregate({ where: { userId, unit: 'USD' }, _sum: { amountMinor: true } }),
    h.db.prisma.payout.aggregate({ where: { userId, state: 'PENDING' }, _sum: { amountMinor: true } }),
    h.db.prisma.traderDebt.findMany({ where: { userId, state: 'OPEN' } }),
  ]);
  const owed = debts.reduce((sum, d) => sum + d.amountMinor - d.recoveredMinor, 0);
  expect(cash._sum.amountMinor ?? 0).toBe((pending._sum.amountMinor ?? 0) - owed);
}

const stepArbitrary = fc.record({
  valueA: fc.integer({ min: 5_000, max: 50_000 }),
  // Up to ±40 % apart in basis points, so some swaps carry a cash top-up (over 3 %).
  valueB: fc.integer({ min: -4_000, max: 4_000 }),
  aliceSends: fc.boolean(),
  ending: fc.constantFrom<Ending>('complete', 'timeout', 'COMPLETE', 'RETURN_BOTH', 'SPLIT'),
  report: fc.option(fc.record({
    byAlice: fc.boolean(),
    outcome: fc.constantFrom<Outcome>('COMPLETE', 'RETURN_BOTH', 'SPLIT'),
    reversalRejected: fc.boolean(),
  }), { freq: 2 }),
}).map((step) => ({ ...step, valueB: Math.round(step.valueA * (1 + step.valueB / 10_000)) }));

describe('ledger under random trade sequences', () => {
  it('keeps ledger, cash and tickets consistent', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary, { minLength: 1, maxLength: 3 }), async (steps) => {
        for (const step of steps) {
          const { alice, bob, ticketA, ticketB, tradeId, cashDiffMinor } = await runStep(step);
          await expectCashSettled(tradeId, cashDiffMinor);
          const owners = await h.db.prisma.ticket.findMany({
            where: { id: { in: [ticketA.id, ticketB.id] } },
            select: { ownerId: true },
          });
          expect(owners).toHaveLength(2);
          for (const owner of owners) {
            expect([alice.userId, bob.userId]).toContain(owner.ownerId);
          }
          await expectCashMatchesPayoutsAndDebts(alice.userId);
          await expectCashMatchesPayoutsAndDebts(bob.userId);
        }

        const unbalanced = await h.db.prisma.$queryRaw<unknown[]>`
          SELECT "journalId" FROM "LedgerEntry" GROUP BY "journalId", unit
          HAVING sum("amountMinor") <> 0`;
        expect(unbalanced).toEqual([]);
        const [platform] = await h.db.prisma.$queryRaw<{ total: bigint | null }[]>`
          SELECT sum("amountMinor") AS total FROM "LedgerEntry"`;
        expect(Number(platform?.total ?? 0)).toBe(0);
        // The escrow account balance equals the value of the deposits still HELD.
        const [escrow] = await h.db.prisma.$queryRaw<{ total: bigint | null }[]>`
          SELECT sum("amountMinor") AS total FROM "LedgerEntry" WHERE account = 'ESCROW_CREDITS'`;
        const held = await h.db.prisma.escrowDeposit.aggregate({
          where: { state: 'HELD' },
          _sum: { valueMinor: true },
        });
        expect(Number(escrow?.total ?? 0) + (held._sum.valueMinor ?? 0)).toBe(0);
      }),
      { numRuns: 15, seed: Number(process.env.PROPERTY_SEED ?? 20261204) },
    );
    // The drawn values must have produced top-ups, or the cash checks above never ran.
    expect(tradesWithCash).toBeGreaterThan(0);
    expect(reportsAfterCompletion).toBeGreaterThan(0);
  });
});
