import type { Prisma, TradeState, Tx } from '@ts/db';

import { appendAudit } from '../audit/audit.ts';
import { emitEvent } from '../audit/outbox.ts';
import type { OperationOptions, Services } from '../context.ts';
import { DomainError } from '../errors.ts';
import { postJournal } from '../ledger/ledger.ts';
import { scheduleEscrowReminders } from '../notifications/reminders.ts';
import { queuePaymentSettlement, recordAuthorizedTopUp, topUpHoldMissing } from '../payments/trade-payments.ts';
import { eventSummarySelect } from '../tickets/queries.ts';
import { reportDeadline } from './report-window.ts';
import { transitionTicket } from '../tickets/state.ts';
import { schedulePartnerTransfers } from '../transfers/schedule.ts';

export const escrowTimeoutJob = 'escrow.timeout';

/** Every allowed trade state change. */
const tradeTransitions: Record<TradeState, readonly TradeState[]> = {
  ESCROWED: ['COMPLETED', 'DISPUTED', 'TIMED_OUT'],
  DISPUTED: ['COMPLETED', 'RETURNED', 'SPLIT'],
  // A receiver may report a ticket that did not work after completion (see openDispute).
  COMPLETED: ['DISPUTED'],
  TIMED_OUT: [],
  RETURNED: [],
  SPLIT: [],
};

export async function transitionTrade(tx: Tx, tradeId: string, from: TradeState, to: TradeState) {
  if (!tradeTransitions[from].includes(to)) {
    throw new Error(`Trade transition ${from} -> ${to} is not allowed`);
  }
  const updated = await tx.trade.updateMany({ where: { id: tradeId, state: from }, data: { state: to } });
  if (updated.count !== 1) {
    throw new DomainError('TRADE_STATE', 'This trade changed meanwhile; reload it.', { tradeId });
  }
  if (to === 'COMPLETED') {
    // The first completion counts; a dispute after completion that upholds the trade keeps it.
    await tx.trade.updateMany({ where: { id: tradeId, completedAt: null }, data: { completedAt: new Date() } });
  }
}

/** A card hold for a proposal's cash top-up, placed before its trade opens. */
export interface AuthorizedTopUp {
  providerPaymentId: string;
  amountMinor: number;
  currency: string;
}

/**
 * Opens a trade for a fully accepted proposal inside the caller's transaction. Every ticket
 * goes into escrow (HELD) and each giver is credited the ticket's value against the escrow
 * account. A transfer is opened per ticket and the escrow deadline is scheduled. A proposal
 * with a cash difference opens only with its authorized top-up, recorded as its Payment.
 */
