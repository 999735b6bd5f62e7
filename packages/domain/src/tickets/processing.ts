// Reads a stored ticket file in the background: barcode, printed text and the event it names.
import type { Logger } from 'pino';

import type { Prisma } from '@ts/db';

import { appendAudit } from '../audit/audit.ts';
import type { Services } from '../context.ts';
import { isUniqueViolation } from '../errors.ts';
import { duplicateBarcodeWeight, recordFraudSignal } from '../fraud/signals.ts';
import { BarcodeDecodeError, decodeBarcodes, type DecodedBarcode } from './barcode/decode.ts';
import { hashBarcode, pickBarcode } from './intake.ts';
import type { OcrEngine, OcrResult, TicketFields } from './ocr/types.ts';

// Loaded on first use, so that processes and tests that never run OCR do not load tesseract.
type OcrModule = typeof import('./ocr/index.ts');
let ocrModule: Promise<OcrModule> | undefined;
const loadOcr = () => (ocrModule ??= import('./ocr/index.ts'));

/** Result of the intake job for one ticket file, stored in `Ticket.ocrFields`. */
export interface IntakeReading {
  /** Printed fields with their confidence; empty when OCR failed or was skipped. */
  fields: TicketFields;
  /** The catalogue event the printed text matched, with a score between 0 and 1. */
  match: { eventId: string; score: number } | null;
  barcode: { found: boolean; format: string | null };
  /** True when no barcode was read, so staff must check the ticket before it is listed. */
  manualReview: boolean;
  /** Set once the owner confirmed the details of a ticket waiting for manual review. */
  ownerConfirmedAt?: string;
  /** Why OCR produced no fields, for support; never the file's text. */
  ocrError?: string;
}

export interface IntakeOptions {
  /** Logger carrying the job id; defaults to the services' logger. */
  logger?: Logger;
  /**
   * Text recognition engine. Defaults to the process-wide local engine of the OCR module;
   * null skips OCR, for seed data and tests whose uploads carry every detail.
   */
  ocrEngine?: OcrEngine | null;
}

export type IntakeOutcome = 'needs_review' | 'manual_review' | 'failed' | 'already_done';

export const manualReviewMessage =
  'No barcode could be read from this file, so a staff member checks the ticket by hand ' +
  'before it can be listed. Uploading the original e-ticket PDF avoids the wait.';

const duplicateMessage =
  'This ticket\'s barcode is already on the platform, so it cannot be uploaded again.';

/**
 * Reads a queued ticket: decodes its barcode, rejects one already on the platform, reads the
 * printed text, matches the event and fills the details the trader left empty. The ticket then
 * waits in NEEDS_REVIEW for its owner to confirm. Idempotent: a ticket whose intake finished
 * is left alone, and a run interrupted half-way starts again from the stored file.
 */
