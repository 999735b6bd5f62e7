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
  heldDeposits,
  partiesOf,
  releaseDeposit,
  returnDeposit,
  transitionTrade,
} from './escrow.ts';

async function lockTrade(tx: Tx, tradeId: string) {
  await tx.$queryRaw`SELECT id FROM "Trade" WHERE id = ${tradeId}::uuid FOR UPDATE`;
  const trade = await tx.trade.findUnique({
    where: { id: tradeId },
    select: { id: true, state: true, deposits: { select: { fromUserId: true, toUserId: true } } },
  });
  if (!trade) {
    throw new DomainError('NOT_FOUND', 'Trade not found.', { tradeId });
  }

  return trade;
}

/**
 * Opens a dispute on a trade in escrow. The trade freezes: no transfer can be marked or
 * confirmed and the escrow deadline no longer returns the tickets until support decides.
 */
export async function openDispute(
  { services, actor, meta }: OperationOptions,
  input: { tradeId: string; reason: string; note: string },
) {
  return services.prisma.$transaction(async (tx) => {
    const trade = await lockTrade(tx, input.tradeId);
    const parties = partiesOf(trade.deposits);
    if (!parties.includes(actor.userId)) {
      throw new DomainError('NOT_FOUND', 'Trade not found.', { tradeId: input.tradeId });
    }
    if (trade.state !== 'ESCROWED') {
      throw new DomainError(
        'TRADE_STATE',
        trade.state === 'DISPUTED'
          ? 'This trade already has an open dispute; add your evidence to it.'
          : `A ${trade.state.toLowerCase().replace('_', ' ')} trade cannot be disputed.`,
      );
    }

    await transitionTrade(tx, trade.id, 'ESCROWED', 'DISPUTED');
    const dispute = await tx.dispute.create({
      data: {
        tradeId: trade.id,
        openedById: actor.userId,
        reason: input.reason,
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
      data: { disputeId: dispute.id, reason: input.reason },
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
 * Executes a support agent's decision through the escrow state machine. COMPLETE releases
 * both tickets to their receivers; RETURN_BOTH gives both back; SPLIT releases the tickets
 * whose receiver confirmed them and returns the rest.
 */
export async function resolveDispute(
  { services, actor, meta }: OperationOptions,
  input: { disputeId: string; outcome: DisputeOutcome; note: string },
) {
  return services.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Dispute" WHERE id = ${input.disputeId}::uuid FOR UPDATE`;
    const dispute = await tx.dispute.findUnique({
      where: { id: input.disputeId },
      select: { id: true, state: true, tradeId: true },
    });
    if (!dispute) {
      throw new DomainError('NOT_FOUND', 'Dispute not found.', { disputeId: input.disputeId });
    }
    if (dispute.state === 'RESOLVED') {
      throw new DomainError('TRADE_STATE', 'This dispute is already decided.');
    }

    const deposits = await heldDeposits(tx, dispute.tradeId);
    await settle(tx, dispute.tradeId, input.outcome, actor.userId, meta.requestId, services);
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
      userIds: partiesOf(deposits),
    });

    return resolved;
  });
}

async function settle(
  tx: Tx,
  tradeId: string,
  outcome: DisputeOutcome,
  actorId: string,
  requestId: string,
  services?: Services,
) {
  if (outcome === 'COMPLETE') {
    await completeTrade(tx, tradeId, 'DISPUTED', actorId, requestId, services);

    return;
  }

  const by = { actorId, requestId, reason: `dispute on trade ${tradeId}: ${outcome.toLowerCase()}` };
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

export const disputeSelect = {
  id: true,
  state: true,
  reason: true,
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

export async function listTradeDisputes({ services, actor }: OperationOptions, tradeId: string) {
  return services.prisma.dispute.findMany({
    where: {
      tradeId,
      trade: { deposits: { some: { OR: [{ fromUserId: actor.userId }, { toUserId: actor.userId }] } } },
    },
    select: disputeSelect,
    orderBy: { createdAt: 'desc' },
  });
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
