import type { Tx } from '@ts/db';

import { emitEvent } from '../audit/outbox.ts';
import type { OperationOptions } from '../context.ts';
import { DomainError } from '../errors.ts';
import { valueTicket } from '../valuation/index.ts';
import { requireVerifiedTrader } from '../accounts/kyc.ts';
import { uploadedTicketSelect, type UploadedTicket } from './intake.ts';
import { intakeReadingOf } from './processing-review.ts';
import { ticketSummarySelect, type TicketSummary } from './queries.ts';
import { transitionTicket } from './state.ts';

export interface TicketDetailsUpdate {
  eventId?: string;
  section?: string;
  row?: string;
  seat?: string;
  faceValueMinor?: number | null;
}

/** Changes what the owner typed about a draft ticket; values it again when it changes. */
export async function updateDraftTicket(
  { services, actor }: OperationOptions,
  ticketId: string,
  update: TicketDetailsUpdate,
): Promise<TicketSummary> {
  return services.prisma.$transaction(async (tx) => {
    const ticket = await tx.ticket.findFirst({
      where: { id: ticketId, ownerId: actor.userId },
      select: { state: true },
    });
    if (!ticket) {
      throw new DomainError('NOT_FOUND', 'Ticket not found.', { ticketId });
    }
    if (ticket.state !== 'DRAFT') {
      throw new DomainError('TICKET_NOT_LISTABLE', 'Only a draft ticket can be edited.');
    }
    if (update.eventId) {
      const event = await tx.event.findUnique({ where: { id: update.eventId }, select: { id: true } });
      if (!event) {
        throw new DomainError('NOT_FOUND', 'That event is not in the catalogue.');
      }
    }

    await tx.ticket.update({
      where: { id: ticketId },
      data: {
        eventId: update.eventId,
        section: update.section?.trim(),
        row: update.row?.trim(),
        seat: update.seat?.trim(),
        faceValueMinor: update.faceValueMinor,
        version: { increment: 1 },
      },
    });

    return tx.ticket.findUniqueOrThrow({ where: { id: ticketId }, select: ticketSummarySelect });
  });
}

/**
 * Puts a draft ticket on the marketplace. The trader must be KYC-verified and the ticket must
 * name its event and section; the ticket is valued first if it has no value yet.
 */
export async function listTicket(
  { services, actor, meta }: OperationOptions,
  ticketId: string,
): Promise<TicketSummary> {
  await requireVerifiedTrader(services, actor.userId);

  return services.prisma.$transaction(async (tx) => {
    const ticket = await tx.ticket.findFirst({
      where: { id: ticketId, ownerId: actor.userId },
      select: {
        state: true,
        eventId: true,
        section: true,
        valueMinor: true,
        intakeStatus: true,
        event: { select: { startsAt: true } },
      },
    });
    if (!ticket) {
      throw new DomainError('NOT_FOUND', 'Ticket not found.', { ticketId });
    }
    if (ticket.intakeStatus !== 'READY') {
      throw new DomainError(
        'INTAKE_NOT_READY',
        'Confirm the details read from this ticket before listing it.',
        { intakeStatus: ticket.intakeStatus },
      );
    }
    // A ticket received in a swap (TRANSFERRED) may go back on the market under its new owner.
    if (ticket.state !== 'DRAFT' && ticket.state !== 'WITHDRAWN' && ticket.state !== 'TRANSFERRED') {
      throw new DomainError('TICKET_NOT_LISTABLE', `A ${ticket.state.toLowerCase()} ticket cannot be listed.`);
    }
    if (await inDisputedTrade(tx, ticketId)) {
      throw new DomainError(
        'TICKET_NOT_LISTABLE',
        'This ticket belongs to a trade under dispute; it can be listed again once support decides.',
      );
    }
    if (!ticket.eventId || !ticket.section) {
      throw new DomainError(
        'TICKET_NOT_LISTABLE',
        'Add the event and the section before listing this ticket.',
      );
    }
    if (ticket.event && ticket.event.startsAt <= services.now()) {
      throw new DomainError('TICKET_NOT_LISTABLE', 'This event has already started or taken place.');
    }

    const valuation = await valueTicket(tx, { ticketId, now: services.now() });
    await transitionTicket(tx, {
      ticketId,
      from: ticket.state,
      to: 'LISTED',
      ownerId: actor.userId,
      actorId: actor.userId,
      requestId: meta.requestId,
      reason: 'listed by owner',
    });
    await emitEvent(tx, { type: 'Ticket', id: ticketId }, {
      type: 'ticket.listed',
      version: 1,
      ticketId,
      valueMinor: valuation.valueMinor,
    });

    return tx.ticket.findUniqueOrThrow({ where: { id: ticketId }, select: ticketSummarySelect });
  });
}

/** True when the ticket belongs to a trade under dispute, e.g. one reported after completion. */
export async function inDisputedTrade(tx: Tx, ticketId: string): Promise<boolean> {
  const disputed = await tx.escrowDeposit.count({ where: { ticketId, trade: { state: 'DISPUTED' } } });

  return disputed > 0;
}

/** Takes a listed ticket off the marketplace; a ticket inside a trade cannot be withdrawn. */
export async function withdrawTicket(
  { services, actor, meta }: OperationOptions,
  ticketId: string,
): Promise<TicketSummary> {
  return services.prisma.$transaction(async (tx) => {
    const ticket = await tx.ticket.findFirst({
      where: { id: ticketId, ownerId: actor.userId },
      select: { state: true },
    });
    if (!ticket) {
      throw new DomainError('NOT_FOUND', 'Ticket not found.', { ticketId });
    }
    if (ticket.state !== 'LISTED' && ticket.state !== 'DRAFT') {
      throw new DomainError('TICKET_NOT_AVAILABLE', 'A ticket inside a trade cannot be withdrawn.');
    }

    await transitionTicket(tx, {
      ticketId,
      from: ticket.state,
      to: 'WITHDRAWN',
      ownerId: actor.userId,
      actorId: actor.userId,
      requestId: meta.requestId,
      reason: 'withdrawn by owner',
    });
    await tx.proposal.updateMany({
      where: { state: 'OPEN', legs: { some: { ticketId } } },
      data: { state: 'CANCELLED', closedAt: services.now() },
    });
    await emitEvent(tx, { type: 'Ticket', id: ticketId }, {
      type: 'ticket.withdrawn',
      version: 1,
      ticketId,
    });

    return tx.ticket.findUniqueOrThrow({ where: { id: ticketId }, select: ticketSummarySelect });
  });
}

export async function listMyTickets(
  { services, actor }: OperationOptions,
): Promise<UploadedTicket[]> {
  return services.prisma.ticket.findMany({
    where: { ownerId: actor.userId },
    select: uploadedTicketSelect,
    orderBy: { createdAt: 'desc' },
  });
}

export async function getMyTicket(
  { services, actor }: OperationOptions,
  ticketId: string,
) {
  const ticket = await services.prisma.ticket.findFirst({
    where: { id: ticketId, ownerId: actor.userId },
    select: {
      ...uploadedTicketSelect,
      ocrFields: true,
      ocrProvider: true,
      valuations: {
        select: {
          id: true,
          method: true,
          modelVersion: true,
          valueMinor: true,
          confidence: true,
          comparables: true,
          createdAt: true,
        },
        orderBy: { createdAt: 'desc' },
      },
    },
  });
  if (!ticket) {
    throw new DomainError('NOT_FOUND', 'Ticket not found.', { ticketId });
  }
  const { ocrFields, ...rest } = ticket;

  return { ...rest, reading: intakeReadingOf(ocrFields) };
}
