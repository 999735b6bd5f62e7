// The money side of a trade's life: the card hold recorded when the trade opens, and the
// capture, cancel, refund and payout that follow when it ends. Processor calls run in jobs,
// each under a row lock on the Payment (or Payout) and with an idempotency key per trade and
// step. A retried or overlapping job therefore gets the processor's earlier response again,
// and the guarded state update after it has exactly one effect.
import type { PaymentState, Tx } from '@ts/db';

import { appendAudit } from '../audit/audit.ts';
import type { Services } from '../context.ts';
import { postJournal } from '../ledger/ledger.ts';
import { idempotencyKeys, ProviderRejection } from './adapter.ts';
import { captureBeforeLapseJob, payPayoutJob, settleTradePaymentJob } from './jobs.ts';
import { gateReportHours } from '../trades/report-window.ts';
import { clawBackPayout, outstandingDebtMinor, repayDebts } from './reversal.ts';

/** Provider calls run inside the locking transaction, so it needs longer than Prisma's 5 s. */
const providerStepTimeoutMs = 30_000;

/** Writes the trade's Payment as AUTHORIZED and schedules the capture before the hold lapses. */
export async function recordAuthorizedTopUp(
  tx: Tx,
  services: Services,
  input: {
    tradeId: string;
    proposalId: string;
    payerId: string;
    topUp: { providerPaymentId: string; amountMinor: number; currency: string };
    requestId: string;
  },
): Promise<void> {
  const now = services.now();
  // A proposal has at most one top-up, so its Payment reuses the proposal's id. The processor
  // received that id as `paymentId` before the trade existed.
  await tx.payment.create({
    data: {
      id: input.proposalId,
      tradeId: input.tradeId,
      payerId: input.payerId,
      amountMinor: input.topUp.amountMinor,
      currency: input.topUp.currency,
      state: 'AUTHORIZED',
      providerPaymentId: input.topUp.providerPaymentId,
      authorizedAt: now,
    },
  });
  await appendAudit(tx, {
    actorId: input.payerId,
    action: 'payment.authorized',
    entityType: 'Trade',
    entityId: input.tradeId,
    data: {
      paymentId: input.proposalId,
      amountMinor: input.topUp.amountMinor,
      providerPaymentId: input.topUp.providerPaymentId,
      testMode: services.payments.testMode,
    },
    requestId: input.requestId,
  });
  const captureAt = new Date(now.getTime() + services.config.captureBeforeLapseHours * 3_600_000);
  await services.jobs.send(captureBeforeLapseJob, { tradeId: input.tradeId }, {
    tx,
    startAfter: captureAt,
    singletonKey: input.tradeId,
  });
}

/**
 * Queues the capture, cancel or refund of a finished trade's top-up in the transaction that
 * finished it. Trades without a top-up queue nothing.
 */
export async function queuePaymentSettlement(
  tx: Tx,
  services: Services | undefined,
  tradeId: string,
): Promise<void> {
  const payments = await tx.payment.count({ where: { tradeId } });
  if (payments === 0) {
    return;
  }
  if (!services) {
    throw new Error(`Trade ${tradeId} has a cash top-up; pass services to queue its settlement`);
  }

  await services.jobs.send(settleTradePaymentJob, { tradeId }, { tx, singletonKey: tradeId });
}

/**
 * True when the trade has a top-up whose card hold is not in place (released under the open
 * trade, and not renewed yet), so the trade must not complete: see renew-hold.ts.
 */
export async function topUpHoldMissing(tx: Tx, tradeId: string): Promise<boolean> {
  const missing = await tx.payment.count({
    where: { tradeId, state: { in: ['CANCELLED', 'REQUIRES_PAYMENT_METHOD'] } },
  });

  return missing > 0;
}

const paymentSelect = {
  id: true,
  tradeId: true,
  payerId: true,
  amountMinor: true,
  currency: true,
  state: true,
  providerPaymentId: true,
} as const;

type LockedPayment = { id: string; tradeId: string; payerId: string; amountMinor: number; currency: string; state: PaymentState; providerPaymentId: string | null };

async function lockPayment(tx: Tx, paymentId: string): Promise<LockedPayment> {
  await tx.$queryRaw`SELECT id FROM "Payment" WHERE id = ${paymentId}::uuid FOR UPDATE`;

  return tx.payment.findUniqueOrThrow({ where: { id: paymentId }, select: paymentSelect });
}

