import { createHash } from 'node:crypto';

import type { DisputeOutcome, Prisma, Tx } from '@ts/db';

import { appendAudit } from '../audit/audit.ts';
import { emitEvent } from '../audit/outbox.ts';
import type { OperationOptions, Services } from '../context.ts';
import { DomainError } from '../errors.ts';
import { sniffFileType } from '../tickets/file-type.ts';
import { prepareTicketFile } from '../tickets/processing-checks.ts';
import { queuePaymentSettlement } from '../payments/trade-payments.ts';
import {
  completeTrade,
  partiesOf,
  releaseDeposit,
  returnDeposit,
  reverseDeposit,
  type SettlementActor,
  transitionTrade,
} from './escrow.ts';
import { reportDeadline } from './report-window.ts';

async function lockTrade(tx: Tx, tradeId: string) {
  await tx.$queryRaw`SELECT id FROM "Trade" WHERE id = ${tradeId}::uuid FOR UPDATE`;
  const trade = await tx.trade.findUnique({
    where: { id: tradeId },
    select: {
      id: true,
      state: true,
      completedAt: true,
      deposits: {
        select: {
          ticketId: true,
          fromUserId: true,
          toUserId: true,
          state: true,
          ticket: { select: { event: { select: { startsAt: true } } } },
        },
      },
    },
  });
  if (!trade) {
    throw new DomainError('NOT_FOUND', 'Trade not found.', { tradeId });
  }

  return trade;
}

type LockedTrade = Awaited<ReturnType<typeof lockTrade>>;

/**
 * Checks a report about a completed trade: only the receiver of the named ticket may make it,
 * within the report window. Returns the ticket reported.
 */
async function checkReportAfterCompletion(
  tx: Tx,
  trade: LockedTrade,
  actorId: string,
  input: { ticketId?: string; reason: string },
  services: Services,
): Promise<string> {
  const { ticketId } = input;
  if (input.reason === 'NOT_RECEIVED') {
    throw new DomainError(
      'INVALID_INPUT',
      'Both transfers of this trade were confirmed as received; pick the reason that fits.',
    );
  }
  const received = trade.deposits.filter((d) => d.toUserId === actorId && d.state === 'RELEASED');
  const deposit = ticketId
    ? received.find((d) => d.ticketId === ticketId)
    : received.length === 1 ? received[0] : undefined;
  if (!deposit) {
    throw new DomainError(
      'INVALID_INPUT',
      ticketId
        ? 'You can only report a ticket you received in this trade.'
        : 'Name the ticket you received that did not work.',
      { tradeId: trade.id },
    );
  }
  const completedAt = trade.completedAt ?? services.now();
  const deadline = reportDeadline(completedAt, deposit.ticket.event?.startsAt ?? completedAt, services.config);
  if (services.now() > deadline) {
    throw new DomainError(
      'TRADE_STATE',
      `Problems with this trade could be reported until ${deadline.toISOString().slice(0, 10)}.`,
    );
  }
  // One report per ticket: support's ruling on it is final.
  const earlier = await tx.dispute.count({ where: { tradeId: trade.id, ticketId: deposit.ticketId } });
  if (earlier > 0) {
    throw new DomainError('TRADE_STATE', 'This ticket was already reported and support has decided.');
  }
  const reportedTicket = await tx.ticket.findUniqueOrThrow({
    where: { id: deposit.ticketId },
    select: { state: true, ownerId: true },
  });
  if (reportedTicket.ownerId !== actorId) {
    throw new DomainError('TICKET_NOT_AVAILABLE', 'You traded this ticket on, so you can no longer report it.');
  }
  if (!['TRANSFERRED', 'WITHDRAWN', 'EXPIRED'].includes(reportedTicket.state)) {
    throw new DomainError(
      'TICKET_NOT_AVAILABLE',
      'You listed this ticket again or put it into another trade; withdraw it before reporting it.',
    );
  }

  return deposit.ticketId;
}

/**
 * Opens a dispute. In escrow the trade freezes: no transfer can be marked or confirmed and the
 * escrow deadline no longer returns the tickets until support decides. After completion only
 * the receiver of a ticket that did not work (refused at the gate, cancelled by the issuer) can
 * open one, naming that ticket. Any payout of the trade not yet paid then waits for the decision.
 */
