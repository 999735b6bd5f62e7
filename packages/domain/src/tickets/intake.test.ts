import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEvent, ticketPdf, type TestEvent } from '../testing/fixtures.ts';
import { createHarness, type Harness } from '../testing/harness.ts';
import { hashBarcode, uploadTicket } from './intake.ts';

let h: Harness;
let event: TestEvent;

beforeAll(async () => {
  h = await createHarness({ maxUploadBytes: 512 * 1024 });
  event = await createEvent(h.db.prisma, { name: 'Upload Test Game', city: 'Austin' });
});

afterAll(async () => {
  await h.close();
});

async function upload(actor: Awaited<ReturnType<Harness['createUser']>>, bytes: Uint8Array) {
  return uploadTicket(
    { services: h.services, actor, meta: { requestId: 'test', ipAddress: '127.0.0.1' } },
    { bytes, fileName: 'ticket' },
    { eventId: event.id, section: 'Section 120', row: '3', seat: '9' },
  );
}

async function countRows() {
  return {
    tickets: await h.db.prisma.ticket.count(),
    audit: await h.db.prisma.auditLog.count(),
  };
}

describe('ticket upload', () => {
  it('reads the barcode from a PDF and stores only its hash', async () => {
    const trader = await h.createUser({});
    const { ticket, created } = await upload(trader, await ticketPdf(event, 'INTAKE-PDF-001'));
    expect(created).toBe(true);
    expect(ticket.state).toBe('DRAFT');
    expect(ticket.barcodeFormat).toBe('PDF417');

    const row = await h.db.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(row.barcodeHash).toBe(hashBarcode('INTAKE-PDF-001'));
    expect(JSON.stringify(row)).not.toContain('INTAKE-PDF-001');
    const stored = await h.services.storage.get(row.storageKey);
    expect(stored.byteLength).toBe(row.sizeBytes);
  });

  it('returns the same ticket when the same file is uploaded twice', async () => {
    const trader = await h.createUser({});
    const pdf = await ticketPdf(event, 'INTAKE-TWICE');
    const first = await upload(trader, pdf);
    const second = await upload(trader, pdf);
    expect(second.created).toBe(false);
    expect(second.ticket.id).toBe(first.ticket.id);
  });

  it('rejects a barcode that is already on the platform', async () => {
    const first = await h.createUser({});
    const second = await h.createUser({});
    await upload(first, await ticketPdf(event, 'INTAKE-DUPLICATE'));
    const before = await countRows();
    await expect(upload(second, await ticketPdf(event, 'INTAKE-DUPLICATE', 'Section 330')))
      .rejects.toMatchObject({ code: 'BARCODE_ALREADY_LISTED' });
    expect(await countRows()).toEqual(before);
  });

  it('rejects a file that is not a PDF or an image', async () => {
    const trader = await h.createUser({});
    const before = await countRows();
    await expect(upload(trader, new TextEncoder().encode('just some text, not a ticket')))
      .rejects.toMatchObject({ code: 'UNSUPPORTED_FILE_TYPE' });
    expect(await countRows()).toEqual(before);
  });

  it('rejects an image with no barcode in it', async () => {
    const trader = await h.createUser({});
    const blank = await sharp({
      create: { width: 400, height: 300, channels: 3, background: { r: 240, g: 240, b: 240 } },
    }).png().toBuffer();
    await expect(upload(trader, new Uint8Array(blank))).rejects.toMatchObject({ code: 'BARCODE_NOT_FOUND' });
  });

  it('rejects an empty file and one over the size limit', async () => {
    const trader = await h.createUser({});
    await expect(upload(trader, new Uint8Array())).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const big = new Uint8Array(600 * 1024);
    big.set([0x25, 0x50, 0x44, 0x46, 0x2d]);
    await expect(upload(trader, big)).rejects.toMatchObject({ code: 'FILE_TOO_LARGE' });
  });

  it('rejects a truncated PDF without leaving a ticket behind', async () => {
    const trader = await h.createUser({});
    const pdf = await ticketPdf(event, 'INTAKE-TRUNCATED');
    const before = await countRows();
    await expect(upload(trader, pdf.slice(0, 400))).rejects.toMatchObject({
      code: 'UNREADABLE_FILE',
    });
    expect(await countRows()).toEqual(before);
  });
});
