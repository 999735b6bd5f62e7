import type { Prisma, Tx } from '@ts/db';

import { requireVerifiedTrader } from '../accounts/kyc.ts';
import { appendAudit } from '../audit/audit.ts';
import { emitEvent } from '../audit/outbox.ts';
import type { OperationOptions } from '../context.ts';
import { DomainError } from '../errors.ts';
import { cashTermsFor, startTopUp, type TopUpView } from '../payments/topup.ts';
import { eventSummarySelect } from '../tickets/queries.ts';
import { transitionTicket } from '../tickets/state.ts';
import { openTrade } from './escrow.ts';

export const proposalSelect = {
  id: true,
  state: true,
  score: true,
  cashDiffMinor: true,
  payerId: true,
  expiresAt: true,
  closedAt: true,
  createdAt: true,
  trade: { select: { id: true, state: true } },
  legs: {
    select: {
      id: true,
      fromUserId: true,
      toUserId: true,
      acceptedAt: true,
      rejectedAt: true,
      fromUser: { select: { displayName: true } },
      ticket: {
        select: {
          id: true,
          section: true,
          row: true,
          seat: true,
          valueMinor: true,
          faceValueMinor: true,
          event: { select: eventSummarySelect },
        },
      },
    },
  },
} as const satisfies Prisma.ProposalSelect;

export type ProposalView = Prisma.ProposalGetPayload<{ select: typeof proposalSelect }>;

export async function listMyProposals({ services, actor }: OperationOptions) {
  return services.prisma.proposal.findMany({
    where: { legs: { some: { OR: [{ fromUserId: actor.userId }, { toUserId: actor.userId }] } } },
    select: proposalSelect,
    orderBy: { createdAt: 'desc' },
    take: 100,
  });
}

/** Locks the proposal row so that concurrent accepts and rejects of it run one after another. */
async function lockProposal(tx: Tx, proposalId: string) {
  await tx.$queryRaw`SELECT id FROM "Proposal" WHERE id = ${proposalId}::uuid FOR UPDATE`;
  const proposal = await tx.proposal.findUnique({
    where: { id: proposalId },
    select: {
      id: true,
      state: true,
      expiresAt: true,
      legs: { select: { id: true, ticketId: true, fromUserId: true, toUserId: true, acceptedAt: true } },
    },
  });
  if (!proposal) {
    throw new DomainError('NOT_FOUND', 'Proposal not found.', { proposalId });
  }

  return proposal;
}

function requireOpen(proposal: { state: string; expiresAt: Date }, now: Date): void {
  if (proposal.state === 'EXPIRED' || (proposal.state === 'OPEN' && proposal.expiresAt <= now)) {
    throw new DomainError('PROPOSAL_EXPIRED', 'This proposal has expired.');
  }
  if (proposal.state !== 'OPEN') {
    throw new DomainError(
      'PROPOSAL_CLOSED',
      `This proposal is already ${proposal.state.toLowerCase()}.`,
    );
  }
}

/**
 * Records the trader's acceptance and commits their ticket to the proposal. When every side has
 * accepted, the same transaction puts all tickets in escrow and opens the trade. A ticket that
 * its owner already committed to another proposal makes the accept fail with no effect.
 *
 * A proposal with a cash difference does not open at the last acceptance: it stays OPEN with
 * every ticket committed while the payer's card hold is requested. The trade opens in the
 * transaction that records the hold (at once in test mode, else from the webhook), so no trade
 * ever exists without its authorized top-up. If the proposal expires first, its tickets return
 * to the market and a late hold is cancelled.
 */
