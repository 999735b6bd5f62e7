import type { Prisma, TradeState, Tx } from '@ts/db';

import type { ListRequest } from '../admin/list-request.ts';
import { appendAudit } from '../audit/audit.ts';
import type { OperationOptions, Services } from '../context.ts';
import { DomainError } from '../errors.ts';
import { notifyUsers } from '../notifications/write.ts';
import { eventSummarySelect } from '../tickets/queries.ts';
import { applyConfirmation } from '../trades/escrow.ts';

/** Maximum length in characters of the stored reason. The audit row keeps the full failure. */
const maxReasonLength = 300;

const urlPattern = /\b[a-z][a-z0-9+.-]*:\/\/\S+/gi;
const emailPattern = /[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[a-z]{2,}/gi;

/** Removes URLs (which may carry credentials) and e-mail addresses from a failure message. */
function redact(text: string): string {
  return text
    .replace(urlPattern, '[address]')
    .replace(emailPattern, '[e-mail]')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\.$/, '');
}

/**
 * Builds the one-sentence reason shown in the staff review queue from the partner failure and
 * the problems that kept the manual hand-over from starting.
 */
export function describeStaffReview(failure: string, manualProblems: readonly string[]): string {
  const blockers = manualProblems.length > 0
    ? redact(manualProblems.join(' and '))
    : 'no manual route was available';
  const sentence = `Partner transfer failed (${redact(failure)}), and a manual hand-over was ` +
    `not started because ${blockers}.`;

  return sentence.length <= maxReasonLength
    ? sentence
    : `${sentence.slice(0, maxReasonLength - 1)}…`;
}

const reviewSelect = {
  id: true,
  tradeId: true,
  method: true,
  state: true,
  externalRef: true,
  sentAt: true,
  staffReviewAt: true,
  staffReviewReason: true,
  trade: { select: { state: true, releaseDeadline: true } },
  deposit: {
    select: {
      valueMinor: true,
      fromUser: { select: { id: true, displayName: true } },
      toUser: { select: { id: true, displayName: true } },
      ticket: {
        select: {
          id: true,
          section: true,
          row: true,
          seat: true,
          event: { select: eventSummarySelect },
        },
      },
    },
  },
  evidence: {
    select: {
      id: true,
      note: true,
      createdAt: true,
      uploadedBy: { select: { id: true, displayName: true } },
    },
    orderBy: { createdAt: 'asc' },
  },
} as const satisfies Prisma.TransferSelect;

type ReviewRow = Prisma.TransferGetPayload<{ select: typeof reviewSelect }>;

/** Flattens a transfer row into the record the console shows for one queue entry. */
function toReviewRecord(row: ReviewRow) {
  return {
    id: row.id,
    tradeId: row.tradeId,
    tradeState: row.trade.state,
    releaseDeadline: row.trade.releaseDeadline,
    method: row.method,
    state: row.state,
    partnerRef: row.externalRef,
    sentAt: row.sentAt,
    /** When the transfer entered the queue; null once staff decided it. */
    staffReviewAt: row.staffReviewAt,
    reason: row.staffReviewReason,
    sender: row.deposit.fromUser,
    receiver: row.deposit.toUser,
    valueMinor: row.deposit.valueMinor,
    ticket: row.deposit.ticket,
    evidence: row.evidence,
  };
}

/** Trade states whose transfers stay in the queue. Staff can decide only ESCROWED ones. */
const queuedTradeStates: TradeState[] = ['ESCROWED', 'DISPUTED'];

/**
 * Lists the transfers waiting for staff, oldest first unless `sortOrder` is DESC. The
 * `tradeState` filter narrows the list to ESCROWED or DISPUTED trades.
 */
export async function listTransferReviews(services: Services, request: ListRequest) {
  const tradeState = queuedTradeStates.find((state) => state === request.filter.tradeState);
  const where: Prisma.TransferWhereInput = {
    staffReviewAt: { not: null },
    state: { not: 'CONFIRMED' },
    trade: { state: tradeState ?? { in: queuedTradeStates } },
  };
  const direction = request.sortOrder === 'DESC' ? 'desc' : 'asc';
  const [rows, total] = await Promise.all([
    services.prisma.transfer.findMany({
      where,
      select: reviewSelect,
      orderBy: [{ staffReviewAt: direction }, { id: 'asc' }],
      skip: (request.page - 1) * request.perPage,
      take: request.perPage,
    }),
    services.prisma.transfer.count({ where }),
  ]);

  return { data: rows.map(toReviewRecord), total };
}

/**
 * Returns one transfer that was sent to staff review, whether or not it was decided since,
 * with the other transfers of its trade and the transfer's audit entries.
 */
export async function getTransferReview(db: Tx, transferId: string) {
  const row = await db.transfer.findFirst({
    where: { id: transferId, staffReviewReason: { not: null } },
    select: {
      ...reviewSelect,
      trade: {
        select: {
          state: true,
          releaseDeadline: true,
          transfers: {
            where: { id: { not: transferId } },
            select: { id: true, method: true, state: true, staffReviewAt: true },
          },
        },
      },
    },
  });
  if (!row) {
    throw new DomainError('NOT_FOUND', 'Transfer not found in the staff review queue.', {
      transferId,
    });
  }
  const audit = await db.auditLog.findMany({
    where: { entityType: 'Transfer', entityId: transferId },
    select: { id: true, at: true, action: true, actorId: true, actorRole: true, data: true },
    orderBy: { id: 'asc' },
  });

  return {
    ...toReviewRecord(row),
    otherTransfers: row.trade.transfers,
    // BigInt ids become strings so the console can use them as React keys.
    audit: audit.map((entry) => ({ ...entry, id: entry.id.toString() })),
  };
}

