// Disputes after completion, such as a ticket refused at the gate, and the cash that follows.
// Refunds and transfer reversals go through the real `stripe` SDK against msw. A reversal the
// connected account cannot cover becomes trader debt, and some payouts wait until after the event.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { balanceOf } from '../ledger/ledger.ts';
import { createEvent, insertListedTicket, type TestEvent } from '../testing/fixtures.ts';
import { createHarness, type Harness } from '../testing/harness.ts';
import { verifyStripeWebhook } from './stripe-adapter.ts';
import { StripeMock } from './testing/stripe-mock.ts';
import { payPayout, settleTradePayment } from './trade-payments.ts';
import { processStripeEvent } from './webhooks.ts';

type Trader = Awaited<ReturnType<Harness['createUser']>>;

const stripe = new StripeMock();
const day = 86_400_000;
let h: Harness;
let soon: TestEvent;
let later: TestEvent;

beforeAll(async () => {
  stripe.listen();
  h = await createHarness({}, { payments: stripe.adapter() });
  soon = await createEvent(h.db.prisma, { name: 'Gate Bowl', city: 'Omaha', startsAt: new Date(Date.now() + 2 * day) });
  later = await createEvent(h.db.prisma, { name: 'Late Show', city: 'Reno', startsAt: new Date(Date.now() + 40 * day) });
});

afterAll(async () => {
  await h?.close();
  stripe.close();
});

function listed(owner: Trader, valueMinor: number, event: TestEvent) {
  return insertListedTicket(h.db.prisma, { ownerId: owner.userId, eventId: event.id, valueMinor });
}

async function connect(trader: Trader) {
  await h.caller(trader).payments.connectAccount({
    refreshUrl: 'http://127.0.0.1:3000/payouts/retry',
    returnUrl: 'http://127.0.0.1:3000/payouts/done',
  });
  const { stripeAccountId } = await h.db.prisma.user.findUniqueOrThrow({
    where: { id: trader.userId },
    select: { stripeAccountId: true },
  });
  stripe.activateAccount(stripeAccountId!);

  return stripeAccountId!;
}

/**
 * Swaps Alice's ticket for Bob's dearer one with a top-up from Alice. Both transfers are
 * confirmed and the settlement runs, so Bob is paid unless his payout is held.
 */
async function completedCashTrade(options: {
  bob?: Trader;
  aliceValue?: number;
  bobValue?: number;
  bobEvent?: TestEvent;
} = {}) {
  const alice = await h.createUser({ name: 'Alice' });
  const bob = options.bob ?? await h.createUser({ name: 'Bob' });
  const bobAccount = options.bob ? null : await connect(bob);
  const aliceTicket = await listed(alice, options.aliceValue ?? 10_000, later);
  const bobTicket = await listed(bob, options.bobValue ?? 13_000, options.bobEvent ?? soon);
  const proposal = await h.caller(alice).proposals.create({ offeredTicketId: aliceTicket, wantedTicketId: bobTicket });
  await h.caller(bob).proposals.accept({ proposalId: proposal.id });
  const accepted = await h.caller(alice).proposals.accept({ proposalId: proposal.id });
  const intent = stripe.confirmCard(accepted.topUp!.providerPaymentId);
  const { payload, signature } = stripe.signedDelivery(stripe.event('payment_intent.amount_capturable_updated', intent));
  await processStripeEvent(h.services, verifyStripeWebhook(Buffer.from(payload), signature, 'whsec_test_mock_secret'), 'test');
  const { id: tradeId } = await h.db.prisma.trade.findUniqueOrThrow({ where: { proposalId: proposal.id } });

  const trade = await h.caller(alice).trades.get({ tradeId });
  for (const transfer of trade.transfers) {
    const sender = transfer.deposit.fromUserId === alice.userId ? alice : bob;
    const receiver = sender === alice ? bob : alice;
    await h.caller(sender).trades.markSent({ transferId: transfer.id, note: 'sent in the app' });
    await h.caller(receiver).trades.confirmReceived({ transferId: transfer.id });
  }
  const settled = await settleTradePayment(h.services, tradeId);

  return { alice, bob, bobAccount, aliceTicket, bobTicket, tradeId, settled };
}

