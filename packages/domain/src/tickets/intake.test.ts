import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { LocalFileStorage } from '../storage/storage.ts';
import { createEvent, createIntakeQueue, ticketPdf, type TestEvent } from '../testing/fixtures.ts';
import { createHarness, type Harness } from '../testing/harness.ts';
import { hashBarcode, readTicketFile, uploadTicket } from './intake.ts';
import { MAX_PDF_PAGES } from './processing-checks.ts';
import { processTicketIntake } from './processing.ts';

let h: Harness;
let event: TestEvent;
let storageDir: string;

type Trader = Awaited<ReturnType<Harness['createUser']>>;

beforeAll(async () => {
  h = await createHarness({ maxUploadBytes: 512 * 1024 });
  // A storage folder this file can list, to check that rejected uploads leave no file.
  storageDir = await mkdtemp(path.join(tmpdir(), 'intake-test-storage-'));
  h.services.storage = new LocalFileStorage(storageDir);
  await createIntakeQueue(h);
  event = await createEvent(h.db.prisma, { name: 'Upload Test Game', city: 'Austin' });
});

afterAll(async () => {
  await h.close();
  await rm(storageDir, { recursive: true, force: true });
});

function optionsFor(actor: Trader) {
  return { services: h.services, actor, meta: { requestId: 'test', ipAddress: '127.0.0.1' } };
}

async function upload(actor: Trader, bytes: Uint8Array, details = {
  eventId: event.id,
  section: 'Section 120',
  row: '3',
  seat: '9',
}) {
  return uploadTicket(optionsFor(actor), { bytes, fileName: 'ticket' }, details);
}

/** Uploads and reads a ticket the way the job does, without OCR. */
async function uploadAndRead(actor: Trader, bytes: Uint8Array) {
  const { ticket } = await upload(actor, bytes);
  const outcome = await processTicketIntake(h.services, ticket.id, { ocrEngine: null });

  return { ticketId: ticket.id, outcome };
}

async function countStoredFiles(): Promise<number> {
  const entries = await readdir(storageDir, { recursive: true, withFileTypes: true });

  return entries.filter((entry) => entry.isFile()).length;
}

async function countRows() {
  return {
    tickets: await h.db.prisma.ticket.count(),
    audit: await h.db.prisma.auditLog.count(),
    files: await countStoredFiles(),
  };
}

