import { createHash } from 'node:crypto';

import { appendAudit } from '../audit/audit.ts';
import { emitEvent } from '../audit/outbox.ts';
import type { OperationOptions } from '../context.ts';
import { DomainError, isUniqueViolation } from '../errors.ts';
import { BarcodeDecodeError, decodeBarcodes, type DecodedBarcode } from './barcode/decode.ts';
import { sniffFileType } from './file-type.ts';
import { ticketSummarySelect, type TicketSummary } from './queries.ts';

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

/**
 * Creates a draft ticket from an uploaded file: checks the content type, reads the barcode
 * from the file, stores the file and records only a hash of the barcode. Uploading the same
 * file again returns the ticket made the first time.
 */
export async function uploadTicket(
  { services, actor, meta }: OperationOptions,
  upload: TicketUpload,
  details: TicketDetails,
): Promise<{ ticket: TicketSummary; created: boolean }> {
  const { prisma, storage, config, logger } = services;
  checkSize(upload.bytes, config.maxUploadBytes);

  const mimeType = sniffFileType(upload.bytes);
  if (!mimeType) {
    throw new DomainError(
      'UNSUPPORTED_FILE_TYPE',
      'This file is not a PDF, PNG, JPEG or WebP image. Upload the ticket as one of those.',
    );
  }

  const fileSha256 = sha256Hex(upload.bytes);
  const existing = await prisma.ticket.findUnique({
    where: { uploadedById_fileSha256: { uploadedById: actor.userId, fileSha256 } },
    select: ticketSummarySelect,
  });
  if (existing) {
    return { ticket: existing, created: false };
  }

  // TODO(#3): decoding holds the event loop for up to a few seconds per file; move it into a
  // pg-boss job so the upload returns at once.
  const barcode = pickBarcode(await decodeOrReject(upload.bytes, mimeType));
  const barcodeHash = hashBarcode(barcode.text);
  await rejectKnownBarcode(options(services, actor, meta), barcodeHash);
  if (details.eventId) {
    await requireEvent(services, details.eventId);
  }

  const storageKey = `tickets/${actor.userId}/${fileSha256}.${extensionByType[mimeType]}`;
  await storage.put(storageKey, upload.bytes, mimeType);

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
          barcodeHash,
          barcodeFormat: barcode.format,
          fileSha256,
          storageKey,
          mimeType,
          sizeBytes: upload.bytes.byteLength,
        },
        select: ticketSummarySelect,
      });
      await appendAudit(tx, {
        actorId: actor.userId,
        actorRole: actor.role,
        action: 'ticket.uploaded',
        entityType: 'Ticket',
        entityId: created.id,
        data: { barcodeFormat: barcode.format, mimeType, sizeBytes: upload.bytes.byteLength },
        requestId: meta.requestId,
      });
      await emitEvent(tx, { type: 'Ticket', id: created.id }, {
        type: 'ticket.uploaded',
        version: 1,
        ticketId: created.id,
        ownerId: actor.userId,
      });

      return created;
    });
    logger.info({ requestId: meta.requestId, ticketId: ticket.id }, 'ticket uploaded');

    return { ticket, created: true };
  } catch (error) {
    return recoverFromClash(options(services, actor, meta), error, {
      storageKey,
      fileSha256,
    });
  }
}

function options(
  services: OperationOptions['services'],
  actor: OperationOptions['actor'],
  meta: OperationOptions['meta'],
): OperationOptions {
  return { services, actor, meta };
}

function checkSize(bytes: Uint8Array, maxBytes: number): void {
  if (bytes.byteLength === 0) {
    throw new DomainError('INVALID_INPUT', 'The file is empty. Choose the ticket file again.');
  }
  if (bytes.byteLength > maxBytes) {
    const limitMb = (maxBytes / (1024 * 1024)).toFixed(0);
    throw new DomainError(
      'FILE_TOO_LARGE',
      `The file is larger than the ${limitMb} MB limit. Upload a smaller scan or the original PDF.`,
    );
  }
}

async function decodeOrReject(bytes: Uint8Array, mimeType: string): Promise<DecodedBarcode[]> {
  let found: DecodedBarcode[];
  try {
    found = await decodeBarcodes(bytes, mimeType);
  } catch (error) {
    if (error instanceof BarcodeDecodeError && error.code === 'UNSUPPORTED_FILE_TYPE') {
      throw new DomainError('UNSUPPORTED_FILE_TYPE', 'This file type cannot hold a ticket.');
    }
    throw new DomainError(
      'UNREADABLE_FILE',
      'The file could not be opened; it may be damaged or password-protected.',
    );
  }
  if (found.length === 0) {
    throw new DomainError(
      'BARCODE_NOT_FOUND',
      'No barcode could be read from this file. Upload the original e-ticket or a sharper photo.',
    );
  }

  return found;
}

function pickBarcode(found: DecodedBarcode[]): DecodedBarcode {
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

async function rejectKnownBarcode(
  { services, actor, meta }: OperationOptions,
  barcodeHash: string,
): Promise<void> {
  const clash = await services.prisma.ticket.findUnique({
    where: { barcodeHash },
    select: { id: true, ownerId: true },
  });
  if (!clash) {
    return;
  }

  services.logger.warn(
    { requestId: meta.requestId, userId: actor.userId, ticketId: clash.id },
    'upload rejected: barcode already on the platform',
  );
  throw new DomainError(
    'BARCODE_ALREADY_LISTED',
    'This ticket\'s barcode is already on the platform, so it cannot be uploaded again.',
  );
}

async function requireEvent(services: OperationOptions['services'], eventId: string) {
  const event = await services.prisma.event.findUnique({ where: { id: eventId }, select: { id: true } });
  if (!event) {
    throw new DomainError('NOT_FOUND', 'That event is not in the catalogue.', { eventId });
  }
}

/** Handles a unique clash from a concurrent upload of the same file or barcode. */
async function recoverFromClash(
  { services, actor }: OperationOptions,
  error: unknown,
  stored: { storageKey: string; fileSha256: string },
): Promise<{ ticket: TicketSummary; created: boolean }> {
  const sameFile = await services.prisma.ticket.findUnique({
    where: {
      uploadedById_fileSha256: { uploadedById: actor.userId, fileSha256: stored.fileSha256 },
    },
    select: ticketSummarySelect,
  });
  if (sameFile) {
    return { ticket: sameFile, created: false };
  }

  await services.storage.delete(stored.storageKey);
  if (isUniqueViolation(error)) {
    throw new DomainError(
      'BARCODE_ALREADY_LISTED',
      'This ticket\'s barcode is already on the platform, so it cannot be uploaded again.',
    );
  }
  throw error;
}