export async function openTrade(
  tx: Tx,
  { services, actor, meta }: OperationOptions,
  proposalId: string,
  topUp?: AuthorizedTopUp,
) {
  const now = services.now();
  const terms = await tx.proposal.findUniqueOrThrow({
    where: { id: proposalId },
    select: { cashDiffMinor: true, payerId: true },
  });
  if (terms.cashDiffMinor > 0 && (!topUp || topUp.amountMinor !== terms.cashDiffMinor)) {
    throw new Error(`Proposal ${proposalId} needs an authorized top-up of ${terms.cashDiffMinor}`);
  }
  const legs = await tx.proposalLeg.findMany({
    where: { proposalId },
    select: {
      ticketId: true,
      fromUserId: true,
      toUserId: true,
      ticket: { select: { valueMinor: true, transferMethod: true } },
    },
  });
  const releaseDeadline = new Date(now.getTime() + services.config.escrowHours * 3_600_000);

  const closed = await tx.proposal.updateMany({
    where: { id: proposalId, state: 'OPEN' },
    data: { state: 'ACCEPTED', closedAt: now },
  });
  if (closed.count !== 1) {
    throw new DomainError('PROPOSAL_CLOSED', 'This proposal was closed meanwhile.');
  }
  const trade = await tx.trade.create({ data: { proposalId, releaseDeadline }, select: { id: true } });

  for (const leg of legs) {
    await transitionTicket(tx, {
      ticketId: leg.ticketId,
      from: 'IN_TRADE',
      to: 'ESCROWED',
      ownerId: leg.fromUserId,
      actorId: actor.userId,
      requestId: meta.requestId,
      reason: `escrow for trade ${trade.id}`,
    });
    const valueMinor = leg.ticket.valueMinor ?? 0;
    const deposit = await tx.escrowDeposit.create({
      data: {
        tradeId: trade.id,
        ticketId: leg.ticketId,
        fromUserId: leg.fromUserId,
        toUserId: leg.toUserId,
        valueMinor,
      },
      select: { id: true },
    });
    await tx.transfer.create({
      data: { tradeId: trade.id, depositId: deposit.id, method: leg.ticket.transferMethod },
    });
    await postJournal(tx, {
      kind: 'escrow.deposit',
      tradeId: trade.id,
      lines: [
        { account: 'TRADER_CREDITS', userId: leg.fromUserId, unit: 'CREDIT', amountMinor: valueMinor },
        { account: 'ESCROW_CREDITS', userId: null, unit: 'CREDIT', amountMinor: -valueMinor },
      ],
    });
  }

  if (topUp && terms.payerId && terms.cashDiffMinor > 0) {
    await recordAuthorizedTopUp(tx, services, {
      tradeId: trade.id,
      proposalId,
      payerId: terms.payerId,
      topUp,
      requestId: meta.requestId,
    });
  }

  // Other open proposals for these tickets can no longer happen.
  await tx.proposal.updateMany({
    where: { state: 'OPEN', legs: { some: { ticketId: { in: legs.map((l) => l.ticketId) } } } },
    data: { state: 'CANCELLED', closedAt: now },
  });
  await appendAudit(tx, {
    actorId: actor.userId,
    actorRole: actor.role,
    action: 'trade.escrowed',
    entityType: 'Trade',
    entityId: trade.id,
    data: { proposalId, tickets: legs.map((l) => l.ticketId), releaseDeadline: releaseDeadline.toISOString() },
    requestId: meta.requestId,
  });
  const userIds = [...new Set(legs.map((l) => l.fromUserId))];
  await emitEvent(tx, { type: 'Trade', id: trade.id }, {
    type: 'trade.escrowed',
    version: 1,
    tradeId: trade.id,
    userIds,
  });
  await services.jobs.send(escrowTimeoutJob, { tradeId: trade.id }, {
    tx,
    startAfter: releaseDeadline,
    singletonKey: trade.id,
  });
  await scheduleEscrowReminders(tx, services, trade.id, releaseDeadline);
  await schedulePartnerTransfers(tx, services, trade.id);

  return trade.id;
}

export const tradeSelect = {
  id: true,
  state: true,
  releaseDeadline: true,
  completedAt: true,
  createdAt: true,
  proposalId: true,
  transfers: {
    select: {
      id: true,
      method: true,
      state: true,
      sentAt: true,
      confirmedAt: true,
      evidence: { select: { id: true, note: true, createdAt: true, uploadedById: true } },
      deposit: {
        select: {
          id: true,
          state: true,
          valueMinor: true,
          fromUserId: true,
          toUserId: true,
          fromUser: { select: { displayName: true } },
          toUser: { select: { displayName: true } },
          ticket: {
            select: { id: true, section: true, row: true, seat: true, event: { select: eventSummarySelect } },
          },
        },
      },
    },
    orderBy: { createdAt: 'asc' },
  },
} as const satisfies Prisma.TradeSelect;

function partyFilter(userId: string): Prisma.TradeWhereInput {
  return { deposits: { some: { OR: [{ fromUserId: userId }, { toUserId: userId }] } } };
}

export async function listMyTrades({ services, actor }: OperationOptions) {
  return services.prisma.trade.findMany({
    where: partyFilter(actor.userId),
    select: tradeSelect,
    orderBy: { createdAt: 'desc' },
  });
}