export async function processTicketIntake(
  services: Services,
  ticketId: string,
  options: IntakeOptions = {},
): Promise<IntakeOutcome> {
  const logger = (options.logger ?? services.logger).child({ ticketId });
  const ticket = await claimTicket(services, ticketId);
  if (!ticket) {
    logger.info('ticket intake already finished; nothing to do');

    return 'already_done';
  }

  const bytes = await services.storage.get(ticket.storageKey);
  let barcodes: DecodedBarcode[];
  try {
    barcodes = await decodeBarcodes(bytes, ticket.mimeType);
  } catch (error) {
    if (!(error instanceof BarcodeDecodeError)) {
      throw error;
    }
    logger.warn({ err: error }, 'ticket file could not be searched for barcodes');
    await failTicketIntake(services, ticketId,
      'The file could not be read. Upload the original e-ticket or a sharper photo.');

    return 'failed';
  }

  // Only a decoded symbol counts as the barcode; printed digits found by OCR never do, since
  // anyone can type them.
  const barcode = barcodes.length > 0 ? pickBarcode(barcodes) : null;
  const barcodeHash = barcode ? hashBarcode(barcode.text) : null;
  if (barcodeHash && (await rejectDuplicate(services, ticket, barcodeHash, logger))) {
    return 'failed';
  }

  const engine = options.ocrEngine === undefined
    ? (await loadOcr()).defaultOcrEngine()
    : options.ocrEngine;
  const text = engine ? await readText(bytes, ticket.mimeType, engine, logger) : null;
  const match = text?.result
    ? await (await loadOcr()).matchEvent(services.prisma, text.result.fields, services.now())
    : null;
  const reading: IntakeReading = {
    fields: text?.result?.fields ?? {},
    match,
    barcode: { found: barcode !== null, format: barcode?.format ?? null },
    manualReview: barcode === null,
    ...(text?.error ? { ocrError: text.error } : {}),
  };

  try {
    await saveReading(services, ticket, {
      reading,
      barcodeHash,
      provider: text?.result?.provider ?? null,
    });
  } catch (error) {
    // Another ticket took the same barcode between the check above and this write.
    if (barcodeHash && isUniqueViolation(error)
      && (await rejectDuplicate(services, ticket, barcodeHash, logger))) {
      return 'failed';
    }
    throw error;
  }
  logger.info(
    { barcodeFormat: barcode?.format ?? null, matchedEvent: match?.eventId ?? null },
    barcode ? 'ticket read; waiting for the owner to review it' : 'no barcode; manual review',
  );

  return barcode ? 'needs_review' : 'manual_review';
}

/** Marks an unfinished intake as failed with a message the owner sees. */
export async function failTicketIntake(
  services: Services,
  ticketId: string,
  message: string,
): Promise<void> {
  await services.prisma.$transaction(async (tx) => {
    const updated = await tx.ticket.updateMany({
      where: { id: ticketId, intakeStatus: { in: ['QUEUED', 'PROCESSING'] } },
      data: { intakeStatus: 'FAILED', intakeError: message, version: { increment: 1 } },
    });
    if (updated.count === 1) {
      await appendAudit(tx, {
        actorId: null,
        action: 'ticket.intake_failed',
        entityType: 'Ticket',
        entityId: ticketId,
        data: { reason: message },
      });
    }
  });
}

interface ClaimedTicket {
  id: string;
  uploadedById: string;
  storageKey: string;
  mimeType: string;
  eventId: string | null;
  section: string | null;
  row: string | null;
  seat: string | null;
  faceValueMinor: number | null;
}

/** Moves a QUEUED ticket to PROCESSING; a ticket already PROCESSING was interrupted. */
async function claimTicket(services: Services, ticketId: string): Promise<ClaimedTicket | null> {
  const claimed = await services.prisma.ticket.updateMany({
    where: { id: ticketId, intakeStatus: { in: ['QUEUED', 'PROCESSING'] } },
    data: { intakeStatus: 'PROCESSING' },
  });
  if (claimed.count === 0) {
    return null;
  }

  return services.prisma.ticket.findUniqueOrThrow({
    where: { id: ticketId },
    select: {
      id: true,
      uploadedById: true,
      storageKey: true,
      mimeType: true,
      eventId: true,
      section: true,
      row: true,
      seat: true,
      faceValueMinor: true,
    },
  });
}

/**
 * Fails the ticket and records a fraud signal for its uploader when another ticket holds the
 * same barcode. Returns false when the barcode is new.
 */
