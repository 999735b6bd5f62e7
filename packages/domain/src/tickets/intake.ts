import { createHash } from 'node:crypto';

import type { Prisma } from '@ts/db';

import { appendAudit } from '../audit/audit.ts';
import { emitEvent } from '../audit/outbox.ts';
import type { OperationOptions } from '../context.ts';
import { DomainError, isUniqueViolation } from '../errors.ts';
import type { DecodedBarcode } from './barcode/decode.ts';
import { prepareTicketFile } from './processing-checks.ts';
import { ticketSummarySelect } from './queries.ts';

export interface TicketUpload {
  bytes: Uint8Array;
  fileName: string;
}

export interface TicketDetails {
  eventId?: string;
  section?: string;
  row?: string;
  seat?: string;
  faceValueMinor?: number;
}

const extensionByType: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
};

/** Two-dimensional formats come first: they are the ones ticket scanners read at the gate. */
const formatPreference = ['PDF417', 'QRCode', 'Aztec', 'DataMatrix', 'Code128'];

/** Queue of the job that reads a stored ticket file; see `processTicketIntake`. */
export const ticketIntakeJob = 'ticket.intake';

/**
 * Creates a draft ticket from an uploaded file and returns at once: checks the file by its
 * content, stores it (images without their metadata) and creates the ticket with intake status
 * QUEUED, enqueueing the job that reads its barcode and text in the same transaction. Uploading
 * the same file again returns the ticket made the first time. A rejected file leaves no ticket
 * and no stored file behind.
 */
export async function uploadTicket(
  { services, actor, meta }: OperationOptions,
  upload: TicketUpload,
  details: TicketDetails,
): Promise<{ ticket: UploadedTicket; created: boolean }> {
  const { prisma, storage, config, logger } = services;
  const fileSha256 = sha256Hex(upload.bytes);
  const existing = await findSameFile(services, actor.userId, fileSha256);
  if (existing) {
    return { ticket: existing, created: false };
  }

  const file = await prepareTicketFile(upload.bytes, config.maxUploadBytes);
  if (details.eventId) {
    await requireEvent(services, details.eventId);
  }

  const storageKey = `tickets/${actor.userId}/${fileSha256}.${extensionByType[file.mimeType]}`;
  await storage.put(storageKey, file.bytes, file.mimeType);

  try {
    const ticket = await prisma.$transaction(async (tx) => {
      const created = await tx.ticket.create({
        data: {
          ownerId: actor.userId,
          uploadedById: actor.userId,
          eventId: details.eventId ?? null,
          section: details.section?.trim() || null,
          row: details.row?.trim() || null,
          seat: details.seat?.trim() || null,
          faceValueMinor: details.faceValueMinor ?? null,
          intakeStatus: 'QUEUED',
          fileSha256,
          storageKey,
          mimeType: file.mimeType,
          sizeBytes: file.bytes.byteLength,
        },
        select: uploadedTicketSelect,
      });
      await appendAudit(tx, {
        actorId: actor.userId,
        actorRole: actor.role,
        action: 'ticket.uploaded',
        entityType: 'Ticket',
        entityId: created.id,
        data: { mimeType: file.mimeType, sizeBytes: file.bytes.byteLength },
        requestId: meta.requestId,
      });
      await emitEvent(tx, { type: 'Ticket', id: created.id }, {
        type: 'ticket.uploaded',
        version: 1,
        ticketId: created.id,
        ownerId: actor.userId,
      });
      await services.jobs.send(ticketIntakeJob, { ticketId: created.id }, {
        tx,
        singletonKey: created.id,
      });

      return created;
    });
    logger.info({ requestId: meta.requestId, ticketId: ticket.id }, 'ticket uploaded; intake queued');

    return { ticket, created: true };
  } catch (error) {
    return recoverFromClash(options(services, actor, meta), error, {
      storageKey,
      fileSha256,
    });
  }
}

/** The fields an upload returns: the ticket summary plus where its reading stands. */
export const uploadedTicketSelect = {
  ...ticketSummarySelect,
  intakeStatus: true,
  intakeError: true,
} as const satisfies Prisma.TicketSelect;