export async function getMyTrade({ services, actor }: OperationOptions, tradeId: string) {
  const trade = await services.prisma.trade.findFirst({
    where: { id: tradeId, ...partyFilter(actor.userId) },
    select: tradeSelect,
  });
  if (!trade) {
    throw new DomainError('NOT_FOUND', 'Trade not found.', { tradeId });
  }

  return trade;
}

/**
 * Lists the tickets of a completed trade that the caller received and may still report as not
 * working, each with the end of its report window (see openDispute). Empty for other trades.
 */
export async function reportableTickets(options: OperationOptions, tradeId: string) {
  const trade = await getMyTrade(options, tradeId);
  const { services, actor } = options;
  const completedAt = trade.state === 'COMPLETED' ? trade.completedAt : null;
  if (!completedAt) {
    return [];
  }

  const reported = await services.prisma.dispute.findMany({
    where: { tradeId, ticketId: { not: null } },
    select: { ticketId: true },
  });
  const reportedIds = new Set(reported.map((d) => d.ticketId));

  return trade.transfers
    .filter((t) => t.deposit.toUserId === actor.userId && t.deposit.state === 'RELEASED')
    .filter((t) => !reportedIds.has(t.deposit.ticket.id))
    .map((t) => ({
      ticketId: t.deposit.ticket.id,
      eventName: t.deposit.ticket.event?.name ?? null,
      seat: [t.deposit.ticket.section, t.deposit.ticket.row, t.deposit.ticket.seat].filter(Boolean).join(' · '),
      until: reportDeadline(completedAt, t.deposit.ticket.event?.startsAt ?? completedAt, services.config),
    }))
    .filter((r) => r.until > services.now());
}

async function loadTransfer(tx: Tx, transferId: string) {
  await tx.$queryRaw`SELECT id FROM "Transfer" WHERE id = ${transferId}::uuid FOR UPDATE`;
  const transfer = await tx.transfer.findUnique({
    where: { id: transferId },
    select: {
      id: true,
      state: true,
      tradeId: true,
      trade: { select: { state: true } },
      deposit: { select: { fromUserId: true, toUserId: true } },
    },
  });
  if (!transfer) {
    throw new DomainError('NOT_FOUND', 'Transfer not found.', { transferId });
  }

  return transfer;
}

/** Marks a transfer as sent by its sender, with a note as evidence. */
export async function markTransferSent(
  { services, actor, meta }: OperationOptions,
  input: { transferId: string; note: string },
) {
  return services.prisma.$transaction(async (tx) => {
    const transfer = await loadTransfer(tx, input.transferId);
    if (transfer.deposit.fromUserId !== actor.userId) {
      throw new DomainError('NOT_A_PARTY', 'Only the sender can mark this transfer as sent.');
    }
    if (transfer.trade.state !== 'ESCROWED') {
      throw new DomainError('TRADE_STATE', `This trade is ${transfer.trade.state.toLowerCase()}.`);
    }
    if (transfer.state !== 'PENDING') {
      throw new DomainError('TRANSFER_STATE', 'This transfer was already marked as sent.');
    }

    await tx.transfer.update({
      where: { id: transfer.id },
      data: {
        state: 'SENT',
        sentAt: services.now(),
        evidence: { create: { uploadedById: actor.userId, note: input.note } },
      },
    });
    await appendAudit(tx, {
      actorId: actor.userId,
      actorRole: actor.role,
      action: 'transfer.sent',
      entityType: 'Transfer',
      entityId: transfer.id,
      data: { tradeId: transfer.tradeId },
      requestId: meta.requestId,
    });
    await emitEvent(tx, { type: 'Trade', id: transfer.tradeId }, {
      type: 'transfer.sent',
      version: 1,
      tradeId: transfer.tradeId,
      transferId: transfer.id,
    });

    return tx.trade.findUniqueOrThrow({ where: { id: transfer.tradeId }, select: tradeSelect });
  });
}

/**
 * Records the receiver's confirmation that the ticket arrived. When every transfer of the trade
 * is confirmed, the same transaction completes the trade: ownership swaps and escrow is released.
 */