async function intakeJobsFor(ticketId: string): Promise<number> {
  const rows = await h.db.prisma.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM pgboss.job
    WHERE name = 'ticket.intake' AND data->>'ticketId' = ${ticketId}`;

  return Number(rows[0]?.n);
}

describe('ticket upload', () => {
  it('returns a queued ticket and enqueues its intake job', async () => {
    const trader = await h.createUser({});
    const { ticket, created } = await upload(trader, await ticketPdf(event, 'INTAKE-QUEUED'));
    expect(created).toBe(true);
    expect(ticket.state).toBe('DRAFT');
    expect(ticket.intakeStatus).toBe('QUEUED');
    expect(ticket.barcodeFormat).toBeNull();
    expect(await intakeJobsFor(ticket.id)).toBe(1);
  });

  it('returns the same ticket when the same file is uploaded twice', async () => {
    const trader = await h.createUser({});
    const pdf = await ticketPdf(event, 'INTAKE-TWICE');
    const first = await upload(trader, pdf);
    const second = await upload(trader, pdf);
    expect(second.created).toBe(false);
    expect(second.ticket.id).toBe(first.ticket.id);
    expect(await intakeJobsFor(first.ticket.id)).toBe(1);
  });

  it('strips GPS EXIF from a photo and applies its orientation', async () => {
    const trader = await h.createUser({});
    const photo = await sharp({
      create: { width: 320, height: 200, channels: 3, background: { r: 250, g: 250, b: 250 } },
    })
      .jpeg()
      .withExif({
        IFD0: { Make: 'PhoneMaker' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 0/1' },
      })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const before = await sharp(photo).metadata();
    expect(before.exif?.toString('latin1')).toContain('PhoneMaker');
    expect(before.orientation).toBe(6);

    const { ticket } = await upload(trader, new Uint8Array(photo));
    const row = await h.db.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    const stored = await sharp(await h.services.storage.get(row.storageKey)).metadata();
    expect(stored.exif).toBeUndefined();
    expect(stored.orientation).toBeUndefined();
    // Orientation 6 turns the landscape photo upright, so the stored pixels are portrait.
    expect(stored.width).toBe(200);
    expect(stored.height).toBe(320);
    expect(row.sizeBytes).toBe((await h.services.storage.get(row.storageKey)).byteLength);
  });
});

describe('ticket intake job', () => {
  it('reads the barcode, stores only its hash and waits for review', async () => {
    const trader = await h.createUser({});
    const { ticketId, outcome } = await uploadAndRead(trader, await ticketPdf(event, 'INTAKE-PDF-1'));
    expect(outcome).toBe('needs_review');

    const row = await h.db.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } });
    expect(row.intakeStatus).toBe('NEEDS_REVIEW');
    expect(row.intakeError).toBeNull();
    expect(row.barcodeFormat).toBe('PDF417');
    expect(row.barcodeHash).toBe(hashBarcode('INTAKE-PDF-1'));
    expect(JSON.stringify(row)).not.toContain('INTAKE-PDF-1');
  });

  it('does nothing when the job runs again after intake finished', async () => {
    const trader = await h.createUser({});
    const { ticketId } = await uploadAndRead(trader, await ticketPdf(event, 'INTAKE-AGAIN'));
    const before = await h.db.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } });
    expect(await processTicketIntake(h.services, ticketId, { ocrEngine: null }))
      .toBe('already_done');
    const after = await h.db.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } });
    expect(after.version).toBe(before.version);
  });

  it('lists a ticket only after its owner confirmed the review', async () => {
    const trader = await h.createUser({});
    const { ticketId } = await uploadAndRead(trader, await ticketPdf(event, 'INTAKE-REVIEW'));
    const caller = h.caller(trader);
    await expect(caller.tickets.list({ ticketId }))
      .rejects.toMatchObject({ cause: { code: 'INTAKE_NOT_READY' } });

    const confirmed = await caller.tickets.confirm({
      ticketId,
      eventId: event.id,
      section: 'Section 121',
      row: '4',
      seat: '10',
      faceValueMinor: 8_000,
    });
    expect(confirmed.section).toBe('Section 121');
    expect(confirmed.faceValueMinor).toBe(8_000);
    const listed = await caller.tickets.list({ ticketId });
    expect(listed.state).toBe('LISTED');
  });

  it('fails a barcode already on the platform and records a fraud signal', async () => {
    const first = await h.createUser({});
    const second = await h.createUser({});
    await uploadAndRead(first, await ticketPdf(event, 'INTAKE-DUPLICATE'));
    const copy = await ticketPdf(event, 'INTAKE-DUPLICATE', 'Section 330');
    const { ticketId, outcome } = await uploadAndRead(second, copy);
    expect(outcome).toBe('failed');

    const row = await h.db.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } });
    expect(row.intakeStatus).toBe('FAILED');
    expect(row.intakeError).toMatch(/already on the platform/);
    expect(row.barcodeHash).toBeNull();
    const signals = await h.db.prisma.fraudSignal.findMany({ where: { userId: second.userId } });
    expect(signals).toHaveLength(1);
    expect(signals[0]?.kind).toBe('duplicate_barcode');
    expect(signals[0]?.weight).toBeGreaterThan(0);
    expect(JSON.stringify(signals[0]?.data)).not.toContain('INTAKE-DUPLICATE');
    await expect(h.caller(second).tickets.list({ ticketId }))
      .rejects.toMatchObject({ cause: { code: 'INTAKE_NOT_READY' } });
  });

  it('sends a file without a barcode to manual review', async () => {
    const trader = await h.createUser({});
    const staff = await h.createUser({ role: 'COMPLIANCE' });
    const blank = await sharp({
      create: { width: 400, height: 300, channels: 3, background: { r: 240, g: 240, b: 240 } },
    }).png().toBuffer();
    const { ticketId, outcome } = await uploadAndRead(trader, new Uint8Array(blank));
    expect(outcome).toBe('manual_review');

    const read = await h.caller(trader).tickets.get({ ticketId });
    expect(read.intakeStatus).toBe('NEEDS_REVIEW');
    expect(read.reading?.manualReview).toBe(true);
    expect(read.reading?.barcode.found).toBe(false);
    expect(read.intakeError).toMatch(/No barcode could be read/);

    await h.caller(trader).tickets.confirm({ ticketId, eventId: event.id, section: 'Section 5' });
    const waiting = await h.caller(trader).tickets.get({ ticketId });
    expect(waiting.intakeStatus).toBe('NEEDS_REVIEW');
    await expect(h.caller(trader).tickets.list({ ticketId }))
      .rejects.toMatchObject({ cause: { code: 'INTAKE_NOT_READY' } });

    await h.caller(staff).tickets.approveManualReview({ ticketId });
    const listed = await h.caller(trader).tickets.list({ ticketId });
    expect(listed.state).toBe('LISTED');
  });
});

/** A PNG whose header declares `side` × `side` one-bit pixels, all zero, deflated. */
function pngBomb(side: number): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));

    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([1, 0, 0, 0, 0], 8);
  const rowBytes = 1 + Math.ceil(side / 8);
  const pixels = deflateSync(Buffer.alloc(rowBytes * side), { level: 9 });

  return new Uint8Array(Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]));
}

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
    }
  }

  return (crc ^ 0xffffffff) >>> 0;
}

async function pdfWithPages(pages: number): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  for (let page = 0; page < pages; page++) {
    document.addPage([200, 200]);
  }

  return document.save({ useObjectStreams: false });
}

/** A valid PDF whose trailer names an encryption dictionary, as password-protected PDFs do. */
async function encryptedPdf(): Promise<Uint8Array> {
  const text = Buffer.from(await pdfWithPages(1)).toString('latin1');
  // The trailer comes after the cross-reference table, so no byte offset moves.
  const encrypted = text.replace('trailer\n<<', 'trailer\n<<\n/Encrypt << /Filter /Standard ' +
    '/V 1 /R 2 /O <00> /U <00> /P -4 >>');
  expect(encrypted).toContain('/Encrypt');

  return new Uint8Array(Buffer.from(encrypted, 'latin1'));
}

describe('bad ticket files', () => {
  const cases: Array<[string, () => Promise<Uint8Array>, string]> = [
    ['text that is not a PDF or image',
      async () => new TextEncoder().encode('just some text, not a ticket'), 'UNSUPPORTED_FILE_TYPE'],
    ['a zero-byte file', async () => new Uint8Array(), 'EMPTY_FILE'],
    ['a file over the size limit', async () => {
      const big = new Uint8Array(600 * 1024);
      big.set([0x25, 0x50, 0x44, 0x46, 0x2d]);

      return big;
    }, 'FILE_TOO_LARGE'],
    [`a PDF of more than ${MAX_PDF_PAGES} pages`, () => pdfWithPages(300), 'PDF_TOO_MANY_PAGES'],
    ['an encrypted PDF', encryptedPdf, 'PDF_ENCRYPTED'],
    ['a truncated PDF', async () => (await ticketPdf(event, 'INTAKE-CUT')).slice(0, 400),
      'UNREADABLE_FILE'],
    ['a decompression bomb', async () => pngBomb(20_000), 'IMAGE_TOO_LARGE'],
    ['a corrupt JPEG', async () => {
      const photo = await sharp({
        create: { width: 600, height: 400, channels: 3, background: { r: 10, g: 90, b: 200 } },
      }).jpeg().toBuffer();

      return new Uint8Array(photo.subarray(0, Math.floor(photo.length / 2)));
    }, 'UNREADABLE_FILE'],
  ];

  for (const [name, makeFile, code] of cases) {
    it(`rejects ${name} with ${code} and keeps nothing`, async () => {
      const trader = await h.createUser({});
      const bytes = await makeFile();
      const before = await countRows();
      await expect(upload(trader, bytes)).rejects.toMatchObject({ code });
      expect(await countRows()).toEqual(before);
    });
  }
});

describe('ticket file access', () => {
  it('serves the file to its owner and staff but not to other traders', async () => {
    const owner = await h.createUser({});
    const stranger = await h.createUser({});
    const support = await h.createUser({ role: 'SUPPORT' });
    const pdf = await ticketPdf(event, 'INTAKE-ACCESS');
    const { ticket } = await upload(owner, pdf);

    const own = await readTicketFile(optionsFor(owner), ticket.id);
    expect(own.mimeType).toBe('application/pdf');
    expect(own.bytes.byteLength).toBe(pdf.byteLength);
    const staffRead = await readTicketFile(optionsFor(support), ticket.id);
    expect(staffRead.bytes.byteLength).toBe(pdf.byteLength);
    const audit = await h.db.prisma.auditLog.count({
      where: { action: 'ticket.file_viewed', entityId: ticket.id, actorId: support.userId },
    });
    expect(audit).toBe(1);
    await expect(readTicketFile(optionsFor(stranger), ticket.id))
      .rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
