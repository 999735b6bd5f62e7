import type { Logger } from 'pino';

import type { Tx } from '@ts/db';

import { appendAudit } from '../audit/audit.ts';
import { emitEvent } from '../audit/outbox.ts';
import type { Services } from '../context.ts';
import { notifyUsers } from '../notifications/write.ts';
import { confirmTransferBySystem } from '../trades/escrow.ts';
import { TransferStepError, type TransferAdapter, type TransferRequest } from './adapter.ts';
import { ManualTransferAdapter } from './manual.ts';
import { transfersRunJob } from './schedule.ts';
import { describeStaffReview } from './staff-review.ts';

export interface RunOptions {
  /** The partner adapter, or null when PARTNER_API_URL and PARTNER_API_TOKEN are unset. */
  partner: TransferAdapter | null;
  /** True on the job's last try: a retryable failure then falls back instead of throwing. */
  lastAttempt: boolean;
  /** Wait before the next status check of a transfer the partner is still working on. */
  pollAfterMs?: number;
  logger?: Logger;
}

export type RunOutcome =
  | 'nothing_to_do'
  | 'sent'
  | 'polling'
  | 'confirmed'
  | 'fell_back_to_manual'
  | 'staff_review';

const defaultPollMs = 60_000;

const transferSelect = {
  id: true,
  tradeId: true,
  method: true,
  state: true,
  externalRef: true,
  trade: { select: { state: true, releaseDeadline: true } },
  deposit: {
    select: {
      fromUserId: true,
      toUserId: true,
      fromUser: { select: { email: true } },
      toUser: { select: { email: true } },
      ticket: { select: { barcodeHash: true } },
    },
  },
} as const;

async function loadForRun(db: Tx, transferId: string) {
  return db.transfer.findUnique({ where: { id: transferId }, select: transferSelect });
}

type LoadedTransfer = NonNullable<Awaited<ReturnType<typeof loadForRun>>>;

function requestOf(transfer: LoadedTransfer): TransferRequest {
  return {
    transferId: transfer.id,
    tradeId: transfer.tradeId,
    ticketRef: transfer.deposit.ticket.barcodeHash,
    fromEmail: transfer.deposit.fromUser.email,
    toEmail: transfer.deposit.toUser.email,
    externalRef: transfer.externalRef,
  };
}

async function lockTransfer(tx: Tx, transferId: string) {
  await tx.$queryRaw`SELECT id FROM "Transfer" WHERE id = ${transferId}::uuid FOR UPDATE`;

  return loadForRun(tx, transferId);
}

/**
 * Drives one partner-API transfer a step further: starts it at the partner, checks its
 * status, confirms it when the partner reports it completed (which may complete the trade),
 * or falls back. HTTP calls run outside any transaction; each result is applied under a row
 * lock after checking that the transfer did not change meanwhile, so a job that runs twice
 * or overlaps another has one effect. Retryable failures throw so the job is retried.
 */
export async function runPartnerTransfer(
  services: Services,
  transferId: string,
  options: RunOptions,
): Promise<RunOutcome> {
  const logger = (options.logger ?? services.logger).child({ transferId });
  const transfer = await loadForRun(services.prisma, transferId);
  if (!transfer || transfer.method !== 'PARTNER_API' || transfer.trade.state !== 'ESCROWED') {
    return 'nothing_to_do';
  }
  if (transfer.state === 'CONFIRMED' || transfer.state === 'FAILED') {
    return 'nothing_to_do';
  }
  // A sender who marked it sent by hand has taken the manual route; the receiver confirms.
  if (transfer.state === 'SENT' && !transfer.externalRef) {
    return 'nothing_to_do';
  }

  const adapter = options.partner;
  if (!adapter) {
    return fallBack(services, transferId, 'the partner API is not configured', logger);
  }
  const request = requestOf(transfer);
  const problems = await adapter.validate(request);
  if (problems.length > 0) {
    return fallBack(services, transferId, `validation failed: ${problems.join('; ')}`, logger);
  }

  try {
    if (transfer.state === 'PENDING') {
      const started = await adapter.transfer(request);
      const recorded = await recordSent(services, transferId, started.externalRef);
      if (!recorded) {
        logger.warn({ externalRef: started.externalRef }, 'transfer changed while the partner ' +
          'was starting it; the partner transfer is left to staff');
        return 'nothing_to_do';
      }
      const { externalRef, status } = started;
      logger.info({ externalRef, status }, 'partner transfer started');

      return applyStatus(services, transferId, externalRef, status, options, logger);
    }

    const externalRef = transfer.externalRef!;
    const status = await adapter.status({ ...request, externalRef });

    return applyStatus(services, transferId, externalRef, status, options, logger);
  } catch (err) {
    if (!(err instanceof TransferStepError)) {
      throw err;
    }
    if (err.retryable && !options.lastAttempt) {
      logger.warn({ step: err.step, reason: err.message }, 'partner transfer step failed');
      throw err;
    }

    // A partner that accepted the transfer but stopped responding may still complete it, so a
    // manual hand-over could race it; staff look at those instead.
    const inFlight = transfer.state === 'SENT';

    return fallBack(services, transferId, err.message, logger, { inFlight });
  }
}