export async function confirmTransfer(
  { services, actor, meta }: OperationOptions,
  input: { transferId: string },
) {
  return services.prisma.$transaction(async (tx) => {
    const transfer = await loadTransfer(tx, input.transferId);
    if (transfer.deposit.toUserId !== actor.userId) {
      throw new DomainError('NOT_A_PARTY', 'Only the receiver can confirm this transfer.');
    }
    await applyConfirmation(tx, services, transfer, {
      actorId: actor.userId,
      actorRole: actor.role,
      requestId: meta.requestId,
    });

    return tx.trade.findUniqueOrThrow({ where: { id: transfer.tradeId }, select: tradeSelect });
  });
}

/**
 * Confirms a transfer that a ticketing partner reported as completed, through the same steps
 * as a receiver's confirmation. Returns false, changing nothing, when the transfer is no
 * longer SENT or its trade no longer in escrow, so a repeated report is harmless.
 */
export async function confirmTransferBySystem(
  services: Services,
  transferId: string,
  source: { adapter: string; externalRef: string | null; requestId?: string },
): Promise<boolean> {
  return services.prisma.$transaction(async (tx) => {
    const transfer = await loadTransfer(tx, transferId);
    if (transfer.state !== 'SENT' || transfer.trade.state !== 'ESCROWED') {
      return false;
    }
    await applyConfirmation(tx, services, transfer, {
      actorId: null,
      actorRole: 'system',
      requestId: source.requestId,
      data: { adapter: source.adapter, externalRef: source.externalRef },
    });

    return true;
  });
}

interface ConfirmedBy {
  actorId: string | null;
  actorRole: string;
  requestId?: string;
  /** Extra audit data, such as the partner's transfer reference. */
  data?: Record<string, unknown>;
}

export async function applyConfirmation(
  tx: Tx,
  services: Services,
  transfer: Awaited<ReturnType<typeof loadTransfer>>,
  by: ConfirmedBy,
) {
  if (transfer.trade.state !== 'ESCROWED') {
    throw new DomainError('TRADE_STATE', `This trade is ${transfer.trade.state.toLowerCase()}.`);
  }
  if (transfer.state !== 'SENT') {
    throw new DomainError(
      'TRANSFER_STATE',
      transfer.state === 'CONFIRMED'
        ? 'This transfer is already confirmed.'
        : 'The sender has not marked this transfer as sent yet.',
    );
  }

  await tx.transfer.update({
    where: { id: transfer.id },
    data: { state: 'CONFIRMED', confirmedAt: services.now() },
  });
  await appendAudit(tx, {
    actorId: by.actorId,
    actorRole: by.actorRole,
    action: 'transfer.confirmed',
    entityType: 'Transfer',
    entityId: transfer.id,
    data: { tradeId: transfer.tradeId, ...by.data },
    requestId: by.requestId,
  });
  await emitEvent(tx, { type: 'Trade', id: transfer.tradeId }, {
    type: 'transfer.confirmed',
    version: 1,
    tradeId: transfer.tradeId,
    transferId: transfer.id,
  });

  const open = await tx.transfer.count({
    where: { tradeId: transfer.tradeId, state: { not: 'CONFIRMED' } },
  });
  if (open === 0 && await topUpHoldMissing(tx, transfer.tradeId)) {
    // Both tickets arrived but the payer's card hold was released; the renewed hold completes
    // the trade (applyRenewedHold), or the escrow deadline returns both tickets.
    await appendAudit(tx, {
      actorId: by.actorId,
      action: 'trade.waiting_for_top_up',
      entityType: 'Trade',
      entityId: transfer.tradeId,
      requestId: by.requestId,
    });
  } else if (open === 0) {
    await completeTrade(tx, transfer.tradeId, 'ESCROWED', by, services);
  }
}

export interface HeldDeposit {
  id: string;
  ticketId: string;
  fromUserId: string;
  toUserId: string;
  valueMinor: number;
}

export interface SettlementActor {
  actorId: string | null;
  /** Role of the actor for the audit trail, e.g. SUPPORT for a ruling; unset for a trader's own step. */
  actorRole?: string;
  requestId?: string;
  reason: string;
}

