// A top-up hold released while its trade is still open: the trade waits for the cash, the
// payer renews the hold through the real `stripe` SDK against msw, and the trade completes.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { timeOutTrade } from '../trades/escrow.ts';
import { createEvent, insertListedTicket, type TestEvent } from '../testing/fixtures.ts';
import { createHarness, type Harness } from '../testing/harness.ts';
import { verifyStripeWebhook } from './stripe-adapter.ts';
import { StripeMock } from './testing/stripe-mock.ts';
import { settleTradePayment } from './trade-payments.ts';
import { processStripeEvent } from './webhooks.ts';

type Trader = Awaited<ReturnType<Harness['createUser']>>;

const stripe = new StripeMock();
let h: Harness;
let event: TestEvent;

beforeAll(async () => {
  stripe.listen();
  h = await createHarness({}, { payments: stripe.adapter() });
  event = await createEvent(h.db.prisma, { name: 'Renewal Cup', city: 'Fargo' });
});

afterAll(async () => {
  await h?.close();
  stripe.close();
});

function listed(owner: Trader, valueMinor: number) {
  return insertListedTicket(h.db.prisma, { ownerId: owner.userId, eventId: event.id, valueMinor });
}

async function deliver(type: string, object: { id: string } & Record<string, unknown>) {
  const { payload, signature } = stripe.signedDelivery(stripe.event(type, object));

  return processStripeEvent(
    h.services,
    verifyStripeWebhook(Buffer.from(payload), signature, 'whsec_test_mock_secret'),
    'test-webhook',
  );
}

/** Alice pays a $30 top-up for Bob's dearer ticket; her hold is in place and the trade open. */
async function openCashTrade() {
  const alice = await h.createUser({ name: 'Alice' });
  const bob = await h.createUser({ name: 'Bob' });
  const proposal = await h.caller(alice).proposals.create({
    offeredTicketId: await listed(alice, 10_000),
    wantedTicketId: await listed(bob, 13_000),
  });
  await h.caller(bob).proposals.accept({ proposalId: proposal.id });
  const accepted = await h.caller(alice).proposals.accept({ proposalId: proposal.id });
  const firstIntent = stripe.confirmCard(accepted.topUp!.providerPaymentId);
  await deliver('payment_intent.amount_capturable_updated', firstIntent);
  const { id: tradeId } = await h.db.prisma.trade.findUniqueOrThrow({ where: { proposalId: proposal.id } });

  return { alice, bob, tradeId, firstIntent };
}

async function releaseHold(intentId: string) {
  await h.services.payments.cancel({ providerPaymentId: intentId, idempotencyKey: `test-release-${intentId}` });

  return deliver('payment_intent.canceled', stripe.intents.get(intentId)!);
}

async function deliverBothTickets(tradeId: string, alice: Trader, bob: Trader) {
  const trade = await h.caller(alice).trades.get({ tradeId });
  for (const transfer of trade.transfers) {
    const sender = transfer.deposit.fromUserId === alice.userId ? alice : bob;
    const receiver = sender === alice ? bob : alice;
    await h.caller(sender).trades.markSent({ transferId: transfer.id, note: 'sent in the app' });
    await h.caller(receiver).trades.confirmReceived({ transferId: transfer.id });
  }
}

async function tradeState(tradeId: string) {
  return (await h.db.prisma.trade.findUniqueOrThrow({ where: { id: tradeId } })).state;
}

describe('a top-up hold released under an open trade', () => {
  it('released hold: waits, renews, completes', async () => {
    const { alice, bob, tradeId, firstIntent } = await openCashTrade();
    expect(await releaseHold(firstIntent.id)).toBe('applied');
    const released = await h.db.prisma.outboxEvent.findFirst({
      where: { type: 'topup.hold_released', aggregateId: tradeId },
    });
    expect(released?.payload).toMatchObject({ payerId: alice.userId });

    await deliverBothTickets(tradeId, alice, bob);
    expect(await tradeState(tradeId)).toBe('ESCROWED');

    await expect(h.caller(bob).payments.renewHold({ tradeId })).rejects.toMatchObject({ cause: { code: 'NOT_FOUND' } });
    const renewed = await h.caller(alice).payments.renewHold({ tradeId });
    expect(renewed.providerPaymentId).not.toBe(firstIntent.id);
    expect(renewed.status).toBe('requires_payment_method');
    expect(renewed.clientSecret).toMatch(/_secret_/);
    const [created] = stripe.requestsTo('POST', /^\/v1\/payment_intents$/).filter(
      (r) => r.idempotencyKey === `trade:${tradeId}:renew-hold:0`,
    );
    expect(created?.params).toMatchObject({ amount: '3000', capture_method: 'manual' });
    // Asking again before the card is confirmed returns the same PaymentIntent.
    expect((await h.caller(alice).payments.renewHold({ tradeId })).providerPaymentId).toBe(renewed.providerPaymentId);

    // A late event about the released hold changes nothing.
    expect(await deliver('payment_intent.amount_capturable_updated', firstIntent)).toBe('ignored');
    expect(await tradeState(tradeId)).toBe('ESCROWED');

    const confirmed = stripe.confirmCard(renewed.providerPaymentId);
    expect(await deliver('payment_intent.amount_capturable_updated', confirmed)).toBe('applied');
    expect(await tradeState(tradeId)).toBe('COMPLETED');
    await settleTradePayment(h.services, tradeId);
    const payment = await h.db.prisma.payment.findFirstOrThrow({ where: { tradeId } });
    expect(payment).toMatchObject({ state: 'CAPTURED', providerPaymentId: renewed.providerPaymentId });
    const captures = stripe.requestsTo('POST', /^\/v1\/payment_intents\/.+\/capture$/);
    expect(captures.at(-1)?.path).toContain(renewed.providerPaymentId);
  });

  it('renewal: rejected states and timeout', async () => {
    const { alice, bob, tradeId, firstIntent } = await openCashTrade();
    await expect(h.caller(alice).payments.renewHold({ tradeId })).rejects.toMatchObject({
      cause: { code: 'PAYMENT_STATE' },
    });
    await releaseHold(firstIntent.id);
    await deliverBothTickets(tradeId, alice, bob);

    h.setNow(new Date(Date.now() + (h.services.config.escrowHours + 1) * 3_600_000));
    try {
      expect(await timeOutTrade(h.services, tradeId)).toBe(true);
    } finally {
      h.setNow(new Date());
    }
    expect(await tradeState(tradeId)).toBe('TIMED_OUT');
    await expect(h.caller(alice).payments.renewHold({ tradeId })).rejects.toMatchObject({
      cause: { code: 'TRADE_STATE' },
    });
    const calls = stripe.requests.length;
    await settleTradePayment(h.services, tradeId);
    expect(stripe.requests.length).toBe(calls);
  });
});