export async function openDispute(
  { services, actor, meta }: OperationOptions,
  input: { tradeId: string; reason: string; note: string; ticketId?: string },
) {
  return services.prisma.$transaction(async (tx) => {
    const trade = await lockTrade(tx, input.tradeId);
    const parties = partiesOf(trade.deposits);
    if (!parties.includes(actor.userId)) {
      throw new DomainError('NOT_FOUND', 'Trade not found.', { tradeId: input.tradeId });
    }
    const afterCompletion = trade.state === 'COMPLETED';
    if (trade.state !== 'ESCROWED' && !afterCompletion) {
      throw new DomainError(
        'TRADE_STATE',
        trade.state === 'DISPUTED'
          ? 'This trade already has an open dispute; add your evidence to it.'
          : `A ${trade.state.toLowerCase().replace('_', ' ')} trade cannot be disputed.`,
      );
    }
    const ticketId = afterCompletion
      ? await checkReportAfterCompletion(tx, trade, actor.userId, input, services)
      : null;

    await transitionTrade(tx, trade.id, trade.state, 'DISPUTED');
    const dispute = await tx.dispute.create({
      data: {
        tradeId: trade.id,
        openedById: actor.userId,
        reason: input.reason,
        afterCompletion,
        ticketId,
        evidence: { create: { uploadedById: actor.userId, note: input.note } },
      },
      select: { id: true },
    });
    await appendAudit(tx, {
      actorId: actor.userId,
      actorRole: actor.role,
      action: 'dispute.opened',
      entityType: 'Trade',
      entityId: trade.id,
      data: { disputeId: dispute.id, reason: input.reason, afterCompletion, ticketId },
      requestId: meta.requestId,
    });
    await emitEvent(tx, { type: 'Trade', id: trade.id }, {
      type: 'dispute.opened',
      version: 1,
      disputeId: dispute.id,
      tradeId: trade.id,
      userIds: parties,
    });

    return dispute;
  });
}

async function loadDisputeFor(tx: Tx, actor: OperationOptions['actor'], disputeId: string) {
  const dispute = await tx.dispute.findUnique({
    where: { id: disputeId },
    select: {
      id: true,
      state: true,
      tradeId: true,
      trade: { select: { deposits: { select: { fromUserId: true, toUserId: true } } } },
    },
  });
  const isParty = dispute?.trade.deposits.some(
    (d) => d.fromUserId === actor.userId || d.toUserId === actor.userId,
  );
  if (!dispute || (!isParty && actor.role === 'TRADER')) {
    throw new DomainError('NOT_FOUND', 'Dispute not found.', { disputeId });
  }

  return dispute;
}

/**
 * Adds a note to an open dispute, from either trader or a staff member, optionally with a file
 * (a PDF or an image, checked and stripped of photo metadata like a ticket upload). The file is
 * stored first and removed again if the note cannot be saved.
 */
export async function addDisputeEvidence(
  { services, actor, meta }: OperationOptions,
  input: { disputeId: string; note: string; file?: Uint8Array },
) {
  const checked = await services.prisma.$transaction((tx) =>
    loadDisputeFor(tx, actor, input.disputeId));
  if (checked.state === 'RESOLVED') {
    throw new DomainError('TRADE_STATE', 'This dispute is already decided.');
  }

  let storageKey: string | null = null;
  if (input.file) {
    const prepared = await prepareTicketFile(input.file, services.config.maxUploadBytes);
    const digest = createHash('sha256').update(prepared.bytes).digest('hex');
    const extension = prepared.mimeType.split('/')[1];
    storageKey = `disputes/${checked.id}/${digest}.${extension}`;
    await services.storage.put(storageKey, prepared.bytes, prepared.mimeType);
  }

  try {
    return await services.prisma.$transaction(async (tx) => {
      const dispute = await loadDisputeFor(tx, actor, input.disputeId);
      if (dispute.state === 'RESOLVED') {
        throw new DomainError('TRADE_STATE', 'This dispute is already decided.');
      }

      const evidence = await tx.disputeEvidence.create({
        data: { disputeId: dispute.id, uploadedById: actor.userId, note: input.note, storageKey },
        select: { id: true, note: true, createdAt: true, storageKey: true },
      });
      await appendAudit(tx, {
        actorId: actor.userId,
        actorRole: actor.role,
        action: 'dispute.evidence_added',
        entityType: 'Trade',
        entityId: dispute.tradeId,
        data: { disputeId: dispute.id, evidenceId: evidence.id, withFile: storageKey !== null },
        requestId: meta.requestId,
      });

      return {
        id: evidence.id,
        note: evidence.note,
        createdAt: evidence.createdAt,
        hasFile: storageKey !== null,
      };
    });
  } catch (error) {
    if (storageKey) {
      await services.storage.delete(storageKey);
    }
    throw error;
  }
}