interface PaymentStep {
  from: PaymentState[];
  to: PaymentState;
  /** Audit action, e.g. payment.captured. */
  action: string;
  /** Ledger journal moving the amount from `source` to `target`; none when no cash moved. */
  journal?: { kind: string; source: 'CARD_CLEARING' | 'ESCROW_CASH'; target: 'CARD_CLEARING' | 'ESCROW_CASH' };
  extra?: { capturedAt: Date };
}

/**
 * Moves a locked Payment forward one step, guarded by its current state, and writes the step's
 * ledger journal and audit row. Returns false, writing nothing, when the payment already moved.
 */
async function advancePayment(tx: Tx, payment: LockedPayment, step: PaymentStep): Promise<boolean> {
  const updated = await tx.payment.updateMany({
    where: { id: payment.id, state: { in: step.from } },
    data: { state: step.to, ...step.extra },
  });
  if (updated.count === 0) {
    return false;
  }

  if (step.journal) {
    await postJournal(tx, {
      kind: step.journal.kind,
      tradeId: payment.tradeId,
      lines: [
        { account: step.journal.source, userId: null, unit: 'USD', amountMinor: -payment.amountMinor },
        { account: step.journal.target, userId: null, unit: 'USD', amountMinor: payment.amountMinor },
      ],
    });
  }
  await appendAudit(tx, {
    actorId: null,
    action: step.action,
    entityType: 'Trade',
    entityId: payment.tradeId,
    data: step.journal
      ? { paymentId: payment.id, amountMinor: payment.amountMinor }
      : { paymentId: payment.id },
  });

  return true;
}

/** AUTHORIZED → CAPTURED, moving the cash from card clearing into escrow. */
export async function markCaptured(tx: Tx, payment: LockedPayment, at: Date): Promise<boolean> {
  return advancePayment(tx, payment, {
    from: ['AUTHORIZED'],
    to: 'CAPTURED',
    action: 'payment.captured',
    journal: { kind: 'topup.captured', source: 'CARD_CLEARING', target: 'ESCROW_CASH' },
    extra: { capturedAt: at },
  });
}

/** REQUIRES_PAYMENT_METHOD or AUTHORIZED → CANCELLED; nothing was captured, so no ledger rows. */
export async function markCancelled(tx: Tx, payment: LockedPayment): Promise<boolean> {
  return advancePayment(tx, payment, {
    from: ['REQUIRES_PAYMENT_METHOD', 'AUTHORIZED'],
    to: 'CANCELLED',
    action: 'payment.cancelled',
  });
}

/** CAPTURED → REFUNDED, sending the escrowed cash back through card clearing. */
export async function markRefunded(tx: Tx, payment: LockedPayment): Promise<boolean> {
  return advancePayment(tx, payment, {
    from: ['CAPTURED'],
    to: 'REFUNDED',
    action: 'payment.refunded',
    journal: { kind: 'topup.refunded', source: 'ESCROW_CASH', target: 'CARD_CLEARING' },
  });
}

/**
 * Decides where a finished trade's top-up goes. It pays for the higher-valued ticket the payer
 * receives, so the receiver keeps it when that ticket reached the payer: on COMPLETED, and on a
 * SPLIT ruling that released that ticket. Every other ending gives the cash back.
 */
async function topUpDestination(tx: Tx, tradeId: string, payerId: string) {
  const trade = await tx.trade.findUniqueOrThrow({
    where: { id: tradeId },
    select: {
      state: true,
      deposits: { select: { fromUserId: true, toUserId: true, state: true } },
    },
  });
  if (trade.state === 'ESCROWED' || trade.state === 'DISPUTED') {
    return { kind: 'open' as const };
  }
  const receiverId = trade.deposits.find((d) => d.fromUserId === payerId)?.toUserId;
  const payerGotTicket = trade.deposits.some(
    (d) => d.toUserId === payerId && d.state === 'RELEASED',
  );
  const paysReceiver =
    trade.state === 'COMPLETED' || (trade.state === 'SPLIT' && payerGotTicket);
  if (paysReceiver && receiverId) {
    return { kind: 'receiver' as const, receiverId };
  }

  return { kind: 'payer' as const };
}