export type UploadedTicket = Prisma.TicketGetPayload<{ select: typeof uploadedTicketSelect }>;

function findSameFile(services: OperationOptions['services'], userId: string, fileSha256: string) {
  return services.prisma.ticket.findUnique({
    where: { uploadedById_fileSha256: { uploadedById: userId, fileSha256 } },
    select: uploadedTicketSelect,
  });
}

function options(
  services: OperationOptions['services'],
  actor: OperationOptions['actor'],
  meta: OperationOptions['meta'],
): OperationOptions {
  return { services, actor, meta };
}

export function pickBarcode(found: DecodedBarcode[]): DecodedBarcode {
  const rank = (format: string) => {
    const index = formatPreference.indexOf(format);

    return index === -1 ? formatPreference.length : index;
  };

  return [...found].sort((a, b) => rank(a.format) - rank(b.format))[0]!;
}

/** Barcodes are stored only as this hash so that logs and backups never carry a usable one. */
export function hashBarcode(text: string): string {
  return createHash('sha256').update('ticket-barcode\0').update(text).digest('hex');
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function requireEvent(services: OperationOptions['services'], eventId: string) {
  const event = await services.prisma.event.findUnique({ where: { id: eventId }, select: { id: true } });
  if (!event) {
    throw new DomainError('NOT_FOUND', 'That event is not in the catalogue.', { eventId });
  }
}

/**
 * Handles a failed ticket insert. A concurrent upload of the same file by the same trader wins
 * the unique index on (uploader, file hash), and its ticket is returned. Any other failure
 * deletes the stored file, so no file is left without a ticket, and is raised again.
 */
async function recoverFromClash(
  { services, actor }: OperationOptions,
  error: unknown,
  stored: { storageKey: string; fileSha256: string },
): Promise<{ ticket: UploadedTicket; created: boolean }> {
  const sameFile = isUniqueViolation(error)
    ? await findSameFile(services, actor.userId, stored.fileSha256)
    : null;
  if (sameFile) {
    return { ticket: sameFile, created: false };
  }

  await services.storage.delete(stored.storageKey);
  throw error;
}

const staffRoles = new Set(['COMPLIANCE', 'SUPPORT', 'ADMIN']);

/**
 * Returns a ticket's stored file to its owner, to the other side of a trade once that trade
 * completed, and to staff (each staff read is audited). Anyone else gets NOT_FOUND, so the
 * answer does not reveal that the ticket exists.
 */
export async function readTicketFile(
  { services, actor, meta }: OperationOptions,
  ticketId: string,
): Promise<{ bytes: Uint8Array; mimeType: string }> {
  const ticket = await services.prisma.ticket.findUnique({
    where: { id: ticketId },
    select: { ownerId: true, storageKey: true, mimeType: true },
  });
  const isStaff = staffRoles.has(actor.role);
  const allowed = ticket !== null && (
    isStaff ||
    ticket.ownerId === actor.userId ||
    (await receivedInCompletedTrade(services, ticketId, actor.userId))
  );
  if (!ticket || !allowed) {
    throw new DomainError('NOT_FOUND', 'Ticket not found.', { ticketId });
  }

  if (isStaff) {
    await services.prisma.$transaction((tx) => appendAudit(tx, {
      actorId: actor.userId,
      actorRole: actor.role,
      action: 'ticket.file_viewed',
      entityType: 'Ticket',
      entityId: ticketId,
      data: {},
      requestId: meta.requestId,
    }));
  }

  return { bytes: await services.storage.get(ticket.storageKey), mimeType: ticket.mimeType };
}

async function receivedInCompletedTrade(
  services: OperationOptions['services'],
  ticketId: string,
  userId: string,
): Promise<boolean> {
  const deposit = await services.prisma.escrowDeposit.findFirst({
    where: { ticketId, toUserId: userId, trade: { state: 'COMPLETED' } },
    select: { id: true },
  });

  return deposit !== null;
}