async function report(reporter: Trader, tradeId: string, ticketId?: string) {
  return h.caller(reporter).trades.openDispute({
    tradeId,
    ticketId,
    reason: 'REFUSED_AT_GATE',
    note: 'The scanner at the gate said this barcode was already used.',
  });
}

async function rule(disputeId: string, outcome: 'COMPLETE' | 'RETURN_BOTH' | 'SPLIT') {
  const agent = await h.createUser({ role: 'SUPPORT' });
  await h.caller(agent).admin.disputes.resolve({ disputeId, outcome, note: 'Checked with the venue.' });
}

async function ledgerIsBalanced() {
  const unbalanced = await h.db.prisma.$queryRaw<unknown[]>`
    SELECT "journalId" FROM "LedgerEntry" GROUP BY "journalId", unit HAVING sum("amountMinor") <> 0`;
  const total = await h.db.prisma.ledgerEntry.groupBy({ by: ['unit'], _sum: { amountMinor: true } });

  return unbalanced.length === 0 && total.every((t) => t._sum.amountMinor === 0);
}

describe('reporting a ticket after completion', () => {
  it('report: receiver only, within window', async () => {
    const { alice, bob, aliceTicket, bobTicket, tradeId } = await completedCashTrade();
    const outsider = await h.createUser({});
    const forAlice = await h.caller(alice).trades.reportable({ tradeId });
    expect(forAlice.map((r) => r.ticketId)).toEqual([bobTicket]);
    expect(forAlice[0]?.until.getTime()).toBeGreaterThan(Date.now() + 6 * day);

    await expect(report(outsider, tradeId, bobTicket)).rejects.toMatchObject({ cause: { code: 'NOT_FOUND' } });
    // Alice gave this ticket; she cannot report it as not working for her.
    await expect(report(alice, tradeId, aliceTicket)).rejects.toMatchObject({ cause: { code: 'INVALID_INPUT' } });
    // Reports stay open seven days after completion, or two days after the event if later.
    h.setNow(new Date(Date.now() + 8 * day));
    try {
      await expect(report(alice, tradeId, bobTicket)).rejects.toMatchObject({ cause: { code: 'TRADE_STATE' } });
    } finally {
      h.setNow(new Date());
    }
    expect((await h.db.prisma.trade.findUniqueOrThrow({ where: { id: tradeId } })).state).toBe('COMPLETED');

    const dispute = await report(alice, tradeId, bobTicket);
    const stored = await h.db.prisma.dispute.findUniqueOrThrow({ where: { id: dispute.id } });
    expect(stored).toMatchObject({ afterCompletion: true, ticketId: bobTicket, openedById: alice.userId });
    expect((await h.db.prisma.trade.findUniqueOrThrow({ where: { id: tradeId } })).state).toBe('DISPUTED');
    await expect(report(bob, tradeId, aliceTicket)).rejects.toMatchObject({ cause: { code: 'TRADE_STATE' } });
  });

  it('report: one per ticket, held off market', async () => {
    const { alice, bob, aliceTicket, bobTicket, tradeId } = await completedCashTrade();
    await expect(h.caller(alice).trades.openDispute({
      tradeId,
      ticketId: bobTicket,
      reason: 'NOT_RECEIVED',
      note: 'It never arrived, although I confirmed it.',
    })).rejects.toMatchObject({ cause: { code: 'INVALID_INPUT' } });
    // A ticket put back on the market must be withdrawn before it is reported.
    await h.db.prisma.ticket.updateMany({
      where: { id: { in: [aliceTicket, bobTicket] } },
      data: { intakeStatus: 'READY' },
    });
    await h.caller(alice).tickets.list({ ticketId: bobTicket });
    await expect(report(alice, tradeId, bobTicket)).rejects.toMatchObject({ cause: { code: 'TICKET_NOT_AVAILABLE' } });
    await h.caller(alice).tickets.withdraw({ ticketId: bobTicket });
    const dispute = await report(alice, tradeId, bobTicket);

    // While the report is open, neither ticket of the trade goes back on the market.
    await expect(h.caller(bob).tickets.list({ ticketId: aliceTicket })).rejects.toMatchObject({
      cause: { code: 'TICKET_NOT_LISTABLE' },
    });
    await rule(dispute.id, 'COMPLETE');
    expect(await h.caller(alice).trades.reportable({ tradeId })).toEqual([]);
    await expect(report(alice, tradeId, bobTicket)).rejects.toMatchObject({ cause: { code: 'TRADE_STATE' } });
    // Bob may still report the ticket he received, once.
    expect((await h.caller(bob).trades.reportable({ tradeId })).map((r) => r.ticketId)).toEqual([aliceTicket]);
    await h.caller(bob).tickets.list({ ticketId: aliceTicket });
  });
});