export type SettlementResult =
  | 'no-top-up'
  | 'trade-open'
  | 'cancelled'
  | 'refunded'
  | 'paid'
  | 'payout-pending'
  | 'nothing-to-do';

/**
 * Settles a finished trade's top-up: capture and pay the receiver, or cancel the hold (refund
 * when it was already captured). Runs as the `payments.settle` job; a second run finds the
 * states already moved and changes nothing.
 */
export async function settleTradePayment(
  services: Services,
  tradeId: string,
): Promise<SettlementResult> {
  const found = await services.prisma.payment.findFirst({ where: { tradeId }, select: { id: true } });
  if (!found) {
    return 'no-top-up';
  }

  const step = await services.prisma.$transaction(async (tx) => {
    const payment = await lockPayment(tx, found.id);
    const destination = await topUpDestination(tx, tradeId, payment.payerId);
    if (destination.kind === 'open') {
      return { result: 'trade-open' as const };
    }
    if (destination.kind === 'payer') {
      return { result: await returnTopUp(tx, services, payment) };
    }

    if (payment.state === 'AUTHORIZED') {
      await services.payments.capture({
        providerPaymentId: payment.providerPaymentId!,
        idempotencyKey: idempotencyKeys.capture(tradeId),
      });
      await markCaptured(tx, payment, services.now());
    }
    const payoutId = await releaseTopUp(tx, services, tradeId, destination.receiverId);

    return { result: 'release' as const, payoutId };
  }, { timeout: providerStepTimeoutMs });

  if (step.result !== 'release') {
    return step.result;
  }
  if (!step.payoutId) {
    return 'nothing-to-do';
  }

  const payout = await payPayout(services, step.payoutId);

  return payout === 'paid' || payout === 'already-paid' ? 'paid' : 'payout-pending';
}

async function returnTopUp(tx: Tx, services: Services, payment: LockedPayment) {
  if (payment.state === 'AUTHORIZED' || payment.state === 'REQUIRES_PAYMENT_METHOD') {
    await services.payments.cancel({
      providerPaymentId: payment.providerPaymentId!,
      idempotencyKey: idempotencyKeys.cancel(payment.tradeId),
    });
    await markCancelled(tx, payment);

    return 'cancelled' as const;
  }
  if (payment.state === 'CAPTURED') {
    // After a dispute that undid a completed trade, the cash first comes back from its receiver.
    await clawBackPayout(tx, services, payment.tradeId);
    await services.payments.refund({
      providerPaymentId: payment.providerPaymentId!,
      idempotencyKey: idempotencyKeys.refund(payment.tradeId),
    });
    await markRefunded(tx, payment);

    return 'refunded' as const;
  }

  return 'nothing-to-do' as const;
}

/**
 * Moves the captured top-up from escrow to the receiver's cash and opens their Payout, once:
 * the Payout row for the trade is the guard. Returns the payout id, or null when the cash is
 * not captured (e.g. the hold was cancelled by the processor). A high-value top-up, or one to
 * a risky receiver, is held until after the event of the ticket it paid for.
 */
async function releaseTopUp(
  tx: Tx,
  services: Services,
  tradeId: string,
  receiverId: string,
): Promise<string | null> {
  const payment = await tx.payment.findFirstOrThrow({
    where: { tradeId },
    select: { id: true, state: true, amountMinor: true, currency: true },
  });
  const existing = await tx.payout.findFirst({ where: { tradeId, userId: receiverId }, select: { id: true } });
  if (existing) {
    return existing.id;
  }
  if (payment.state !== 'CAPTURED') {
    return null;
  }

  const hold = await payoutHold(tx, services, tradeId, receiverId, payment.amountMinor);
  const payout = await tx.payout.create({
    data: {
      userId: receiverId,
      tradeId,
      amountMinor: payment.amountMinor,
      currency: payment.currency,
      availableAt: hold?.until ?? null,
      holdReason: hold?.reason ?? null,
    },
    select: { id: true },
  });
  await postJournal(tx, {
    kind: 'topup.released',
    tradeId,
    lines: [
      { account: 'ESCROW_CASH', userId: null, unit: 'USD', amountMinor: -payment.amountMinor },
      { account: 'TRADER_CASH', userId: receiverId, unit: 'USD', amountMinor: payment.amountMinor },
    ],
  });
  if (hold) {
    await appendAudit(tx, {
      actorId: null,
      action: 'payout.held',
      entityType: 'Payout',
      entityId: payout.id,
      data: { tradeId, userId: receiverId, until: hold.until.toISOString(), reason: hold.reason },
    });
    await services.jobs.send(payPayoutJob, { payoutId: payout.id }, {
      tx,
      startAfter: hold.until,
      singletonKey: payout.id,
    });
  }

  return payout.id;
}


