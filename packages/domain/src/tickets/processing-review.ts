// The owner's review of what the intake job read, and the staff check of tickets without one.
import type { Prisma } from '@ts/db';

import { appendAudit } from '../audit/audit.ts';
import type { OperationOptions } from '../context.ts';
import { DomainError } from '../errors.ts';
import type { IntakeReading } from './processing.ts';
import { ticketSummarySelect, type TicketSummary } from './queries.ts';

export interface ReviewedDetails {
  eventId: string;
  section: string;
  row?: string | null;
  seat?: string | null;
  faceValueMinor?: number | null;
}

const awaitingStaffMessage =
  'No barcode could be read from this file. A staff member checks the ticket by hand, and ' +
  'you can list it once they approve it.';

/**
 * Saves the details the owner confirmed or corrected. A ticket with a barcode becomes READY
 * and may be listed; one without stays in review until staff approve it.
 */
export async function confirmTicketReview(
  { services, actor, meta }: OperationOptions,
  ticketId: string,
  details: ReviewedDetails,
): Promise<TicketSummary> {
  return services.prisma.$transaction(async (tx) => {
    const ticket = await tx.ticket.findFirst({
      where: { id: ticketId, ownerId: actor.userId },
      select: { state: true, intakeStatus: true, barcodeHash: true, ocrFields: true, version: true },
    });
    if (!ticket) {
      throw new DomainError('NOT_FOUND', 'Ticket not found.', { ticketId });
    }
    if (ticket.intakeStatus !== 'NEEDS_REVIEW' && ticket.intakeStatus !== 'READY') {
      throw new DomainError('INTAKE_NOT_READY', ticket.intakeStatus === 'FAILED'
        ? 'This ticket could not be read, so there is nothing to confirm. Upload it again.'
        : 'The ticket is still being read. Wait until its details appear, then confirm them.');
    }
    if (ticket.state !== 'DRAFT') {
      throw new DomainError('TICKET_NOT_LISTABLE', 'Only a draft ticket can be reviewed.');
    }
    const event = await tx.event.findUnique({ where: { id: details.eventId }, select: { id: true } });
    if (!event) {
      throw new DomainError('NOT_FOUND', 'That event is not in the catalogue.');
    }

    const needsStaff = ticket.barcodeHash === null;
    const reading = (ticket.ocrFields ?? {}) as Partial<IntakeReading>;
    const updated = await tx.ticket.updateMany({
      where: { id: ticketId, version: ticket.version },
      data: {
        eventId: details.eventId,
        section: details.section.trim(),
        row: details.row?.trim() || null,
        seat: details.seat?.trim() || null,
        faceValueMinor: details.faceValueMinor ?? null,
        intakeStatus: needsStaff ? 'NEEDS_REVIEW' : 'READY',
        intakeError: needsStaff ? awaitingStaffMessage : null,
        ...(needsStaff
          ? { ocrFields: { ...reading, ownerConfirmedAt: services.now().toISOString() } as
              unknown as Prisma.InputJsonObject }
          : {}),
        version: { increment: 1 },
      },
    });
    if (updated.count !== 1) {
      throw new DomainError('CONFLICT', 'The ticket changed meanwhile. Reload it and try again.');
    }
    await appendAudit(tx, {
      actorId: actor.userId,
      actorRole: actor.role,
      action: 'ticket.reviewed',
      entityType: 'Ticket',
      entityId: ticketId,
      data: { eventId: details.eventId, awaitingStaff: needsStaff },
      requestId: meta.requestId,
    });

    return tx.ticket.findUniqueOrThrow({ where: { id: ticketId }, select: ticketSummarySelect });
  });
}

/**
 * Lets staff clear a ticket whose barcode could not be read, after comparing its file with the
 * details its owner confirmed.
 */
export async function approveManualReview(
  { services, actor, meta }: OperationOptions,
  ticketId: string,
): Promise<void> {
  await services.prisma.$transaction(async (tx) => {
    const ticket = await tx.ticket.findUnique({
      where: { id: ticketId },
      select: { intakeStatus: true, barcodeHash: true, ocrFields: true },
    });
    if (!ticket) {
      throw new DomainError('NOT_FOUND', 'Ticket not found.', { ticketId });
    }
    const reading = (ticket.ocrFields ?? {}) as Partial<IntakeReading>;
    if (ticket.intakeStatus !== 'NEEDS_REVIEW' || ticket.barcodeHash !== null) {
      throw new DomainError('CONFLICT', 'This ticket is not waiting for a manual review.');
    }
    if (!reading.ownerConfirmedAt) {
      throw new DomainError('INTAKE_NOT_READY', 'The owner has not confirmed its details yet.');
    }

    // TODO(#3): without a barcode hash the duplicate check cannot see this ticket; staff
    // approval is the only guard until a barcode can be typed in and hashed at review.
    await tx.ticket.update({
      where: { id: ticketId },
      data: { intakeStatus: 'READY', intakeError: null, version: { increment: 1 } },
    });
    await appendAudit(tx, {
      actorId: actor.userId,
      actorRole: actor.role,
      action: 'ticket.manual_review_approved',
      entityType: 'Ticket',
      entityId: ticketId,
      data: {},
      requestId: meta.requestId,
    });
  });
}

/** Parses the stored reading for the review form; older tickets have none. */
export function intakeReadingOf(ocrFields: unknown): IntakeReading | null {
  if (!ocrFields || typeof ocrFields !== 'object' || !('fields' in ocrFields)) {
    return null;
  }

  return ocrFields as IntakeReading;
}
