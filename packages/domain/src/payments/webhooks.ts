// Applies Stripe webhook events. Each event id is stored in WebhookEvent in the same
// transaction that applies it. A repeated delivery finds the row and changes nothing, and a
// failed one leaves no row, so Stripe's retry applies it. State only moves forward: an event
// that would move a payment back (a hold reported after its cancellation) is ignored.
import type Stripe from 'stripe';

import type { Tx } from '@ts/db';

import type { Services } from '../context.ts';
import { emitEvent } from '../audit/outbox.ts';
import type { TopUpAuthorization } from './adapter.ts';
import { applyRenewedHold } from './renew-hold.ts';
import { applyTopUpAuthorized } from './topup.ts';
import {
  lockPayment,
  markCancelled,
  markCaptured,
  markRefunded,
  queuePendingPayouts,
} from './trade-payments.ts';

export type WebhookOutcome = 'applied' | 'ignored' | 'duplicate';

interface EventContext {
  services: Services;
  requestId: string;
  /** Current state of the PaymentIntent at the processor, read before the transaction. */
  currentIntent: TopUpAuthorization | null;
}

async function paymentIdFor(tx: Tx, providerPaymentId: string): Promise<string | null> {
  const payment = await tx.payment.findUnique({
    where: { providerPaymentId },
    select: { id: true },
  });

  return payment?.id ?? null;
}

/**
 * Stores and applies one verified Stripe event. Returns 'duplicate' when the event id was
 * already processed, 'ignored' for events that change nothing (unknown types included).
 */
export async function processStripeEvent(
  services: Services,
  event: Stripe.Event,
  requestId: string,
): Promise<WebhookOutcome> {
  const log = services.logger.child({ requestId, stripeEventId: event.id, eventType: event.type });
  // A signed delivery is Stripe's, but a payload without an object cannot be applied.
  if (typeof event.data?.object !== 'object' || event.data.object === null) {
    log.warn('stripe event without a data object ignored');

    return 'ignored';
  }
  const currentIntent = await readIntentIfUnknown(services, event);

  const outcome = await services.prisma.$transaction(async (tx) => {
    const inserted = await tx.$executeRaw`
      INSERT INTO "WebhookEvent" (id, provider, type, "receivedAt")
      VALUES (${event.id}, 'stripe', ${event.type}, ${services.now()})
      ON CONFLICT (id) DO NOTHING`;
    if (inserted === 0) {
      return 'duplicate' as const;
    }

    const applied = await applyEvent(tx, event, { services, requestId, currentIntent });
    await tx.webhookEvent.update({ where: { id: event.id }, data: { processedAt: services.now() } });

    return applied;
  });
  log.info({ outcome }, 'stripe event handled');

  return outcome;
}

/**
 * Reads the current PaymentIntent when a hold is reported for one with no Payment row, because
 * such a hold may open a trade. Events arrive late and out of order, and a hold cancelled
 * since the event was sent must not open anything.
 */
async function readIntentIfUnknown(services: Services, event: Stripe.Event) {
  if (event.type !== 'payment_intent.amount_capturable_updated') {
    return null;
  }
  const known = await paymentIdFor(services.prisma, event.data.object.id);

  return known ? null : services.payments.retrieveTopUp(event.data.object.id);
}

async function applyEvent(tx: Tx, event: Stripe.Event, context: EventContext): Promise<WebhookOutcome> {
  switch (event.type) {
    case 'payment_intent.amount_capturable_updated':
      return applyHold(tx, event.data.object, context);
    case 'payment_intent.succeeded':
      return applyToPayment(tx, event.data.object.id, (payment) =>
        markCaptured(tx, payment, context.services.now()));
    case 'payment_intent.canceled':
      return applyCancellation(tx, event.data.object.id, context);
    case 'charge.refunded':
      return applyRefund(tx, event.data.object, context);
    case 'payment_intent.payment_failed':
      // The payer may retry with the same client secret; the trade opens only on a hold.
      context.services.logger.info(
        { requestId: context.requestId, providerPaymentId: event.data.object.id },
        'top-up card payment failed',
      );

      return 'ignored';
    case 'account.updated':
      return applyAccountUpdate(tx, event.data.object, context);
    default:
      context.services.logger.info(
        { requestId: context.requestId, eventType: event.type },
        'stripe event type not handled; acknowledged',
      );

      return 'ignored';
  }
}

