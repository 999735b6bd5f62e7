// Small catalogue rows and real ticket files for integration tests.
import { randomBytes } from 'node:crypto';

import type { EventCategory, PrismaClient } from '@ts/db';

import type { Harness } from './harness.ts';
import { makeTicketPdf } from '../tickets/barcode/ticket-files.ts';

let venueCounter = 900_000;

export interface TestEvent {
  id: string;
  name: string;
  startsAt: Date;
  city: string;
}

/** Creates a venue and an event with comparable prices around `typicalPriceMinor` per tier. */
export async function createEvent(
  prisma: PrismaClient,
  input: {
    name: string;
    city: string;
    category?: EventCategory;
    startsAt?: Date;
    typicalPriceMinor?: number;
  },
): Promise<TestEvent> {
  venueCounter += 1;
  const startsAt = input.startsAt ?? new Date(Date.now() + 30 * 24 * 3_600_000);
  const venue = await prisma.venue.create({
    data: {
      id: venueCounter,
      name: `${input.city} Stadium`,
      city: input.city,
      timezone: 'America/New_York',
      capacity: 50_000,
    },
  });
  const event = await prisma.event.create({
    data: {
      externalId: `test:${venueCounter}`,
      name: input.name,
      category: input.category ?? 'SPORTS',
      startsAt,
      venueId: venue.id,
    },
    select: { id: true, name: true, startsAt: true },
  });
  const typical = input.typicalPriceMinor ?? 10_000;
  const prices = [0.96, 0.98, 1, 1, 1.02, 1.04];
  for (const tier of [1, 2, 3]) {
    const tierFactor = tier === 1 ? 1.5 : tier === 2 ? 1 : 0.6;
    await prisma.comparablePrice.createMany({
      data: prices.map((factor) => ({
        eventId: event.id,
        sectionTier: tier,
        priceMinor: Math.round(typical * tierFactor * factor),
        source: 'test',
        observedAt: new Date(),
      })),
    });
  }

  return { ...event, city: input.city };
}

/** Makes a real e-ticket PDF whose PDF417 barcode carries `barcodeText`. */
export async function ticketPdf(event: TestEvent, barcodeText: string, section = 'Section 210') {
  return makeTicketPdf({
    barcodeText,
    format: 'pdf417',
    eventName: event.name,
    venue: `${event.city} Stadium`,
    startsAt: event.startsAt,
    section,
    row: '12',
    seat: '5',
    faceValue: 12_000,
    currency: 'USD',
  });
}

/** Creates the queue the upload enqueues into; pg-boss refuses to send to a missing queue. */
export async function createIntakeQueue(harness: Harness): Promise<void> {
  const { ticketIntakeJob } = await import('../tickets/intake.ts');
  await harness.boss.createQueue(ticketIntakeJob);
}

/**
 * Uploads a ticket, reads it synchronously (no worker runs in tests; OCR is skipped because
 * the upload carries every detail) and confirms the review, as a trader would. Returns the
 * intake outcome and the ticket id.
 */
export async function readyTicket(
  harness: Harness,
  actor: Awaited<ReturnType<Harness['createUser']>>,
  event: TestEvent,
  barcodeText: string,
  section = 'Section 210',
) {
  const { uploadTicket } = await import('../tickets/intake.ts');
  const { processTicketIntake } = await import('../tickets/processing.ts');
  await createIntakeQueue(harness);
  const options = {
    services: harness.services,
    actor,
    meta: { requestId: 'test-upload', ipAddress: '127.0.0.1' },
  };
  const { ticket } = await uploadTicket(
    options,
    { bytes: await ticketPdf(event, barcodeText, section), fileName: 'ticket.pdf' },
    { eventId: event.id, section, row: '12', seat: '5' },
  );
  const outcome = await processTicketIntake(harness.services, ticket.id, { ocrEngine: null });
  if (outcome === 'needs_review') {
    await harness.caller(actor).tickets.confirm({
      ticketId: ticket.id,
      eventId: event.id,
      section,
      row: '12',
      seat: '5',
    });
  }

  return { ticketId: ticket.id, outcome };
}

/** Uploads, reads, confirms and lists a ticket for `actor`, returning the listed ticket. */
export async function listedTicket(
  harness: Harness,
  actor: Awaited<ReturnType<Harness['createUser']>>,
  event: TestEvent,
  barcodeText: string,
  section = 'Section 210',
) {
  const { ticketId } = await readyTicket(harness, actor, event, barcodeText, section);

  return harness.caller(actor).tickets.list({ ticketId });
}

/**
 * Inserts a listed, valued ticket straight into the database, for tests of trades and cash
 * that need no upload. Returns its id.
 */
export async function insertListedTicket(
  prisma: PrismaClient,
  input: { ownerId: string; eventId: string; valueMinor: number; faceValueMinor?: number | null; section?: string },
): Promise<string> {
  const ticket = await prisma.ticket.create({
    data: {
      ownerId: input.ownerId,
      uploadedById: input.ownerId,
      eventId: input.eventId,
      state: 'LISTED',
      section: input.section ?? '101',
      valueMinor: input.valueMinor,
      faceValueMinor: input.faceValueMinor ?? null,
      fileSha256: randomBytes(32).toString('hex'),
      storageKey: `test/${randomBytes(8).toString('hex')}`,
      mimeType: 'application/pdf',
      sizeBytes: 1000,
      listedAt: new Date(),
    },
    select: { id: true },
  });

  return ticket.id;
}