/**
 * Decides whether the receiver's payout waits for the event of the ticket they gave. It waits
 * when the top-up is high-value or the receiver is risky: an open debt, an open fraud case, or
 * fraud signals adding up to 0.5 or more in the last 90 days.
 * NOTE: both thresholds are starting estimates, not fitted to any loss data.
 */
// A held payout becomes payable when reports of a ticket refused at the gate close.
async function payoutHold(
  tx: Tx,
  services: Services,
  tradeId: string,
  receiverId: string,
  amountMinor: number,
): Promise<{ until: Date; reason: 'high_value' | 'risky_seller' } | null> {
  const givenDeposit = await tx.escrowDeposit.findFirst({
    where: { tradeId, fromUserId: receiverId },
    select: { ticket: { select: { event: { select: { startsAt: true } } } } },
  });
  const startsAt = givenDeposit?.ticket.event?.startsAt;
  const now = services.now();
  if (!startsAt) {
    return null;
  }
  const until = new Date(startsAt.getTime() + gateReportHours * 3_600_000);
  if (until <= now) {
    return null;
  }
  if (amountMinor >= services.config.highValuePayoutMinor) {
    return { until, reason: 'high_value' };
  }

  const since = new Date(now.getTime() - 90 * 86_400_000);
  const debts = await tx.traderDebt.count({ where: { userId: receiverId, state: 'OPEN' } });
  const cases = await tx.fraudCase.count({ where: { userId: receiverId, state: 'OPEN' } });
  const signals = await tx.fraudSignal.aggregate({
    where: { userId: receiverId, createdAt: { gte: since } },
    _sum: { weight: true },
  });
  if (debts > 0 || cases > 0 || (signals._sum.weight ?? 0) >= 0.5) {
    return { until, reason: 'risky_seller' };
  }

  return null;
}

export type PayoutResult =
  | 'paid'
  | 'already-paid'
  | 'closed'
  | 'held'
  | 'waiting-for-dispute'
  | 'waiting-for-trader'
  | 'transfer-failed';

/**
 * Transfers a pending payout to its trader's connected account, but only when the trader is
 * KYC verified and has one, the payout's hold (see payoutHold) has passed and its trade is not
 * in dispute. Otherwise it stays PENDING and a later job or onboarding pays it. Open debts of
 * the trader are repaid first from the amount; only the rest is transferred. A transfer the
 * processor rejects (an account still onboarding) also leaves the payout PENDING.
 */
