// Cash top-ups end to end through the real `stripe` SDK, served by msw handlers that speak
// Stripe's wire format, on the real Postgres, Redis and pg-boss.
import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { expireProposals } from '../trades/proposals.ts';
import { timeOutTrade } from '../trades/escrow.ts';
import { createEvent, insertListedTicket, type TestEvent } from '../testing/fixtures.ts';
import { createHarness, type Harness } from '../testing/harness.ts';
import { cancelUnusedTopUpJob, captureBeforeLapseJob, settleTradePaymentJob } from './jobs.ts';
import { verifyStripeWebhook } from './stripe-adapter.ts';
import { StripeMock } from './testing/stripe-mock.ts';
import { cancelUnusedTopUp } from './topup.ts';
import { captureBeforeLapse, payPayout, settleTradePayment } from './trade-payments.ts';
import { processStripeEvent } from './webhooks.ts';

type Trader = Awaited<ReturnType<Harness['createUser']>>;

const stripe = new StripeMock();
let h: Harness;
let event: TestEvent;

beforeAll(async () => {
  stripe.listen();
  h = await createHarness({}, { payments: stripe.adapter() });
  event = await createEvent(h.db.prisma, { name: 'Cash Bowl', city: 'Tulsa' });
});

afterAll(async () => {
  await h?.close();
  stripe.close();
});

/** Writes a listed ticket straight to the database; intake has its own tests. */
function listed(owner: Trader, valueMinor: number, faceValueMinor: number | null = null) {
  return insertListedTicket(h.db.prisma, { ownerId: owner.userId, eventId: event.id, valueMinor, faceValueMinor });
}

/** Verifies a signed delivery as the HTTP route does, then applies it. */
async function deliver(type: string, object: { id: string } & Record<string, unknown>, id?: string) {
  const { payload, signature } = stripe.signedDelivery(stripe.event(type, object, id));
  const verified = verifyStripeWebhook(Buffer.from(payload), signature, 'whsec_test_mock_secret');

  return processStripeEvent(h.services, verified, 'test-webhook');
}

/** Alice (a $100 ticket) proposes a swap for Bob's $130 ticket; both accept. */
async function acceptedCashProposal() {
  const alice = await h.createUser({ name: 'Alice' });
  const bob = await h.createUser({ name: 'Bob' });
  const aliceTicket = await listed(alice, 10_000);
  const bobTicket = await listed(bob, 13_000);
  const proposal = await h.caller(alice).proposals.create({
    offeredTicketId: aliceTicket,
    wantedTicketId: bobTicket,
  });
  await h.caller(bob).proposals.accept({ proposalId: proposal.id });
  const accepted = await h.caller(alice).proposals.accept({ proposalId: proposal.id });

  return { alice, bob, proposal, accepted, topUp: accepted.topUp! };
}

/** Accepts a cash proposal and confirms the payer's card hold, which opens the trade. */
async function openCashTrade() {
  const parties = await acceptedCashProposal();
  const intent = stripe.confirmCard(parties.topUp.providerPaymentId);
  await deliver('payment_intent.amount_capturable_updated', intent);
  const trade = await h.db.prisma.trade.findUniqueOrThrow({
    where: { proposalId: parties.proposal.id },
    select: { id: true },
  });

  return { ...parties, intent, tradeId: trade.id };
}

async function connectBob(bob: Trader) {
  await h.caller(bob).payments.connectAccount({
    refreshUrl: 'http://127.0.0.1:3000/payouts/retry',
    returnUrl: 'http://127.0.0.1:3000/payouts/done',
  });
  const { stripeAccountId } = await h.db.prisma.user.findUniqueOrThrow({
    where: { id: bob.userId },
    select: { stripeAccountId: true },
  });

  return stripe.activateAccount(stripeAccountId!);
}

async function completeTrade(tradeId: string, alice: Trader, bob: Trader) {
  const trade = await h.caller(alice).trades.get({ tradeId });
  for (const transfer of trade.transfers) {
    const sender = transfer.deposit.fromUserId === alice.userId ? alice : bob;
    const receiver = sender === alice ? bob : alice;
    await h.caller(sender).trades.markSent({ transferId: transfer.id, note: 'sent in the app' });
    await h.caller(receiver).trades.confirmReceived({ transferId: transfer.id });
  }
}

async function usdRows(tradeId: string) {
  return h.db.prisma.ledgerEntry.findMany({
    where: { unit: 'USD', journal: { tradeId } },
    select: { account: true, userId: true, amountMinor: true, journal: { select: { kind: true } } },
  });
}