describe('undoing a completed trade', () => {
  it('RETURN_BOTH: payout reversed, payer refunded', async () => {
    const { alice, bob, aliceTicket, bobTicket, tradeId, settled } = await completedCashTrade();
    expect(settled).toBe('paid');
    const dispute = await report(alice, tradeId, bobTicket);
    await rule(dispute.id, 'RETURN_BOTH');

    expect(await settleTradePayment(h.services, tradeId)).toBe('refunded');
    const reversals = stripe.requestsTo('POST', /^\/v1\/transfers\/.+\/reversals$/);
    expect(reversals.at(-1)).toMatchObject({ idempotencyKey: `trade:${tradeId}:reverse-transfer`, params: { amount: '3000' } });
    const payment = await h.db.prisma.payment.findFirstOrThrow({ where: { tradeId } });
    expect(payment.state).toBe('REFUNDED');
    const payout = await h.db.prisma.payout.findFirstOrThrow({ where: { tradeId } });
    expect(payout.state).toBe('REVERSED');
    expect(payout.providerReversalId).toMatch(/^trr_/);
    expect(await h.db.prisma.traderDebt.count({ where: { userId: bob.userId } })).toBe(0);

    const tickets = await h.db.prisma.ticket.findMany({ where: { id: { in: [aliceTicket, bobTicket] } } });
    const byId = Object.fromEntries(tickets.map((t) => [t.id, t]));
    // The ticket refused at the gate goes back to Bob as void; Alice's comes back withdrawn.
    expect(byId[bobTicket]).toMatchObject({ ownerId: bob.userId, state: 'EXPIRED' });
    expect(byId[aliceTicket]).toMatchObject({ ownerId: alice.userId, state: 'WITHDRAWN' });
    expect(await balanceOf(h.db.prisma, alice.userId, 'CREDIT')).toBe(0);
    expect(await balanceOf(h.db.prisma, bob.userId, 'CREDIT')).toBe(0);
    expect(await balanceOf(h.db.prisma, bob.userId, 'USD')).toBe(0);
    expect(await ledgerIsBalanced()).toBe(true);

    // A second run of the settlement job changes nothing and calls Stripe no more.
    const calls = stripe.requests.length;
    expect(await settleTradePayment(h.services, tradeId)).toBe('nothing-to-do');
    expect(stripe.requests.length).toBe(calls);
  });

  it('rejected reversal: debt, flag, repayment', async () => {
    const { alice, bob, bobAccount, bobTicket, tradeId } = await completedCashTrade();
    stripe.payOutToBank(bobAccount!);
    const dispute = await report(alice, tradeId, bobTicket);
    await rule(dispute.id, 'RETURN_BOTH');

    // Alice's refund does not wait for Bob's debt.
    expect(await settleTradePayment(h.services, tradeId)).toBe('refunded');
    const debt = await h.db.prisma.traderDebt.findFirstOrThrow({ where: { userId: bob.userId } });
    expect(debt).toMatchObject({ amountMinor: 3_000, recoveredMinor: 0, state: 'OPEN', tradeId });
    expect(await balanceOf(h.db.prisma, bob.userId, 'USD')).toBe(-3_000);
    const signal = await h.db.prisma.fraudSignal.findFirstOrThrow({ where: { userId: bob.userId } });
    expect(signal.kind).toBe('reversal_debt');
    const flagged = await h.db.prisma.fraudCase.findFirstOrThrow({ where: { userId: bob.userId } });
    expect(flagged).toMatchObject({ state: 'OPEN', action: 'payout.reversal_refused' });
    expect(await ledgerIsBalanced()).toBe(true);

    // Bob's next payout repays the debt first and only the rest reaches his account. He is
    // risky now, so that payout waits until after its event.
    const next = await completedCashTrade({ bob, aliceValue: 10_000, bobValue: 15_000, bobEvent: soon });
    expect(next.settled).toBe('payout-pending');
    const heldPayout = await h.db.prisma.payout.findFirstOrThrow({ where: { tradeId: next.tradeId } });
    expect(heldPayout).toMatchObject({ state: 'PENDING', holdReason: 'risky_seller' });
    expect(heldPayout.availableAt!.getTime()).toBe(soon.startsAt.getTime() + 2 * day);
    const transfersBefore = stripe.requestsTo('POST', /^\/v1\/transfers$/).length;
    h.setNow(new Date(soon.startsAt.getTime() + 3 * day));
    try {
      expect(await payPayout(h.services, heldPayout.id)).toBe('paid');
    } finally {
      h.setNow(new Date());
    }
    const transfers = stripe.requestsTo('POST', /^\/v1\/transfers$/);
    expect(transfers.length).toBe(transfersBefore + 1);
    expect(transfers.at(-1)?.params).toMatchObject({ amount: '2000', destination: bobAccount });
    const repaid = await h.db.prisma.traderDebt.findUniqueOrThrow({ where: { id: debt.id } });
    expect(repaid).toMatchObject({ state: 'SETTLED', recoveredMinor: 3_000 });
    expect(await h.db.prisma.payout.findUniqueOrThrow({ where: { id: heldPayout.id } })).toMatchObject({
      state: 'PAID',
      withheldMinor: 3_000,
    });
    expect(await balanceOf(h.db.prisma, bob.userId, 'USD')).toBe(0);
    expect(await ledgerIsBalanced()).toBe(true);
  });

  it('two payouts at once: debt repaid once', async () => {
    const { alice, bob, bobAccount, bobTicket, tradeId } = await completedCashTrade();
    stripe.payOutToBank(bobAccount!);
    await rule((await report(alice, tradeId, bobTicket)).id, 'RETURN_BOTH');
    await settleTradePayment(h.services, tradeId);
    const debt = await h.db.prisma.traderDebt.findFirstOrThrow({ where: { userId: bob.userId, state: 'OPEN' } });

    const first = await completedCashTrade({ bob, aliceValue: 10_000, bobValue: 12_000 });
    const second = await completedCashTrade({ bob, aliceValue: 10_000, bobValue: 12_000 });
    const payouts = await h.db.prisma.payout.findMany({
      where: { tradeId: { in: [first.tradeId, second.tradeId] } },
    });
    h.setNow(new Date(soon.startsAt.getTime() + 3 * day));
    try {
      const results = await Promise.all(payouts.map((p) => payPayout(h.services, p.id)));
      expect(results).toEqual(['paid', 'paid']);
    } finally {
      h.setNow(new Date());
    }
    const paid = await h.db.prisma.payout.findMany({ where: { id: { in: payouts.map((p) => p.id) } } });
    expect(paid.reduce((sum, p) => sum + p.withheldMinor, 0)).toBe(debt.amountMinor);
    const settled = await h.db.prisma.traderDebt.findUniqueOrThrow({ where: { id: debt.id } });
    expect(settled).toMatchObject({ state: 'SETTLED', recoveredMinor: debt.amountMinor });
    expect(await balanceOf(h.db.prisma, bob.userId, 'USD')).toBe(0);
    expect(await ledgerIsBalanced()).toBe(true);
  });

  it('SPLIT: reported leg undone, cash kept', async () => {
    const { alice, bob, aliceTicket, bobTicket, tradeId } = await completedCashTrade();
    // Bob received Alice's ticket and the cash; Alice's ticket failed for him.
    const dispute = await report(bob, tradeId, aliceTicket);
    await rule(dispute.id, 'SPLIT');

    expect(await settleTradePayment(h.services, tradeId)).toBe('paid');
    const payout = await h.db.prisma.payout.findFirstOrThrow({ where: { tradeId } });
    expect(payout.state).toBe('PAID');
    const tickets = await h.db.prisma.ticket.findMany({ where: { id: { in: [aliceTicket, bobTicket] } } });
    const byId = Object.fromEntries(tickets.map((t) => [t.id, t]));
    expect(byId[aliceTicket]).toMatchObject({ ownerId: alice.userId, state: 'EXPIRED' });
    expect(byId[bobTicket]).toMatchObject({ ownerId: alice.userId, state: 'TRANSFERRED' });
    // Bob gets back the credits he spent on Alice's ticket; Alice keeps Bob's ticket and pays for it.
    expect(await balanceOf(h.db.prisma, bob.userId, 'CREDIT')).toBe(13_000);
    expect(await balanceOf(h.db.prisma, alice.userId, 'CREDIT')).toBe(-13_000);
    expect(await ledgerIsBalanced()).toBe(true);
  });

  it('COMPLETE: payout waits, then paid', async () => {
    // Bob has no payout account yet, so his payout waits; he connects one during the dispute.
    const bob = await h.createUser({ name: 'Bob' });
    const { alice, bobTicket, tradeId, settled } = await completedCashTrade({ bob });
    expect(settled).toBe('payout-pending');
    const dispute = await report(alice, tradeId, bobTicket);
    await connect(bob);
    const payout = await h.db.prisma.payout.findFirstOrThrow({ where: { tradeId } });
    expect(await payPayout(h.services, payout.id)).toBe('waiting-for-dispute');

    await rule(dispute.id, 'COMPLETE');
    expect((await h.db.prisma.trade.findUniqueOrThrow({ where: { id: tradeId } })).state).toBe('COMPLETED');
    expect(await settleTradePayment(h.services, tradeId)).toBe('paid');
    expect(await h.db.prisma.payout.findUniqueOrThrow({ where: { id: payout.id } })).toMatchObject({ state: 'PAID' });
  });
});

describe('payout timing', () => {
  it('high-value payout: paid after event', async () => {
    const { tradeId, settled } = await completedCashTrade({ aliceValue: 100_000, bobValue: 150_000, bobEvent: later });
    expect(settled).toBe('payout-pending');
    const payout = await h.db.prisma.payout.findFirstOrThrow({ where: { tradeId } });
    expect(payout).toMatchObject({ state: 'PENDING', holdReason: 'high_value', amountMinor: 50_000 });
    expect(payout.availableAt!.getTime()).toBe(later.startsAt.getTime() + 2 * day);
    expect(await payPayout(h.services, payout.id)).toBe('held');
    const job = await h.db.prisma.$queryRaw<{ start_after: Date }[]>`
      SELECT start_after FROM pgboss.job WHERE name = 'payments.pay-payout' AND data->>'payoutId' = ${payout.id}`;
    expect(job[0]?.start_after.getTime()).toBe(payout.availableAt!.getTime());

    h.setNow(new Date(later.startsAt.getTime() + 3 * day));
    try {
      expect(await payPayout(h.services, payout.id)).toBe('paid');
    } finally {
      h.setNow(new Date());
    }
  });
});