function tradeStateMessage(state: TradeState): string {
  if (state === 'DISPUTED') {
    return 'This trade is disputed, so decide it from its dispute instead.';
  }

  return `This trade is ${state.toLowerCase().replace('_', ' ')}, so its transfers can no ` +
    'longer change.';
}

/**
 * Locks a queued transfer and checks that it is still in the queue and that its trade is in
 * escrow. A second decision on the same transfer fails here.
 */
async function lockQueuedTransfer(tx: Tx, transferId: string) {
  await tx.$queryRaw`SELECT id FROM "Transfer" WHERE id = ${transferId}::uuid FOR UPDATE`;
  const transfer = await tx.transfer.findUnique({
    where: { id: transferId },
    select: {
      id: true,
      tradeId: true,
      method: true,
      state: true,
      sentAt: true,
      staffReviewAt: true,
      staffReviewReason: true,
      trade: { select: { state: true, releaseDeadline: true } },
      deposit: { select: { fromUserId: true, toUserId: true } },
    },
  });
  if (!transfer || transfer.staffReviewReason === null) {
    throw new DomainError('NOT_FOUND', 'Transfer not found in the staff review queue.', {
      transferId,
    });
  }
  if (transfer.staffReviewAt === null) {
    throw new DomainError(
      'TRANSFER_STATE',
      transfer.state === 'CONFIRMED'
        ? 'This transfer is already confirmed.'
        : 'This transfer was already taken out of staff review. Reload it to see the decision.',
      { transferId },
    );
  }
  if (transfer.trade.state !== 'ESCROWED') {
    throw new DomainError('TRADE_STATE', tradeStateMessage(transfer.trade.state), {
      tradeId: transfer.tradeId,
    });
  }

  return transfer;
}

/**
 * Confirms a queued transfer after staff checked with the partner or the receiver that the
 * ticket arrived. The transfer is marked sent and then confirmed through the receiver's
 * confirmation steps, so the trade completes when every transfer is confirmed.
 */
export async function confirmDeliveredByStaff(
  { services, actor, meta }: OperationOptions,
  input: { transferId: string; note: string },
) {
  return services.prisma.$transaction(async (tx) => {
    const transfer = await lockQueuedTransfer(tx, input.transferId);

    await tx.transfer.update({
      where: { id: transfer.id },
      data: { state: 'SENT', sentAt: transfer.sentAt ?? services.now(), staffReviewAt: null },
    });
    await appendAudit(tx, {
      actorId: actor.userId,
      actorRole: actor.role,
      action: 'transfer.staff_review_resolved',
      entityType: 'Transfer',
      entityId: transfer.id,
      data: { tradeId: transfer.tradeId, decision: 'confirmed_delivered', note: input.note },
      requestId: meta.requestId,
    });
    const sent = { ...transfer, state: 'SENT' as const };
    await applyConfirmation(tx, services, sent, {
      actorId: actor.userId,
      actorRole: actor.role,
      requestId: meta.requestId,
      data: { source: 'staff_review' },
    });

    return getTransferReview(tx, transfer.id);
  });
}

/**
 * Sends a queued transfer back to the manual hand-over, in which the sender marks it sent and
 * the receiver confirms it, and notifies both traders. A manual transfer its sender already
 * marked as sent stays SENT, and every other transfer restarts as PENDING. The escrow deadline
 * does not move, so a transfer whose deadline has passed is rejected.
 */
export async function returnToManualByStaff(
  { services, actor, meta }: OperationOptions,
  input: { transferId: string; note: string },
) {
  return services.prisma.$transaction(async (tx) => {
    const transfer = await lockQueuedTransfer(tx, input.transferId);
    const now = services.now();
    if (transfer.trade.releaseDeadline <= now) {
      throw new DomainError(
        'TRADE_STATE',
        'The escrow deadline of this trade has passed, so a manual hand-over cannot finish ' +
          'in time. The trade times out and both tickets go back.',
        { tradeId: transfer.tradeId },
      );
    }

    const keepSent = transfer.method === 'MANUAL' && transfer.state === 'SENT';
    await tx.transfer.update({
      where: { id: transfer.id },
      data: {
        method: 'MANUAL',
        state: keepSent ? 'SENT' : 'PENDING',
        sentAt: keepSent ? transfer.sentAt : null,
        staffReviewAt: null,
      },
    });
    await appendAudit(tx, {
      actorId: actor.userId,
      actorRole: actor.role,
      action: 'transfer.staff_review_resolved',
      entityType: 'Transfer',
      entityId: transfer.id,
      data: {
        tradeId: transfer.tradeId,
        decision: 'returned_to_manual',
        previousMethod: transfer.method,
        previousState: transfer.state,
        note: input.note,
      },
      requestId: meta.requestId,
    });
    await notifyUsers(tx, {
      userIds: [transfer.deposit.fromUserId, transfer.deposit.toUserId],
      kind: 'transfer.fallback_manual',
      vars: { tradeId: transfer.tradeId },
      dedupeKey: `transfer.staff_return_manual:${transfer.id}`,
    }, now);

    return getTransferReview(tx, transfer.id);
  });
}