async function applyStatus(
  services: Services,
  transferId: string,
  externalRef: string | null,
  status: 'pending' | 'completed' | 'failed',
  options: RunOptions,
  logger: Logger,
): Promise<RunOutcome> {
  if (status === 'completed') {
    const confirmed = await confirmTransferBySystem(services, transferId, {
      adapter: 'partner_api',
      externalRef,
    });
    logger.info({ externalRef, confirmed }, 'partner reported the transfer completed');

    return confirmed ? 'confirmed' : 'nothing_to_do';
  }
  if (status === 'failed') {
    return fallBack(services, transferId, 'the partner reported the transfer failed', logger);
  }

  const pollAfterMs = options.pollAfterMs ?? defaultPollMs;
  await services.jobs.send(transfersRunJob, { transferId }, {
    startAfter: new Date(services.now().getTime() + pollAfterMs),
    singletonKey: transferId,
  });

  return 'polling';
}

/** Moves a PENDING partner transfer to SENT with the partner's reference; false if it changed. */
async function recordSent(services: Services, transferId: string, externalRef: string | null) {
  return services.prisma.$transaction(async (tx) => {
    const transfer = await lockTransfer(tx, transferId);
    if (!transfer || transfer.method !== 'PARTNER_API' || transfer.state !== 'PENDING'
      || transfer.trade.state !== 'ESCROWED') {
      return false;
    }

    await tx.transfer.update({
      where: { id: transferId },
      data: { state: 'SENT', sentAt: services.now(), externalRef },
    });
    await appendAudit(tx, {
      actorId: null,
      actorRole: 'system',
      action: 'transfer.sent',
      entityType: 'Transfer',
      entityId: transferId,
      data: { tradeId: transfer.tradeId, adapter: 'partner_api', externalRef },
    });
    await emitEvent(tx, { type: 'Trade', id: transfer.tradeId }, {
      type: 'transfer.sent',
      version: 1,
      tradeId: transfer.tradeId,
      transferId,
    });

    return true;
  });
}

/**
 * Falls back from the partner to a manual transfer when the manual adapter accepts it, with
 * both traders notified. When it does not (too little time left before the deadline), or the
 * partner may still be moving the ticket (`inFlight`), the transfer is marked FAILED and
 * enters the staff review queue with a reason, an audit note and a notice to both traders.
 */
export async function fallBack(
  services: Services,
  transferId: string,
  reason: string,
  logger: Logger = services.logger,
  options: { inFlight?: boolean } = {},
): Promise<RunOutcome> {
  return services.prisma.$transaction(async (tx) => {
    const transfer = await lockTransfer(tx, transferId);
    if (!transfer || transfer.method !== 'PARTNER_API' || transfer.trade.state !== 'ESCROWED'
      || transfer.state === 'CONFIRMED' || transfer.state === 'FAILED') {
      return 'nothing_to_do';
    }

    const now = services.now();
    const parties = [transfer.deposit.fromUserId, transfer.deposit.toUserId];
    const manual = new ManualTransferAdapter(async () => transfer.state, {
      now,
      releaseDeadline: transfer.trade.releaseDeadline,
    });
    const problems = options.inFlight
      ? ['the partner accepted the transfer and may still complete it']
      : await manual.validate(requestOf(transfer));
    if (problems.length === 0) {
      await tx.transfer.update({
        where: { id: transferId },
        data: { method: 'MANUAL', state: 'PENDING', sentAt: null },
      });
      await appendAudit(tx, {
        actorId: null,
        actorRole: 'system',
        action: 'transfer.fallback_manual',
        entityType: 'Transfer',
        entityId: transferId,
        data: { tradeId: transfer.tradeId, reason, partnerRef: transfer.externalRef },
      });
      await notifyUsers(tx, {
        userIds: parties,
        kind: 'transfer.fallback_manual',
        vars: { tradeId: transfer.tradeId },
        dedupeKey: `transfer.fallback_manual:${transferId}`,
      }, now);
      logger.warn({ reason }, 'partner transfer fell back to a manual transfer');

      return 'fell_back_to_manual';
    }

    // Support works these from the staff review queue (staff-review.ts). The escrow deadline
    // still applies, so a transfer that staff do not decide in time times out with its trade.
    await tx.transfer.update({
      where: { id: transferId },
      data: {
        state: 'FAILED',
        staffReviewAt: now,
        staffReviewReason: describeStaffReview(reason, problems),
      },
    });
    await appendAudit(tx, {
      actorId: null,
      actorRole: 'system',
      action: 'transfer.staff_review',
      entityType: 'Transfer',
      entityId: transferId,
      data: {
        tradeId: transfer.tradeId,
        reason,
        manualProblems: problems,
        partnerRef: transfer.externalRef,
      },
    });
    await notifyUsers(tx, {
      userIds: parties,
      kind: 'transfer.staff_review',
      vars: { tradeId: transfer.tradeId },
      dedupeKey: `transfer.staff_review:${transferId}`,
    }, now);
    logger.warn({ reason, problems }, 'partner transfer failed; left for staff review');

    return 'staff_review';
  });
}
