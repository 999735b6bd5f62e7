import type { TicketState, Tx } from '@ts/db';

import { appendAudit } from '../audit/audit.ts';
import { DomainError } from '../errors.ts';

/** Every allowed ticket state change; anything else is a bug or a stale request. */
export const ticketTransitions: Record<TicketState, readonly TicketState[]> = {
  DRAFT: ['LISTED', 'WITHDRAWN', 'EXPIRED'],
  LISTED: ['IN_TRADE', 'WITHDRAWN', 'EXPIRED', 'DRAFT'],
  IN_TRADE: ['ESCROWED', 'LISTED', 'EXPIRED'],
  ESCROWED: ['TRANSFERRED', 'LISTED'],
  // WITHDRAWN from TRANSFERRED: a dispute after completion hands the ticket back to its giver.
  TRANSFERRED: ['LISTED', 'EXPIRED', 'WITHDRAWN'],
  WITHDRAWN: ['LISTED', 'EXPIRED'],
  EXPIRED: [],
};

export function canTransition(from: TicketState, to: TicketState): boolean {
  return ticketTransitions[from].includes(to);
}

export interface TicketTransition {
  ticketId: string;
  from: TicketState;
  to: TicketState;
  /** When set, the ticket must still belong to this user. */
  ownerId?: string;
  /** When set, ownership moves to this user with the state change. */
  newOwnerId?: string;
  actorId: string | null;
  /** Set for staff and system actions; a trader's own change leaves it unset. */
  actorRole?: string;
  requestId?: string;
  reason: string;
}

/**
 * Moves one ticket between states, guarded by its expected current state and owner.
 * A ticket that has already moved (a concurrent accept, a repeated call) makes this throw
 * TICKET_NOT_AVAILABLE, so the caller's transaction rolls back with no effect.
 */
export async function transitionTicket(tx: Tx, change: TicketTransition): Promise<void> {
  if (!canTransition(change.from, change.to)) {
    throw new Error(`Ticket transition ${change.from} -> ${change.to} is not allowed`);
  }

  const updated = await tx.ticket.updateMany({
    where: {
      id: change.ticketId,
      state: change.from,
      ...(change.ownerId ? { ownerId: change.ownerId } : {}),
    },
    data: {
      state: change.to,
      version: { increment: 1 },
      ...(change.newOwnerId ? { ownerId: change.newOwnerId } : {}),
      ...(change.to === 'LISTED' ? { listedAt: new Date() } : {}),
    },
  });
  if (updated.count !== 1) {
    throw new DomainError(
      'TICKET_NOT_AVAILABLE',
      'This ticket is no longer available; it was traded, withdrawn or changed meanwhile.',
      { ticketId: change.ticketId },
    );
  }

  await appendAudit(tx, {
    actorId: change.actorId,
    actorRole: change.actorRole,
    action: `ticket.${change.to.toLowerCase()}`,
    entityType: 'Ticket',
    entityId: change.ticketId,
    data: {
      from: change.from,
      to: change.to,
      reason: change.reason,
      ...(change.newOwnerId ? { newOwnerId: change.newOwnerId } : {}),
    },
    requestId: change.requestId,
  });
}
