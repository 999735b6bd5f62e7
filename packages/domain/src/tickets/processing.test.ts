import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { makeTicketPhoto } from './barcode/ticket-files.ts';
import { createEvent, createIntakeQueue, ticketPdf, type TestEvent } from '../testing/fixtures.ts';
import { createHarness, type Harness } from '../testing/harness.ts';
import { uploadTicket } from './intake.ts';
import { processTicketIntake } from './processing.ts';

let h: Harness;
let event: TestEvent;

beforeAll(async () => {
  h = await createHarness();
  await createIntakeQueue(h);
  event = await createEvent(h.db.prisma, {
    name: 'Riverside Rockets vs Harbor Herons',
    city: 'Denver',
    startsAt: new Date('2031-09-13T19:30:00Z'),
  });
});

afterAll(async () => {
  await h.close();
});

async function uploadBare(bytes: Uint8Array) {
  const trader = await h.createUser({});
  const { ticket } = await uploadTicket(
    { services: h.services, actor: trader, meta: { requestId: 'test', ipAddress: '127.0.0.1' } },
    { bytes, fileName: 'ticket' },
    {},
  );

  return { trader, ticketId: ticket.id };
}

describe('ticket intake with OCR', () => {
  it('fills the empty details of a PDF from its text and matches the event', async () => {
    const { trader, ticketId } = await uploadBare(await ticketPdf(event, 'OCR-PDF-1', 'Section 114'));
    expect(await processTicketIntake(h.services, ticketId)).toBe('needs_review');

    const ticket = await h.caller(trader).tickets.get({ ticketId });
    expect(ticket.intakeStatus).toBe('NEEDS_REVIEW');
    expect(ticket.event?.id).toBe(event.id);
    expect(ticket.reading?.match?.eventId).toBe(event.id);
    // Each detail the upload left empty now contains what OCR read for it, if anything.
    const fields = ticket.reading?.fields ?? {};
    expect(fields.section?.value).toBeDefined();
    expect(ticket.section).toBe(String(fields.section?.value).trim().slice(0, 40));
    expect(ticket.row).toBe(fields.row ? String(fields.row.value) : null);
    expect(ticket.seat).toBe(fields.seat ? String(fields.seat.value) : null);
    expect(ticket.faceValueMinor).toBe(fields.faceValueMinor?.value ?? null);
    expect(ticket.ocrProvider).toBeTruthy();
  });

  it('reads a JPEG photo and keeps what the trader typed', async () => {
    const photo = await makeTicketPhoto({
      barcodeText: 'OCR-PHOTO-1',
      format: 'qrcode',
      eventName: event.name,
      venue: `${event.city} Stadium`,
      startsAt: event.startsAt,
      section: 'Section 221',
      row: '7',
      seat: '3',
      faceValue: 9_000,
      currency: 'USD',
      angleDegrees: 3,
      seed: 7,
    });
    const trader = await h.createUser({});
    const { ticket } = await uploadTicket(
      { services: h.services, actor: trader, meta: { requestId: 'test', ipAddress: '127.0.0.1' } },
      { bytes: photo, fileName: 'photo.jpg' },
      { seat: '99' },
    );
    expect(await processTicketIntake(h.services, ticket.id)).toBe('needs_review');

    const read = await h.caller(trader).tickets.get({ ticketId: ticket.id });
    expect(read.barcodeFormat).toBe('QRCode');
    expect(read.seat).toBe('99');
    expect(read.reading?.barcode.found).toBe(true);
    expect(Object.keys(read.reading?.fields ?? {}).length).toBeGreaterThan(0);
  }, 120_000);
});