export async function acceptProposal(
  options: OperationOptions,
  proposalId: string,
): Promise<ProposalView & { topUp: TopUpView | null }> {
  const { services, actor, meta } = options;
  await requireVerifiedTrader(services, actor.userId);

  const accepted = await services.prisma.$transaction(async (tx) => {
    const proposal = await lockProposal(tx, proposalId);
    const myLegs = proposal.legs.filter((leg) => leg.fromUserId === actor.userId);
    if (myLegs.length === 0) {
      throw new DomainError('NOT_A_PARTY', 'You are not a party to this proposal.');
    }
    if (proposal.legs.some((leg) => leg.fromUserId === leg.toUserId)) {
      throw new DomainError('OWN_TICKET', 'A proposal cannot swap a ticket with its own owner.');
    }
    requireOpen(proposal, services.now());

    // Accepting twice changes nothing; a retried request must not write a second audit row.
    const pending = myLegs.filter((l) => !l.acceptedAt);
    await rejectTicketsCommittedElsewhere(tx, pending.map((leg) => leg.ticketId));
    for (const leg of pending) {
      await transitionTicket(tx, {
        ticketId: leg.ticketId,
        from: 'LISTED',
        to: 'IN_TRADE',
        ownerId: actor.userId,
        actorId: actor.userId,
        requestId: meta.requestId,
        reason: `accepted proposal ${proposal.id}`,
      });
      await tx.proposalLeg.update({ where: { id: leg.id }, data: { acceptedAt: services.now() } });
    }
    if (pending.length > 0) {
      await appendAudit(tx, {
        actorId: actor.userId,
        actorRole: actor.role,
        action: 'proposal.accepted',
        entityType: 'Proposal',
        entityId: proposal.id,
        requestId: meta.requestId,
      });
      await emitEvent(tx, { type: 'Proposal', id: proposal.id }, {
        type: 'proposal.accepted',
        version: 1,
        proposalId: proposal.id,
        userId: actor.userId,
      });
    }

    const legs = await tx.proposalLeg.findMany({
      where: { proposalId },
      select: { acceptedAt: true },
    });
    const view = await tx.proposal.findUniqueOrThrow({ where: { id: proposalId }, select: proposalSelect });
    const everyoneAccepted = legs.every((leg) => leg.acceptedAt);
    if (everyoneAccepted && view.cashDiffMinor === 0) {
      await openTrade(tx, options, proposal.id);
    }

    return { awaitingTopUp: everyoneAccepted && view.cashDiffMinor > 0 };
  });

  let topUp: TopUpView | null = null;
  if (accepted.awaitingTopUp) {
    try {
      topUp = await startTopUp(services, proposalId, meta.requestId);
    } catch (err) {
      // The acceptance is kept, and the payer can request the top-up again through payments.topUp.
      services.logger.error({ err, requestId: meta.requestId, proposalId }, 'top-up request failed');
    }
  }
  const proposal = await services.prisma.proposal.findUniqueOrThrow({
    where: { id: proposalId },
    select: proposalSelect,
  });

  // The client secret lets its holder confirm the card payment, so only the payer gets it.
  const payerView = topUp && proposal.payerId !== actor.userId
    ? { ...topUp, clientSecret: null }
    : topUp;

  return { ...proposal, topUp: payerView };
}

/** Explains, before the guarded state change, that the trader's ticket is held by another proposal. */
async function rejectTicketsCommittedElsewhere(tx: Tx, ticketIds: string[]): Promise<void> {
  if (ticketIds.length === 0) {
    return;
  }
  const committed = await tx.ticket.count({ where: { id: { in: ticketIds }, state: 'IN_TRADE' } });
  if (committed > 0) {
    throw new DomainError(
      'TICKET_NOT_AVAILABLE',
      'Your ticket is committed to another proposal; reject that proposal first to accept this one.',
    );
  }
  // A ticket listed before its earlier trade was reported after completion waits for that ruling.
  const disputed = await tx.escrowDeposit.count({
    where: { ticketId: { in: ticketIds }, trade: { state: 'DISPUTED' } },
  });
  if (disputed > 0) {
    throw new DomainError(
      'TICKET_NOT_AVAILABLE',
      'Your ticket belongs to an earlier trade under dispute; it can be traded again once support decides.',
    );
  }
}

/** Declines a proposal; tickets other parties had committed to it go back on the market. */
export async function rejectProposal(options: OperationOptions, proposalId: string) {
  const { services, actor, meta } = options;

  return services.prisma.$transaction(async (tx) => {
    const proposal = await lockProposal(tx, proposalId);
    const isParty = proposal.legs.some(
      (leg) => leg.fromUserId === actor.userId || leg.toUserId === actor.userId,
    );
    if (!isParty) {
      throw new DomainError('NOT_A_PARTY', 'You are not a party to this proposal.');
    }
    requireOpen(proposal, services.now());

    await closeProposal(tx, proposal, 'REJECTED', services.now(), actor.userId, meta.requestId);
    await tx.proposalLeg.updateMany({
      where: { proposalId, fromUserId: actor.userId },
      data: { rejectedAt: services.now() },
    });
    await emitEvent(tx, { type: 'Proposal', id: proposal.id }, {
      type: 'proposal.rejected',
      version: 1,
      proposalId: proposal.id,
      userId: actor.userId,
    });

    return tx.proposal.findUniqueOrThrow({ where: { id: proposalId }, select: proposalSelect });
  });
}

/** Expires every open proposal past its deadline; returns how many it expired. */
export async function expireProposals(tx: Tx, now: Date): Promise<number> {
  const due = await tx.proposal.findMany({
    where: { state: 'OPEN', expiresAt: { lte: now } },
    select: {
      id: true,
      state: true,
      expiresAt: true,
      legs: { select: { id: true, ticketId: true, fromUserId: true, toUserId: true, acceptedAt: true } },
    },
  });

  for (const proposal of due) {
    await closeProposal(tx, proposal, 'EXPIRED', now, null);
    await emitEvent(tx, { type: 'Proposal', id: proposal.id }, {
      type: 'proposal.expired',
      version: 1,
      proposalId: proposal.id,
    });
  }

  return due.length;
}