/** Reads a dispute evidence file for one of the two traders or a staff member. */
export async function readDisputeEvidenceFile(
  { services, actor }: OperationOptions,
  evidenceId: string,
) {
  const evidence = await services.prisma.disputeEvidence.findUnique({
    where: { id: evidenceId },
    select: { disputeId: true, storageKey: true },
  });
  if (!evidence?.storageKey) {
    throw new DomainError('NOT_FOUND', 'Evidence file not found.', { evidenceId });
  }
  await services.prisma.$transaction((tx) => loadDisputeFor(tx, actor, evidence.disputeId));
  const bytes = await services.storage.get(evidence.storageKey);

  return { bytes, mimeType: sniffFileType(bytes) ?? 'application/octet-stream' };
}

/**
 * Executes a support agent's decision through the escrow state machine. In escrow, COMPLETE
 * releases both tickets to their receivers; RETURN_BOTH gives both back; SPLIT releases the
 * tickets whose receiver confirmed them and returns the rest. After completion, COMPLETE
 * upholds the trade; RETURN_BOTH undoes it; SPLIT undoes only the reported ticket's leg. The
 * settlement job then moves the cash to match, refunding the top-up and reversing its payout
 * when the payer no longer keeps the ticket they paid for.
 */
export async function resolveDispute(
  { services, actor, meta }: OperationOptions,
  input: { disputeId: string; outcome: DisputeOutcome; note: string },
) {
  return services.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Dispute" WHERE id = ${input.disputeId}::uuid FOR UPDATE`;
    const dispute = await tx.dispute.findUnique({
      where: { id: input.disputeId },
      select: { id: true, state: true, tradeId: true, afterCompletion: true, ticketId: true },
    });
    if (!dispute) {
      throw new DomainError('NOT_FOUND', 'Dispute not found.', { disputeId: input.disputeId });
    }
    if (dispute.state === 'RESOLVED') {
      throw new DomainError('TRADE_STATE', 'This dispute is already decided.');
    }

    const parties = partiesOf(await tx.escrowDeposit.findMany({
      where: { tradeId: dispute.tradeId },
      select: { fromUserId: true, toUserId: true },
    }));
    const by = {
      actorId: actor.userId,
      actorRole: actor.role,
      requestId: meta.requestId,
      reason: `dispute on trade ${dispute.tradeId}: ${input.outcome.toLowerCase()}`,
    };
    if (dispute.afterCompletion) {
      await settleAfterCompletion(tx, services, dispute, input.outcome, by);
    } else {
      await settle(tx, dispute.tradeId, input.outcome, by, services);
    }
    const resolved = await tx.dispute.update({
      where: { id: dispute.id },
      data: {
        state: 'RESOLVED',
        outcome: input.outcome,
        decidedById: actor.userId,
        decidedAt: services.now(),
        decisionNote: input.note,
      },
      select: { id: true, state: true, outcome: true, decidedAt: true },
    });
    await appendAudit(tx, {
      actorId: actor.userId,
      actorRole: actor.role,
      action: 'dispute.resolved',
      entityType: 'Trade',
      entityId: dispute.tradeId,
      data: { disputeId: dispute.id, outcome: input.outcome, note: input.note },
      requestId: meta.requestId,
    });
    await emitEvent(tx, { type: 'Trade', id: dispute.tradeId }, {
      type: 'dispute.resolved',
      version: 1,
      disputeId: dispute.id,
      tradeId: dispute.tradeId,
      outcome: input.outcome,
      userIds: parties,
    });

    return resolved;
  });
}

async function settle(
  tx: Tx,
  tradeId: string,
  outcome: DisputeOutcome,
  by: SettlementActor,
  services: Services,
) {
  if (outcome === 'COMPLETE') {
    await completeTrade(tx, tradeId, 'DISPUTED', by, services);

    return;
  }

  await transitionTrade(tx, tradeId, 'DISPUTED', outcome === 'RETURN_BOTH' ? 'RETURNED' : 'SPLIT');
  // The settlement job reads the deposits this ruling leaves, so a SPLIT pays or refunds the
  // top-up according to which tickets were released (see settleTradePayment).
  await queuePaymentSettlement(tx, services, tradeId);
  const deposits = await tx.escrowDeposit.findMany({
    where: { tradeId, state: 'HELD' },
    select: {
      id: true,
      ticketId: true,
      fromUserId: true,
      toUserId: true,
      valueMinor: true,
      transfer: { select: { state: true } },
    },
  });
  for (const { transfer, ...deposit } of deposits) {
    if (outcome === 'SPLIT' && transfer?.state === 'CONFIRMED') {
      await releaseDeposit(tx, deposit, tradeId, by);
    } else {
      await returnDeposit(tx, deposit, tradeId, by);
    }
  }
}