export async function payPayout(services: Services, payoutId: string): Promise<PayoutResult> {
  return services.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Payout" WHERE id = ${payoutId}::uuid FOR UPDATE`;
    const payout = await tx.payout.findUniqueOrThrow({
      where: { id: payoutId },
      select: {
        id: true,
        state: true,
        tradeId: true,
        amountMinor: true,
        currency: true,
        availableAt: true,
        user: { select: { id: true, kycStatus: true, stripeAccountId: true } },
      },
    });
    if (payout.state === 'PAID') {
      return 'already-paid';
    }
    if (payout.state !== 'PENDING') {
      return 'closed';
    }
    if (payout.availableAt && payout.availableAt > services.now()) {
      return 'held';
    }
    if (payout.tradeId) {
      const trade = await tx.trade.findUnique({ where: { id: payout.tradeId }, select: { state: true } });
      if (trade?.state === 'DISPUTED') {
        return 'waiting-for-dispute';
      }
    }
    const { user } = payout;
    if (user.kycStatus !== 'VERIFIED' || !user.stripeAccountId) {
      services.logger.info(
        { payoutId, userId: user.id, kycStatus: user.kycStatus, hasAccount: !!user.stripeAccountId },
        'payout waits for a verified trader with a connected account',
      );

      return 'waiting-for-trader';
    }

    // Locks the trader's open debts, so two payouts paid at once cannot both repay one debt.
    await tx.$queryRaw`SELECT id FROM "TraderDebt" WHERE "userId" = ${user.id}::uuid AND state = 'OPEN' FOR UPDATE`;
    const withheldMinor = Math.min(payout.amountMinor, await outstandingDebtMinor(tx, user.id));
    const transferMinor = payout.amountMinor - withheldMinor;
    let providerTransferId: string | null = null;
    if (transferMinor > 0) {
      const transferGroup = payout.tradeId ? `trade:${payout.tradeId}` : `payout:${payout.id}`;
      const rejectedBefore = await tx.auditLog.count({
        where: { entityType: 'Payout', entityId: payout.id, action: 'payout.transfer_rejected' },
      });
      try {
        const transfer = await services.payments.transfer({
          destinationAccountId: user.stripeAccountId,
          amountMinor: transferMinor,
          currency: payout.currency,
          transferGroup,
          idempotencyKey: idempotencyKeys.transfer(payout.tradeId ?? payout.id, user.id, rejectedBefore),
        });
        providerTransferId = transfer.providerTransferId;
      } catch (err) {
        if (!(err instanceof ProviderRejection)) {
          // Unknown outcome (timeout, 5xx): the job retries with the same key, which is safe.
          throw err;
        }
        // A refusal used up this key; the count of refusals picks the next attempt's key.
        services.logger.warn({ err, payoutId, userId: user.id }, 'transfer rejected; payout stays pending');
        await appendAudit(tx, {
          actorId: null,
          action: 'payout.transfer_rejected',
          entityType: 'Payout',
          entityId: payout.id,
          data: { userId: user.id, code: err.code ?? null },
        });

        return 'transfer-failed';
      }
    }

    await tx.payout.update({
      where: { id: payout.id },
      data: { state: 'PAID', providerTransferId, withheldMinor },
    });
    if (withheldMinor > 0) {
      await repayDebts(tx, services, user.id, withheldMinor, payout.id);
    }
    if (transferMinor > 0) {
      await postJournal(tx, {
        kind: 'payout.paid',
        tradeId: payout.tradeId ?? undefined,
        lines: [
          { account: 'TRADER_CASH', userId: user.id, unit: 'USD', amountMinor: -transferMinor },
          { account: 'CARD_CLEARING', userId: null, unit: 'USD', amountMinor: transferMinor },
        ],
      });
    }
    await appendAudit(tx, {
      actorId: null,
      action: 'payout.paid',
      entityType: 'Payout',
      entityId: payout.id,
      data: {
        userId: user.id,
        tradeId: payout.tradeId,
        amountMinor: payout.amountMinor,
        withheldMinor,
        providerTransferId,
      },
    });

    return 'paid';
  }, { timeout: providerStepTimeoutMs });
}

/** Queues every pending payout of a trader, e.g. once their connected account can receive. */
export async function queuePendingPayouts(tx: Tx, services: Services, userId: string): Promise<number> {
  const pending = await tx.payout.findMany({
    where: { userId, state: 'PENDING' },
    select: { id: true },
  });
  for (const payout of pending) {
    await services.jobs.send(payPayoutJob, { payoutId: payout.id }, { tx, singletonKey: payout.id });
  }

  return pending.length;
}

/**
 * Captures a held top-up into the platform balance while its trade is in escrow or in dispute,
 * because the card authorization would lapse. settleTradePayment refunds it if the trade then
 * fails. Does nothing for a trade that already ended.
 */
export async function captureBeforeLapse(services: Services, tradeId: string): Promise<boolean> {
  const found = await services.prisma.payment.findFirst({ where: { tradeId }, select: { id: true } });
  if (!found) {
    return false;
  }

  return services.prisma.$transaction(async (tx) => {
    const payment = await lockPayment(tx, found.id);
    const trade = await tx.trade.findUniqueOrThrow({ where: { id: tradeId }, select: { state: true } });
    const stillOpen = trade.state === 'ESCROWED' || trade.state === 'DISPUTED';
    if (!stillOpen || payment.state !== 'AUTHORIZED') {
      return false;
    }

    await services.payments.capture({
      providerPaymentId: payment.providerPaymentId!,
      idempotencyKey: idempotencyKeys.capture(tradeId),
    });

    return markCaptured(tx, payment, services.now());
  }, { timeout: providerStepTimeoutMs });
}

export { lockPayment, type LockedPayment };
