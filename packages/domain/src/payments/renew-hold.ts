// A card hold released while its trade is still open (it lapsed, the bank or the processor's
// dashboard cancelled it) leaves the trade without its cash. The trade then cannot complete:
// the payer is asked for a new hold on the same Payment, and the escrow deadline still
// returns both tickets if none arrives.
import type { Tx } from '@ts/db';

import { appendAudit } from '../audit/audit.ts';
import type { OperationOptions, Services } from '../context.ts';
import { DomainError } from '../errors.ts';
import { completeTrade } from '../trades/escrow.ts';
import type { TopUpStatus } from './adapter.ts';
import { captureBeforeLapseJob } from './jobs.ts';
import { lockPayment } from './trade-payments.ts';

/**
 * Called when a renewed hold is in place: schedules its capture before it lapses and completes
 * the trade if every transfer was confirmed while it waited for the cash.
 */
export async function applyRenewedHold(
  tx: Tx,
  services: Services,
  tradeId: string,
  requestId: string,
): Promise<void> {
  const captureAt = new Date(services.now().getTime() + services.config.captureBeforeLapseHours * 3_600_000);
  await services.jobs.send(captureBeforeLapseJob, { tradeId }, { tx, startAfter: captureAt, singletonKey: tradeId });
  const trade = await tx.trade.findUniqueOrThrow({ where: { id: tradeId }, select: { state: true } });
  const unconfirmed = await tx.transfer.count({ where: { tradeId, state: { not: 'CONFIRMED' } } });
  if (trade.state === 'ESCROWED' && unconfirmed === 0) {
    await completeTrade(tx, tradeId, 'ESCROWED', { actorId: null, actorRole: 'system', requestId }, services);
  }
}

export interface RenewedHoldView {
  tradeId: string;
  providerPaymentId: string;
  /** For Stripe's Payment Element; null in local test mode, where the hold is in place at once. */
  clientSecret: string | null;
  status: TopUpStatus;
  amountMinor: number;
  currency: string;
  testMode: boolean;
}

/**
 * Asks the processor for a new hold of the trade's top-up on the payer's card. Only the payer
 * may ask, only while the trade is open and its earlier hold was released. Asking again before
 * the new hold is confirmed returns the same PaymentIntent.
 */
export async function renewTopUpHold(
  { services, actor, meta }: OperationOptions,
  tradeId: string,
): Promise<RenewedHoldView> {
  const payment = await services.prisma.payment.findFirst({
    where: { tradeId, payerId: actor.userId },
    select: {
      id: true,
      state: true,
      amountMinor: true,
      currency: true,
      providerPaymentId: true,
      trade: { select: { state: true } },
      payer: { select: { stripeCustomerId: true } },
    },
  });
  if (!payment) {
    throw new DomainError('NOT_FOUND', 'No top-up of yours belongs to this trade.', { tradeId });
  }
  if (payment.trade.state !== 'ESCROWED' && payment.trade.state !== 'DISPUTED') {
    throw new DomainError('TRADE_STATE', 'This trade has ended; its top-up needs no new hold.');
  }
  if (payment.state === 'REQUIRES_PAYMENT_METHOD' && payment.providerPaymentId) {
    // A renewal already asked for and not yet confirmed in the browser.
    const current = await services.payments.retrieveTopUp(payment.providerPaymentId);

    return { tradeId, ...current };
  }
  if (payment.state !== 'CANCELLED') {
    throw new DomainError('PAYMENT_STATE', 'The hold for this top-up is still in place.');
  }

  const attempt = await services.prisma.auditLog.count({
    where: { entityType: 'Trade', entityId: tradeId, action: 'payment.hold_renewal_requested' },
  });
  const authorization = await services.payments.authorizeTopUp({
    paymentId: payment.id,
    amountMinor: payment.amountMinor,
    currency: payment.currency,
    customerId: payment.payer.stripeCustomerId,
    idempotencyKey: `trade:${tradeId}:renew-hold:${attempt}`,
    metadata: { tradeId, paymentId: payment.id, payerId: actor.userId },
  });

  await services.prisma.$transaction(async (tx) => {
    const locked = await lockPayment(tx, payment.id);
    if (locked.state !== 'CANCELLED') {
      throw new DomainError('CONFLICT', 'This top-up changed meanwhile; reload the trade.');
    }
    const inPlace = authorization.status === 'requires_capture';
    await tx.payment.update({
      where: { id: payment.id },
      data: {
        providerPaymentId: authorization.providerPaymentId,
        state: inPlace ? 'AUTHORIZED' : 'REQUIRES_PAYMENT_METHOD',
        authorizedAt: inPlace ? services.now() : null,
      },
    });
    await appendAudit(tx, {
      actorId: actor.userId,
      actorRole: actor.role,
      action: 'payment.hold_renewal_requested',
      entityType: 'Trade',
      entityId: tradeId,
      data: {
        paymentId: payment.id,
        previousProviderPaymentId: payment.providerPaymentId,
        providerPaymentId: authorization.providerPaymentId,
        status: authorization.status,
      },
      requestId: meta.requestId,
    });
    if (inPlace) {
      await applyRenewedHold(tx, services, tradeId, meta.requestId);
    }
  });

  return { tradeId, ...authorization };
}