async function usdTotal(): Promise<number> {
  const sum = await h.db.prisma.ledgerEntry.aggregate({ where: { unit: 'USD' }, _sum: { amountMinor: true } });

  return sum._sum.amountMinor ?? 0;
}

function accountTotal(rows: Awaited<ReturnType<typeof usdRows>>, account: string, userId?: string) {
  return rows
    .filter((r) => r.account === account && (userId === undefined || r.userId === userId))
    .reduce((sum, r) => sum + r.amountMinor, 0);
}

async function paymentOf(tradeId: string) {
  return h.db.prisma.payment.findFirstOrThrow({ where: { tradeId } });
}

describe('cash terms of a direct proposal', () => {
  it('records the difference and the payer beyond the tolerance', async () => {
    const { proposal, alice } = await acceptedCashProposal();

    expect(proposal.cashDiffMinor).toBe(3_000);
    expect(proposal.payerId).toBe(alice.userId);
  });

  it('rejects a gap wider than the cash limit', async () => {
    const alice = await h.createUser({});
    const bob = await h.createUser({});
    const offered = await listed(alice, 5_000);
    const wanted = await listed(bob, 13_000);

    await expect(
      h.caller(alice).proposals.create({ offeredTicketId: offered, wantedTicketId: wanted }),
    ).rejects.toMatchObject({ cause: { code: 'INVALID_INPUT' } });
  });

  it('rejects a top-up beyond the face-value cap', async () => {
    await h.db.prisma.jurisdictionRule.upsert({
      where: { code: 'US-CAPPED' },
      create: { code: 'US-CAPPED', name: 'Capped at face', maxPercentOfFace: 100 },
      update: {},
    });
    const alice = await h.createUser({});
    const bob = await h.createUser({});
    await h.db.prisma.user.update({ where: { id: bob.userId }, data: { jurisdiction: 'US-CAPPED' } });
    const offered = await listed(alice, 10_000);
    const wanted = await listed(bob, 13_000, 12_000);

    await expect(
      h.caller(alice).proposals.create({ offeredTicketId: offered, wantedTicketId: wanted }),
    ).rejects.toMatchObject({ cause: { code: 'VALUE_OVER_CAP' } });
  });
});