/**
 * Executes a ruling on a dispute opened after completion. The tickets were already handed over, so
 * undoing a leg gives the ticket back to its giver on record (the reported ticket as void,
 * the other withdrawn from the market until its owner lists it again) and reverses the credits.
 */
async function settleAfterCompletion(
  tx: Tx,
  services: Services,
  dispute: { tradeId: string; ticketId: string | null },
  outcome: DisputeOutcome,
  by: SettlementActor,
) {
  const { tradeId } = dispute;
  if (outcome === 'COMPLETE') {
    await transitionTrade(tx, tradeId, 'DISPUTED', 'COMPLETED');
    // Pays a payout the dispute held back; a paid one is left alone.
    await queuePaymentSettlement(tx, services, tradeId);

    return;
  }

  await transitionTrade(tx, tradeId, 'DISPUTED', outcome === 'RETURN_BOTH' ? 'RETURNED' : 'SPLIT');
  const released = await tx.escrowDeposit.findMany({
    where: { tradeId, state: 'RELEASED' },
    select: { id: true, ticketId: true, fromUserId: true, toUserId: true, valueMinor: true },
  });
  for (const deposit of released) {
    const reported = deposit.ticketId === dispute.ticketId;
    if (outcome === 'RETURN_BOTH' || reported) {
      await reverseDeposit(tx, deposit, tradeId, { ...by, voidTicket: reported });
    }
  }
  await queuePaymentSettlement(tx, services, tradeId);
}

export const disputeSelect = {
  id: true,
  state: true,
  reason: true,
  afterCompletion: true,
  ticketId: true,
  outcome: true,
  decisionNote: true,
  decidedAt: true,
  createdAt: true,
  tradeId: true,
  openedBy: { select: { id: true, displayName: true } },
  decidedBy: { select: { id: true, displayName: true } },
  evidence: {
    select: {
      id: true,
      note: true,
      createdAt: true,
      // Read only to tell whether a file is attached; clients fetch it by evidence id.
      storageKey: true,
      uploadedBy: { select: { id: true, displayName: true, role: true } },
    },
    orderBy: { createdAt: 'asc' },
  },
} as const satisfies Prisma.DisputeSelect;

/**
 * Lists the trade's disputes for one of its traders. Evidence shows whether a file is attached,
 * not where it is stored.
 */
export async function listTradeDisputes({ services, actor }: OperationOptions, tradeId: string) {
  const disputes = await services.prisma.dispute.findMany({
    where: {
      tradeId,
      trade: { deposits: { some: { OR: [{ fromUserId: actor.userId }, { toUserId: actor.userId }] } } },
    },
    select: disputeSelect,
    orderBy: { createdAt: 'desc' },
  });

  return disputes.map((dispute) => ({
    ...dispute,
    evidence: dispute.evidence.map(({ storageKey, ...item }) => ({ ...item, hasFile: storageKey !== null })),
  }));
}

/** Loads a dispute for the console with both sides' evidence, transfers and audit trail. */
export async function getDisputeForStaff(services: Services, disputeId: string) {
  const dispute = await services.prisma.dispute.findUnique({
    where: { id: disputeId },
    select: {
      ...disputeSelect,
      trade: {
        select: {
          id: true,
          state: true,
          createdAt: true,
          releaseDeadline: true,
          transfers: {
            select: {
              id: true,
              state: true,
              sentAt: true,
              confirmedAt: true,
              evidence: { select: { id: true, note: true, createdAt: true, uploadedById: true } },
              deposit: {
                select: {
                  valueMinor: true,
                  fromUser: { select: { id: true, displayName: true } },
                  toUser: { select: { id: true, displayName: true } },
                  ticket: { select: { id: true, section: true, row: true, seat: true, event: { select: { name: true } } } },
                },
              },
            },
          },
        },
      },
    },
  });
  if (!dispute) {
    throw new DomainError('NOT_FOUND', 'Dispute not found.', { disputeId });
  }
  const auditRows = await services.prisma.auditLog.findMany({
    where: { entityType: 'Trade', entityId: dispute.tradeId },
    orderBy: { id: 'asc' },
    select: { id: true, at: true, action: true, actorId: true, actorRole: true, data: true },
  });
  const audit = auditRows.map((row) => ({ ...row, id: row.id.toString() }));

  return { ...dispute, audit };
}