async function closeProposal(
  tx: Tx,
  proposal: { id: string; legs: { ticketId: string; fromUserId: string; acceptedAt: Date | null }[] },
  state: 'REJECTED' | 'EXPIRED' | 'CANCELLED',
  now: Date,
  actorId: string | null,
  requestId?: string,
): Promise<void> {
  const closed = await tx.proposal.updateMany({
    where: { id: proposal.id, state: 'OPEN' },
    data: { state, closedAt: now },
  });
  if (closed.count !== 1) {
    throw new DomainError('PROPOSAL_CLOSED', 'This proposal was closed meanwhile.');
  }

  for (const leg of proposal.legs.filter((l) => l.acceptedAt)) {
    await transitionTicket(tx, {
      ticketId: leg.ticketId,
      from: 'IN_TRADE',
      to: 'LISTED',
      ownerId: leg.fromUserId,
      actorId,
      requestId,
      reason: `proposal ${proposal.id} ${state.toLowerCase()}`,
    });
  }
  await appendAudit(tx, {
    actorId,
    action: `proposal.${state.toLowerCase()}`,
    entityType: 'Proposal',
    entityId: proposal.id,
    requestId,
  });
}

/**
 * Offers one of the trader's listed tickets for another trader's listed ticket. Values within
 * the matching tolerance swap as they are; a wider gap, up to `maxCashGap`, is bridged by a
 * cash top-up from the owner of the lower-valued ticket (see cashTermsFor).
 */
export async function createDirectProposal(
  options: OperationOptions,
  input: { offeredTicketId: string; wantedTicketId: string },
) {
  const { services, actor, meta } = options;
  await requireVerifiedTrader(services, actor.userId);

  return services.prisma.$transaction(async (tx) => {
    const tickets = await tx.ticket.findMany({
      where: { id: { in: [input.offeredTicketId, input.wantedTicketId] } },
      select: { id: true, ownerId: true, state: true, valueMinor: true, faceValueMinor: true },
    });
    const offered = tickets.find((t) => t.id === input.offeredTicketId);
    const wanted = tickets.find((t) => t.id === input.wantedTicketId);
    if (!offered || offered.ownerId !== actor.userId) {
      throw new DomainError('NOT_FOUND', 'The ticket you offer is not one of yours.');
    }
    if (!wanted) {
      throw new DomainError('NOT_FOUND', 'The ticket you asked for was not found.');
    }
    if (wanted.ownerId === actor.userId) {
      throw new DomainError('OWN_TICKET', 'You cannot propose a swap for your own ticket.');
    }
    if (offered.state === 'IN_TRADE') {
      throw new DomainError(
        'TICKET_NOT_AVAILABLE',
        'Your ticket is already offered in another open proposal; reject that one first.',
      );
    }
    if (offered.state !== 'LISTED' || wanted.state !== 'LISTED') {
      throw new DomainError('TICKET_NOT_AVAILABLE', 'Both tickets must be listed to propose a swap.');
    }
    const { gap, cashDiffMinor, payerId } = await cashTermsFor(tx, services, offered, wanted);

    const now = services.now();
    const proposal = await tx.proposal.create({
      data: {
        score: 1 - gap,
        cashDiffMinor,
        payerId,
        expiresAt: new Date(now.getTime() + services.config.proposalTtlMinutes * 60_000),
        legs: {
          create: [
            // Making an offer accepts it for the offered ticket.
            { ticketId: offered.id, fromUserId: actor.userId, toUserId: wanted.ownerId, acceptedAt: now },
            { ticketId: wanted.id, fromUserId: wanted.ownerId, toUserId: actor.userId },
          ],
        },
      },
      select: { id: true },
    });
    await transitionTicket(tx, {
      ticketId: offered.id,
      from: 'LISTED',
      to: 'IN_TRADE',
      ownerId: actor.userId,
      actorId: actor.userId,
      requestId: meta.requestId,
      reason: `offered in proposal ${proposal.id}`,
    });
    await appendAudit(tx, {
      actorId: actor.userId,
      actorRole: actor.role,
      action: 'proposal.created',
      entityType: 'Proposal',
      entityId: proposal.id,
      data: { tickets: [offered.id, wanted.id], direct: true, cashDiffMinor, payerId },
      requestId: meta.requestId,
    });
    await emitEvent(tx, { type: 'Proposal', id: proposal.id }, {
      type: 'proposal.created',
      version: 1,
      proposalId: proposal.id,
      // Only the owner of the wanted ticket has a decision to make.
      userIds: [wanted.ownerId],
    });

    return tx.proposal.findUniqueOrThrow({ where: { id: proposal.id }, select: proposalSelect });
  });
}