describe('top-up through Stripe', () => {
  it('requests a manual-capture hold when both sides accept', async () => {
    const { proposal, topUp } = await acceptedCashProposal();

    expect(topUp.status).toBe('requires_payment_method');
    expect(topUp.clientSecret).toMatch(/^pi_.+_secret_/);
    expect(topUp.tradeId).toBeNull();
    const [created] = stripe.requestsTo('POST', /^\/v1\/payment_intents$/).filter(
      (r) => r.idempotencyKey === `proposal:${proposal.id}:authorize`,
    );
    expect(created?.params).toMatchObject({ amount: '3000', currency: 'usd', capture_method: 'manual' });
    const stored = await h.db.prisma.proposal.findUniqueOrThrow({ where: { id: proposal.id } });
    expect(stored.state).toBe('OPEN');
    expect(await h.db.prisma.trade.count({ where: { proposalId: proposal.id } })).toBe(0);
  });

  it('returns the same PaymentIntent when the payer asks again', async () => {
    const { alice, bob, proposal, topUp } = await acceptedCashProposal();

    const again = await h.caller(alice).payments.topUp({ proposalId: proposal.id });
    expect(again.providerPaymentId).toBe(topUp.providerPaymentId);
    expect(again.clientSecret).toBe(topUp.clientSecret);
    expect(stripe.requests.at(-1)?.replayed).toBe(true);
    await expect(h.caller(bob).payments.topUp({ proposalId: proposal.id })).rejects.toMatchObject({
      cause: { code: 'NOT_FOUND' },
    });
  });

  it('opens the trade when the hold webhook arrives', async () => {
    const { tradeId, topUp, alice } = await openCashTrade();

    const payment = await paymentOf(tradeId);
    expect(payment.state).toBe('AUTHORIZED');
    expect(payment.providerPaymentId).toBe(topUp.providerPaymentId);
    expect(payment.payerId).toBe(alice.userId);
    const trade = await h.db.prisma.trade.findUniqueOrThrow({ where: { id: tradeId } });
    expect(trade.state).toBe('ESCROWED');
    const [capture] = await h.boss.findJobs(captureBeforeLapseJob, { data: { tradeId } });
    const holdHours = (capture!.startAfter.getTime() - payment.authorizedAt!.getTime()) / 3_600_000;
    expect(holdHours).toBeCloseTo(h.services.config.captureBeforeLapseHours, 3);
  });

  it('captures and transfers to the receiver on completion', async () => {
    const { tradeId, alice, bob } = await openCashTrade();
    const account = await connectBob(bob);
    expect(await deliver('account.updated', account)).toBe('ignored');

    await completeTrade(tradeId, alice, bob);
    const queued = await h.boss.findJobs(settleTradePaymentJob, { data: { tradeId } });
    expect(queued).toHaveLength(1);
    expect(await settleTradePayment(h.services, tradeId)).toBe('paid');

    const capture = stripe.requestsTo('POST', /\/capture$/).find(
      (r) => r.idempotencyKey === `trade:${tradeId}:capture`,
    );
    expect(capture).toBeDefined();
    const transfer = stripe.requestsTo('POST', /^\/v1\/transfers$/).find(
      (r) => r.idempotencyKey === `trade:${tradeId}:transfer:${bob.userId}`,
    );
    expect(transfer?.params).toMatchObject({ amount: '3000', destination: account.id });
    expect((await paymentOf(tradeId)).state).toBe('CAPTURED');
    const payout = await h.db.prisma.payout.findFirstOrThrow({ where: { tradeId } });
    expect(payout.state).toBe('PAID');
    expect(payout.userId).toBe(bob.userId);
    const rows = await usdRows(tradeId);
    expect(rows.map((r) => r.journal.kind)).toEqual(expect.arrayContaining([
      'topup.captured', 'topup.released', 'payout.paid',
    ]));
    expect(accountTotal(rows, 'ESCROW_CASH')).toBe(0);
    expect(accountTotal(rows, 'TRADER_CASH', bob.userId)).toBe(0);
    expect(await usdTotal()).toBe(0);
  });

  it('changes nothing when settlement or the capture webhook repeats', async () => {
    const { tradeId, alice, bob, intent } = await openCashTrade();
    await connectBob(bob);
    await completeTrade(tradeId, alice, bob);
    await settleTradePayment(h.services, tradeId);
    const requestsBefore = stripe.requests.filter((r) => !r.replayed).length;
    const rowsBefore = (await usdRows(tradeId)).length;

    expect(await settleTradePayment(h.services, tradeId)).toBe('paid');
    const captured = stripe.intents.get(intent.id)!;
    expect(await deliver('payment_intent.succeeded', captured)).toBe('ignored');
    expect(stripe.requests.filter((r) => !r.replayed).length).toBe(requestsBefore);
    expect((await usdRows(tradeId)).length).toBe(rowsBefore);
  });

  it('cancels the hold when the escrow times out', async () => {
    const { tradeId, intent } = await openCashTrade();
    const trade = await h.db.prisma.trade.findUniqueOrThrow({ where: { id: tradeId } });
    h.setNow(new Date(trade.releaseDeadline.getTime() + 60_000));
    try {
      expect(await timeOutTrade(h.services, tradeId)).toBe(true);
    } finally {
      h.setNow(new Date());
    }

    expect(await settleTradePayment(h.services, tradeId)).toBe('cancelled');
    const cancel = stripe.requestsTo('POST', /\/cancel$/).find(
      (r) => r.idempotencyKey === `trade:${tradeId}:cancel`,
    );
    expect(cancel).toBeDefined();
    expect(stripe.intents.get(intent.id)?.status).toBe('canceled');
    expect((await paymentOf(tradeId)).state).toBe('CANCELLED');
    expect(await usdRows(tradeId)).toEqual([]);
    // A hold event delivered late, after the cancellation, moves nothing back.
    expect(await deliver('payment_intent.amount_capturable_updated', intent)).toBe('ignored');
    expect((await paymentOf(tradeId)).state).toBe('CANCELLED');
  });

  it('refunds an early capture when support returns both tickets', async () => {
    const { tradeId, alice } = await openCashTrade();
    expect(await captureBeforeLapse(h.services, tradeId)).toBe(true);
    expect((await paymentOf(tradeId)).state).toBe('CAPTURED');
    expect(accountTotal(await usdRows(tradeId), 'ESCROW_CASH')).toBe(3_000);

    const dispute = await h.caller(alice).trades.openDispute({
      tradeId,
      reason: 'NOT_RECEIVED',
      note: 'Nothing arrived after three days of waiting.',
    });
    const agent = await h.createUser({ role: 'SUPPORT' });
    await h.caller(agent).admin.disputes.resolve({
      disputeId: dispute.id,
      outcome: 'RETURN_BOTH',
      note: 'Neither transfer happened.',
    });
    expect(await settleTradePayment(h.services, tradeId)).toBe('refunded');

    const refund = stripe.requestsTo('POST', /^\/v1\/refunds$/).find(
      (r) => r.idempotencyKey === `trade:${tradeId}:refund`,
    );
    expect(refund).toBeDefined();
    expect((await paymentOf(tradeId)).state).toBe('REFUNDED');
    const rows = await usdRows(tradeId);
    expect(accountTotal(rows, 'ESCROW_CASH')).toBe(0);
    expect(accountTotal(rows, 'CARD_CLEARING')).toBe(0);
    expect(await usdTotal()).toBe(0);
  });

  it('cancels the hold on a split without the payer\'s ticket', async () => {
    const { tradeId, alice, bob } = await openCashTrade();
    const trade = await h.caller(alice).trades.get({ tradeId });
    const aliceToBob = trade.transfers.find((t) => t.deposit.fromUserId === alice.userId)!;
    await h.caller(alice).trades.markSent({ transferId: aliceToBob.id, note: 'sent in the app' });
    await h.caller(bob).trades.confirmReceived({ transferId: aliceToBob.id });
    const dispute = await h.caller(alice).trades.openDispute({
      tradeId,
      reason: 'NOT_RECEIVED',
      note: 'Bob never sent his ticket to me.',
    });
    const agent = await h.createUser({ role: 'SUPPORT' });
    await h.caller(agent).admin.disputes.resolve({ disputeId: dispute.id, outcome: 'SPLIT', note: 'Split.' });

    expect(await settleTradePayment(h.services, tradeId)).toBe('cancelled');
    expect((await paymentOf(tradeId)).state).toBe('CANCELLED');
    expect(await h.db.prisma.payout.count({ where: { tradeId } })).toBe(0);
  });

  it('keeps the payout pending for an unverified receiver', async () => {
    const { tradeId, alice, bob } = await openCashTrade();
    await connectBob(bob);
    await completeTrade(tradeId, alice, bob);
    await h.db.prisma.user.update({ where: { id: bob.userId }, data: { kycStatus: 'PENDING' } });
    const transfersBefore = stripe.requestsTo('POST', /^\/v1\/transfers$/).length;

    expect(await settleTradePayment(h.services, tradeId)).toBe('payout-pending');
    expect(stripe.requestsTo('POST', /^\/v1\/transfers$/)).toHaveLength(transfersBefore);
    const payout = await h.db.prisma.payout.findFirstOrThrow({ where: { tradeId } });
    expect(payout.state).toBe('PENDING');
    expect(accountTotal(await usdRows(tradeId), 'TRADER_CASH', bob.userId)).toBe(3_000);

    await h.db.prisma.user.update({ where: { id: bob.userId }, data: { kycStatus: 'VERIFIED' } });
    expect(await payPayout(h.services, payout.id)).toBe('paid');
    expect(accountTotal(await usdRows(tradeId), 'TRADER_CASH', bob.userId)).toBe(0);
  });

  it('pays a waiting payout when the account update webhook arrives', async () => {
    const { tradeId, alice, bob } = await openCashTrade();
    await h.caller(bob).payments.connectAccount({
      refreshUrl: 'http://127.0.0.1:3000/payouts/retry',
      returnUrl: 'http://127.0.0.1:3000/payouts/done',
    });
    await completeTrade(tradeId, alice, bob);
    expect(await settleTradePayment(h.services, tradeId)).toBe('payout-pending');
    const payout = await h.db.prisma.payout.findFirstOrThrow({ where: { tradeId } });
    const { stripeAccountId } = await h.db.prisma.user.findUniqueOrThrow({ where: { id: bob.userId } });

    expect(await deliver('account.updated', stripe.activateAccount(stripeAccountId!))).toBe('applied');
    const [job] = await h.boss.findJobs('payments.pay-payout', { data: { payoutId: payout.id } });
    expect(job).toBeDefined();
    expect(await payPayout(h.services, payout.id)).toBe('paid');
  });
});