async function rejectDuplicate(
  services: Services,
  ticket: ClaimedTicket,
  barcodeHash: string,
  logger: Logger,
): Promise<boolean> {
  const clash = await services.prisma.ticket.findFirst({
    where: { barcodeHash, id: { not: ticket.id } },
    select: { id: true, uploadedById: true },
  });
  if (!clash) {
    return false;
  }

  const sameUploader = clash.uploadedById === ticket.uploadedById;
  await services.prisma.$transaction(async (tx) => {
    const updated = await tx.ticket.updateMany({
      where: { id: ticket.id, intakeStatus: 'PROCESSING' },
      data: { intakeStatus: 'FAILED', intakeError: duplicateMessage, version: { increment: 1 } },
    });
    if (updated.count === 0) {
      return;
    }
    await recordFraudSignal(tx, {
      userId: ticket.uploadedById,
      kind: 'duplicate_barcode',
      weight: duplicateBarcodeWeight(sameUploader),
      data: { ticketId: ticket.id, existingTicketId: clash.id, sameUploader },
    });
    await appendAudit(tx, {
      actorId: null,
      action: 'ticket.duplicate_barcode',
      entityType: 'Ticket',
      entityId: ticket.id,
      data: { existingTicketId: clash.id, sameUploader },
    });
  });
  logger.warn(
    { userId: ticket.uploadedById, existingTicketId: clash.id, sameUploader },
    'ticket rejected: barcode already on the platform',
  );

  return true;
}

async function readText(
  bytes: Uint8Array,
  mimeType: string,
  engine: OcrEngine,
  logger: Logger,
): Promise<{ result: OcrResult | null; error?: string }> {
  try {
    const { readTicketText } = await loadOcr();

    return { result: await readTicketText(bytes, mimeType, { engine, logger }) };
  } catch (error) {
    // The barcode is what matters for a swap; the owner types what OCR could not read.
    logger.warn({ err: error }, 'OCR failed; the owner fills in the details by hand');

    return { result: null, error: error instanceof Error ? error.name : 'OCR failed' };
  }
}

async function saveReading(
  services: Services,
  ticket: ClaimedTicket,
  input: { reading: IntakeReading; barcodeHash: string | null; provider: string | null },
): Promise<void> {
  const { reading, barcodeHash, provider } = input;
  await services.prisma.$transaction(async (tx) => {
    const updated = await tx.ticket.updateMany({
      where: { id: ticket.id, intakeStatus: 'PROCESSING' },
      data: {
        ...detailsFromReading(ticket, reading),
        barcodeHash,
        barcodeFormat: reading.barcode.format,
        ocrFields: reading as unknown as Prisma.InputJsonObject,
        ocrProvider: provider,
        intakeStatus: 'NEEDS_REVIEW',
        intakeError: reading.manualReview ? manualReviewMessage : null,
        version: { increment: 1 },
      },
    });
    if (updated.count === 0) {
      return;
    }
    await appendAudit(tx, {
      actorId: null,
      action: 'ticket.read',
      entityType: 'Ticket',
      entityId: ticket.id,
      data: {
        barcodeFormat: reading.barcode.format,
        manualReview: reading.manualReview,
        ocrProvider: provider,
        matchedEventId: reading.match?.eventId ?? null,
      },
    });
  });
}

/** Values read from the ticket for the details its owner left empty at upload. */
function detailsFromReading(ticket: ClaimedTicket, reading: IntakeReading) {
  const { fields } = reading;
  const text = (name: 'section' | 'row' | 'seat') => {
    const value = fields[name]?.value;

    return typeof value === 'string' && value.trim() ? value.trim().slice(0, 40) : undefined;
  };
  const face = fields.faceValueMinor?.value;
  const faceValueMinor = typeof face === 'number' && Number.isInteger(face) && face >= 0
    ? face
    : undefined;
  const currency = fields.currency?.value;

  return {
    ...(ticket.eventId || !reading.match ? {} : { eventId: reading.match.eventId }),
    ...(ticket.section ? {} : { section: text('section') }),
    ...(ticket.row ? {} : { row: text('row') }),
    ...(ticket.seat ? {} : { seat: text('seat') }),
    ...(ticket.faceValueMinor !== null || faceValueMinor === undefined
      ? {}
      : {
          faceValueMinor,
          ...(typeof currency === 'string' && /^[A-Z]{3}$/.test(currency) ? { currency } : {}),
        }),
  };
}