export async function heldDeposits(tx: Tx, tradeId: string): Promise<HeldDeposit[]> {
  return tx.escrowDeposit.findMany({
    where: { tradeId, state: 'HELD' },
    select: { id: true, ticketId: true, fromUserId: true, toUserId: true, valueMinor: true },
  });
}

/** Hands an escrowed ticket to its receiver, who spends its value in credits to take it out. */
export async function releaseDeposit(tx: Tx, deposit: HeldDeposit, tradeId: string, by: SettlementActor) {
  await transitionTicket(tx, {
    ticketId: deposit.ticketId,
    from: 'ESCROWED',
    to: 'TRANSFERRED',
    ownerId: deposit.fromUserId,
    newOwnerId: deposit.toUserId,
    actorId: by.actorId,
    actorRole: by.actorRole,
    requestId: by.requestId,
    reason: by.reason,
  });
  await tx.escrowDeposit.update({
    where: { id: deposit.id },
    data: { state: 'RELEASED', closedAt: new Date() },
  });
  await postJournal(tx, {
    kind: 'escrow.release',
    tradeId,
    lines: [
      { account: 'TRADER_CREDITS', userId: deposit.toUserId, unit: 'CREDIT', amountMinor: -deposit.valueMinor },
      { account: 'ESCROW_CREDITS', userId: null, unit: 'CREDIT', amountMinor: deposit.valueMinor },
    ],
  });
}

/** Gives an escrowed ticket back to its giver, listed again, and reverses the escrow credit. */
export async function returnDeposit(tx: Tx, deposit: HeldDeposit, tradeId: string, by: SettlementActor) {
  await transitionTicket(tx, {
    ticketId: deposit.ticketId,
    from: 'ESCROWED',
    to: 'LISTED',
    ownerId: deposit.fromUserId,
    actorId: by.actorId,
    actorRole: by.actorRole,
    requestId: by.requestId,
    reason: by.reason,
  });
  await tx.escrowDeposit.update({
    where: { id: deposit.id },
    data: { state: 'RETURNED', closedAt: new Date() },
  });
  await postJournal(tx, {
    kind: 'escrow.return',
    tradeId,
    lines: [
      { account: 'TRADER_CREDITS', userId: deposit.fromUserId, unit: 'CREDIT', amountMinor: -deposit.valueMinor },
      { account: 'ESCROW_CREDITS', userId: null, unit: 'CREDIT', amountMinor: deposit.valueMinor },
    ],
  });
}

/**
 * Undoes a released deposit after completion: the ticket goes back to its giver on record and
 * the credits of both sides are restored. The reported ticket is voided (EXPIRED, never listed
 * again); the other is WITHDRAWN so its giver decides whether to list it. A ticket its receiver
 * has since put into another trade cannot be taken back, and the ruling fails with that reason.
 */