describe('Stripe adapter', () => {
  it('reverses a transfer under its own key', async () => {
    const bob = await h.createUser({});
    const account = await connectBob(bob);
    const adapter = h.services.payments;
    const transfer = await adapter.transfer({
      destinationAccountId: account.id,
      amountMinor: 2_500,
      currency: 'usd',
      transferGroup: 'trade:reversal-test',
      idempotencyKey: 'trade:reversal-test:transfer',
    });

    const reversal = await adapter.reverseTransfer({
      providerTransferId: transfer.providerTransferId,
      idempotencyKey: 'trade:reversal-test:reverse-transfer',
    });
    expect(reversal.reversalId).toMatch(/^trr_/);
    expect(stripe.transfers.get(transfer.providerTransferId)?.reversed).toBe(true);
    const again = await adapter.reverseTransfer({
      providerTransferId: transfer.providerTransferId,
      idempotencyKey: 'trade:reversal-test:reverse-transfer',
    });
    expect(again.reversalId).toBe(reversal.reversalId);
  });

  it('rejects a reused key with other parameters', async () => {
    const first = { paymentId: 'p1', amountMinor: 1_000, currency: 'usd', metadata: {} };
    await h.services.payments.authorizeTopUp({ ...first, idempotencyKey: 'proposal:reuse:authorize' });

    await expect(h.services.payments.authorizeTopUp({
      ...first,
      amountMinor: 2_000,
      idempotencyKey: 'proposal:reuse:authorize',
    })).rejects.toThrow(/same parameters/);
  });
});