async function applyToPayment(
  tx: Tx,
  providerPaymentId: string,
  apply: (payment: Awaited<ReturnType<typeof lockPayment>>) => Promise<boolean>,
): Promise<WebhookOutcome> {
  const paymentId = await paymentIdFor(tx, providerPaymentId);
  if (!paymentId) {
    return 'ignored';
  }

  return (await apply(await lockPayment(tx, paymentId))) ? 'applied' : 'ignored';
}

async function applyHold(tx: Tx, intent: Stripe.PaymentIntent, context: EventContext) {
  const paymentId = await paymentIdFor(tx, intent.id);
  if (paymentId) {
    // A known PaymentIntent waiting for its card is a renewed hold (see renew-hold.ts).
    const updated = await tx.payment.updateMany({
      where: { id: paymentId, state: 'REQUIRES_PAYMENT_METHOD' },
      data: { state: 'AUTHORIZED', authorizedAt: context.services.now() },
    });
    if (updated.count === 0) {
      return 'ignored';
    }
    const { tradeId } = await tx.payment.findUniqueOrThrow({ where: { id: paymentId }, select: { tradeId: true } });
    await applyRenewedHold(tx, context.services, tradeId, context.requestId);

    return 'applied';
  }

  const proposalId = intent.metadata?.proposalId;
  const current = context.currentIntent;
  if (!proposalId || !current || current.status !== 'requires_capture') {
    context.services.logger.info(
      { requestId: context.requestId, providerPaymentId: intent.id, status: current?.status },
      'hold is no longer in place or belongs to no proposal; ignored',
    );

    return 'ignored';
  }

  const outcome = await applyTopUpAuthorized(tx, context.services, {
    proposalId,
    providerPaymentId: intent.id,
    amountMinor: current.amountMinor,
    currency: current.currency,
    requestId: context.requestId,
  });

  return outcome.result === 'opened' ? 'applied' : 'ignored';
}

async function applyCancellation(tx: Tx, providerPaymentId: string, context: EventContext) {
  return applyToPayment(tx, providerPaymentId, async (payment) => {
    const cancelled = await markCancelled(tx, payment);
    const trade = await tx.trade.findUniqueOrThrow({
      where: { id: payment.tradeId },
      select: { state: true },
    });
    if (cancelled && (trade.state === 'ESCROWED' || trade.state === 'DISPUTED')) {
      // The trade cannot complete without its cash: the payer is asked for a new hold
      // (renewTopUpHold), and the escrow deadline still returns both tickets if none comes.
      context.services.logger.warn(
        { requestId: context.requestId, tradeId: payment.tradeId, paymentId: payment.id },
        'top-up hold was cancelled while its trade is still open; asking the payer to renew it',
      );
      const parties = await tx.escrowDeposit.findMany({
        where: { tradeId: payment.tradeId },
        select: { fromUserId: true },
      });
      await emitEvent(tx, { type: 'Trade', id: payment.tradeId }, {
        type: 'topup.hold_released',
        version: 1,
        tradeId: payment.tradeId,
        payerId: payment.payerId,
        userIds: [...new Set(parties.map((p) => p.fromUserId))],
      });
    }

    return cancelled;
  });
}

async function applyRefund(tx: Tx, charge: Stripe.Charge, context: EventContext) {
  const providerPaymentId =
    typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;
  if (!providerPaymentId || !charge.refunded) {
    return 'ignored';
  }

  return applyToPayment(tx, providerPaymentId, async (payment) => {
    const paidOut = await tx.payout.count({ where: { tradeId: payment.tradeId } });
    if (paidOut > 0) {
      // The cash already left escrow for the receiver; undoing that is a staff decision.
      context.services.logger.error(
        { requestId: context.requestId, tradeId: payment.tradeId, paymentId: payment.id },
        'top-up refunded at the processor after it was released to the receiver',
      );

      return false;
    }

    return markRefunded(tx, payment);
  });
}

async function applyAccountUpdate(tx: Tx, account: Stripe.Account, context: EventContext) {
  if (account.capabilities?.transfers !== 'active') {
    return 'ignored';
  }
  const user = await tx.user.findFirst({
    where: { stripeAccountId: account.id },
    select: { id: true },
  });
  if (!user) {
    return 'ignored';
  }

  const queued = await queuePendingPayouts(tx, context.services, user.id);

  return queued > 0 ? 'applied' : 'ignored';
}
