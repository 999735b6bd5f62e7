// Writes a set of e-ticket files (PDFs and photo-like images) with known barcode contents,
// plus manifest.json listing each file's barcode format and text.
// Usage: node --import tsx scripts/make-tickets.ts OUT_DIR
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import {
  makeTicketPdf,
  makeTicketPhoto,
  type TicketBarcodeEncoder,
  type TicketFileOptions,
  type TicketPhotoOptions,
} from '../packages/domain/src/tickets/barcode/ticket-files.ts';

interface ManifestEntry {
  file: string;
  encoder: TicketBarcodeEncoder;
  barcodeText: string;
  eventName: string;
  section: string;
  row: string;
  seat: string;
  /** Face value in minor units. */
  faceValue: number;
}

const EVENTS = [
  {
    eventName: 'Northern Lights Orchestra: Winter Gala',
    venue: 'Concertgebouw, Amsterdam',
    startsAt: new Date('2025-12-12T19:30:00Z'),
    timeZone: 'Europe/Amsterdam',
    currency: 'EUR',
  },
  {
    eventName: 'Harbour City FC vs Rivertown United',
    venue: 'Harbour Park Stadium, Liverpool',
    startsAt: new Date('2026-02-07T15:00:00Z'),
    timeZone: 'Europe/London',
    currency: 'GBP',
  },
  {
    eventName: 'The Paper Kites Live',
    venue: 'Riverside Theatre, Chicago',
    startsAt: new Date('2026-03-21T01:00:00Z'),
    timeZone: 'America/Chicago',
    currency: 'USD',
  },
] as const;

const PDF_CASES: Array<[TicketBarcodeEncoder, TicketFileOptions['barcodeDrawing']]> = [
  ['pdf417', 'image'],
  ['pdf417', 'vectors'],
  ['qrcode', 'image'],
  ['qrcode', 'vectors'],
  ['azteccode', 'image'],
  ['datamatrix', 'image'],
  ['code128', 'image'],
];

const PHOTO_CASES: Array<[string, Partial<TicketPhotoOptions>]> = [
  ['straight', {}],
  ['tilted', { angleDegrees: -6, noise: 6, shading: 0.2 }],
  ['sideways', { angleDegrees: 91, noise: 4 }],
  ['blurred', { angleDegrees: 3, blurSigma: 1.2, noise: 5 }],
  ['dim-low-quality', { angleDegrees: 5, shading: 0.5, noise: 10, jpegQuality: 50 }],
  ['mirrored', { mirrored: true, angleDegrees: 2 }],
  ['screenshot', { output: 'png' }],
];

async function main(outDir: string) {
  await mkdir(outDir, { recursive: true });
  const manifest: ManifestEntry[] = [];

  for (const [index, [encoder, drawing]] of PDF_CASES.entries()) {
    const options = ticketOptions(index, encoder);
    const file = `ticket-${encoder}-${drawing}.pdf`;
    await writeFile(path.join(outDir, file), await makeTicketPdf({
      ...options,
      barcodeDrawing: drawing,
      pageSize: index % 3 === 2 ? 'Letter' : 'A4',
    }));
    manifest.push(manifestEntry(file, options));
  }

  for (const encoder of ['pdf417', 'qrcode'] as const) {
    for (const [index, [name, photo]] of PHOTO_CASES.entries()) {
      const options = ticketOptions(index + 10, encoder);
      const file = `photo-${encoder}-${name}.${photo.output === 'png' ? 'png' : 'jpg'}`;
      await writeFile(path.join(outDir, file), await makeTicketPhoto({
        ...options,
        ...photo,
        seed: index + 1,
      }));
      manifest.push(manifestEntry(file, options));
    }
  }

  await writeFile(path.join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`Wrote ${manifest.length} ticket files and manifest.json to ${outDir}`);
}

function ticketOptions(index: number, encoder: TicketBarcodeEncoder): TicketFileOptions {
  const event = EVENTS[index % EVENTS.length]!;
  const seat = String(10 + index);

  return {
    ...event,
    format: encoder,
    // Ticket shops print a long random-looking number; a fixed pattern keeps runs identical.
    barcodeText: `${encoder === 'code128' ? '' : 'TSW'}${String(4_812_000_731 + index * 7919)}` +
      `${String(index).padStart(4, '0')}`,
    section: ['Balcony B', 'North Stand 114', 'Floor GA'][index % 3]!,
    row: String(3 + (index % 9)),
    seat,
    faceValue: 4500 + index * 250,
  };
}

function manifestEntry(file: string, options: TicketFileOptions): ManifestEntry {
  return {
    file,
    encoder: options.format,
    barcodeText: options.barcodeText,
    eventName: options.eventName,
    section: options.section,
    row: options.row,
    seat: options.seat,
    faceValue: options.faceValue,
  };
}

const outDir = process.argv[2];
if (!outDir) {
  console.error('Usage: node --import tsx scripts/make-tickets.ts OUT_DIR');
  process.exit(2);
}
await main(path.resolve(outDir));