describe('Stripe webhooks', () => {
  it('applies a duplicate delivery once', async () => {
    const { proposal, topUp } = await acceptedCashProposal();
    const intent = stripe.confirmCard(topUp.providerPaymentId);
    const eventId = `evt_dup_${randomBytes(6).toString('hex')}`;

    expect(await deliver('payment_intent.amount_capturable_updated', intent, eventId)).toBe('applied');
    expect(await deliver('payment_intent.amount_capturable_updated', intent, eventId)).toBe('duplicate');
    expect(await h.db.prisma.trade.count({ where: { proposalId: proposal.id } })).toBe(1);
    const stored = await h.db.prisma.webhookEvent.findUniqueOrThrow({ where: { id: eventId } });
    expect(stored.processedAt).not.toBeNull();
  });

  it('opens no trade from a hold cancelled before its event arrived', async () => {
    const { proposal, topUp } = await acceptedCashProposal();
    const held = stripe.confirmCard(topUp.providerPaymentId);
    await h.services.payments.cancel({ providerPaymentId: held.id, idempotencyKey: 'test-cancel' });

    expect(await deliver('payment_intent.canceled', stripe.intents.get(held.id)!)).toBe('ignored');
    expect(await deliver('payment_intent.amount_capturable_updated', held)).toBe('ignored');
    expect(await h.db.prisma.trade.count({ where: { proposalId: proposal.id } })).toBe(0);
  });

  it('cancels a hold that arrives after its proposal expired', async () => {
    const { proposal, topUp } = await acceptedCashProposal();
    const stored = await h.db.prisma.proposal.findUniqueOrThrow({ where: { id: proposal.id } });
    await h.db.prisma.$transaction((tx) => expireProposals(tx, new Date(stored.expiresAt.getTime() + 1)));
    const held = stripe.confirmCard(topUp.providerPaymentId);

    expect(await deliver('payment_intent.amount_capturable_updated', held)).toBe('ignored');
    expect(await h.db.prisma.trade.count({ where: { proposalId: proposal.id } })).toBe(0);
    const [job] = await h.boss.findJobs(cancelUnusedTopUpJob, { data: { providerPaymentId: held.id } });
    expect(job).toBeDefined();
    await cancelUnusedTopUp(h.services, { proposalId: proposal.id, providerPaymentId: held.id });
    expect(stripe.intents.get(held.id)?.status).toBe('canceled');
    // A retried job finds the hold already cancelled and succeeds.
    await cancelUnusedTopUp(h.services, { proposalId: proposal.id, providerPaymentId: held.id });
  });

  it('acknowledges an unknown event type', async () => {
    const eventId = `evt_unknown_${randomBytes(6).toString('hex')}`;

    expect(await deliver('customer.created', { id: 'cus_123', object: 'customer' }, eventId)).toBe('ignored');
    const stored = await h.db.prisma.webhookEvent.findUniqueOrThrow({ where: { id: eventId } });
    expect(stored.type).toBe('customer.created');
  });

  it('rejects a delivery signed with another secret', () => {
    const { payload, signature } = stripe.signedDelivery(
      stripe.event('customer.created', { id: 'cus_1' }),
      'whsec_someone_else',
    );

    expect(() => verifyStripeWebhook(Buffer.from(payload), signature, 'whsec_test_mock_secret')).toThrow(
      /signature/i,
    );
  });
});