export async function reverseDeposit(
  tx: Tx,
  deposit: HeldDeposit,
  tradeId: string,
  by: SettlementActor & { voidTicket: boolean },
) {
  const ticket = await tx.ticket.findUniqueOrThrow({
    where: { id: deposit.ticketId },
    select: { state: true, ownerId: true },
  });
  if (ticket.ownerId !== deposit.toUserId || ticket.state === 'IN_TRADE' || ticket.state === 'ESCROWED') {
    throw new DomainError(
      'TRADE_STATE',
      'A ticket of this trade has moved on since (into another trade or to another owner), so it cannot be handed back. Resolve that first.',
      { tradeId, ticketId: deposit.ticketId },
    );
  }
  const target = by.voidTicket ? 'EXPIRED' : 'WITHDRAWN';
  if (ticket.state === target || ticket.state === 'EXPIRED') {
    await tx.ticket.update({
      where: { id: deposit.ticketId },
      data: { ownerId: deposit.fromUserId, version: { increment: 1 } },
    });
    await appendAudit(tx, {
      actorId: by.actorId,
      actorRole: by.actorRole,
      action: 'ticket.owner_restored',
      entityType: 'Ticket',
      entityId: deposit.ticketId,
      data: { state: ticket.state, newOwnerId: deposit.fromUserId, reason: by.reason },
      requestId: by.requestId,
    });
  } else {
    await transitionTicket(tx, {
      ticketId: deposit.ticketId,
      from: ticket.state,
      to: target,
      ownerId: deposit.toUserId,
      newOwnerId: deposit.fromUserId,
      actorId: by.actorId,
      actorRole: by.actorRole,
      requestId: by.requestId,
      reason: by.reason,
    });
  }
  const reversed = await tx.escrowDeposit.updateMany({
    where: { id: deposit.id, state: 'RELEASED' },
    data: { state: 'REVERSED', closedAt: new Date() },
  });
  if (reversed.count !== 1) {
    throw new DomainError('TRADE_STATE', 'This trade changed meanwhile; reload it.', { tradeId });
  }
  await postJournal(tx, {
    kind: 'escrow.reversed',
    tradeId,
    lines: [
      { account: 'TRADER_CREDITS', userId: deposit.toUserId, unit: 'CREDIT', amountMinor: deposit.valueMinor },
      { account: 'TRADER_CREDITS', userId: deposit.fromUserId, unit: 'CREDIT', amountMinor: -deposit.valueMinor },
    ],
  });
}

export function partiesOf(deposits: { fromUserId: string; toUserId: string }[]): string[] {
  return [...new Set(deposits.flatMap((d) => [d.fromUserId, d.toUserId]))];
}

/** Releases every held ticket to its receiver; `from` is ESCROWED, or DISPUTED for a ruling. */
export async function completeTrade(
  tx: Tx,
  tradeId: string,
  from: 'ESCROWED' | 'DISPUTED',
  by: Omit<SettlementActor, 'reason'>,
  services?: Services,
) {
  const { actorId, actorRole, requestId } = by;
  await transitionTrade(tx, tradeId, from, 'COMPLETED');
  // A trade with a cash top-up also queues its capture and payout, which need `services`.
  await queuePaymentSettlement(tx, services, tradeId);
  const deposits = await heldDeposits(tx, tradeId);
  for (const deposit of deposits) {
    await releaseDeposit(tx, deposit, tradeId, { ...by, reason: `trade ${tradeId} completed` });
  }

  await appendAudit(tx, {
    actorId,
    actorRole,
    action: 'trade.completed',
    entityType: 'Trade',
    entityId: tradeId,
    requestId,
  });
  await emitEvent(tx, { type: 'Trade', id: tradeId }, {
    type: 'trade.completed',
    version: 1,
    tradeId,
    userIds: partiesOf(deposits),
  });
}

/**
 * Ends a trade whose transfers were not all confirmed by its deadline: every ticket goes back
 * to its giver and is listed again, and the escrow credits are reversed. Running it again,
 * or on a trade that already finished or is disputed, changes nothing.
 */
export async function timeOutTrade(services: Services, tradeId: string): Promise<boolean> {
  return services.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Trade" WHERE id = ${tradeId}::uuid FOR UPDATE`;
    const trade = await tx.trade.findUnique({
      where: { id: tradeId },
      select: { state: true, releaseDeadline: true },
    });
    if (!trade || trade.state !== 'ESCROWED' || trade.releaseDeadline > services.now()) {
      return false;
    }

    await transitionTrade(tx, tradeId, 'ESCROWED', 'TIMED_OUT');
    await queuePaymentSettlement(tx, services, tradeId);
    const deposits = await heldDeposits(tx, tradeId);
    for (const deposit of deposits) {
      await returnDeposit(tx, deposit, tradeId, { actorId: null, reason: `trade ${tradeId} timed out` });
    }
    await appendAudit(tx, {
      actorId: null,
      action: 'trade.timed_out',
      entityType: 'Trade',
      entityId: tradeId,
    });
    await emitEvent(tx, { type: 'Trade', id: tradeId }, {
      type: 'trade.timed_out',
      version: 1,
      tradeId,
      userIds: partiesOf(deposits),
    });

    return true;
  });
}
