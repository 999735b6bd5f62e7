// Writes a labelled corpus of ticket files for the intake benchmark: digital PDFs, scanned
// (image-only) PDFs, phone photos and screenshots in varied layouts, fonts, date formats,
// barcode types, rotations, resolutions and noise, plus manifest.json with each file's truth.
// Usage: node --import tsx scripts/make-corpus.ts OUT_DIR [COUNT]   (COUNT defaults to 200)
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { PDFDocument, PageSizes } from 'pdf-lib';

import {
  makeTicketPdf,
  makeTicketPhoto,
  type TicketBarcodeEncoder,
  type TicketDateStyle,
  type TicketFileOptions,
  type TicketFont,
  type TicketLayout,
  type TicketPhotoOptions,
} from '../packages/domain/src/tickets/barcode/ticket-files.ts';

export type CorpusFileKind = 'pdf' | 'scanned-pdf' | 'photo' | 'screenshot';

export interface CorpusEntry {
  file: string;
  kind: CorpusFileKind;
  encoder: TicketBarcodeEncoder;
  barcodeText: string;
  layout: TicketLayout;
  font: TicketFont;
  dateStyle: TicketDateStyle;
  truth: {
    eventName: string;
    venue: string;
    /** UTC instant. */
    startsAt: string;
    timeZone: string;
    section: string;
    row: string;
    seat: string;
    faceValueMinor: number;
    currency: string;
  };
  /** Photo settings, for photos and scans. */
  photo?: Partial<TicketPhotoOptions>;
}

const EVENTS = [
  { eventName: 'Northern Lights Orchestra: Winter Gala', venue: 'Concertgebouw, Amsterdam',
    startsAt: '2025-12-12T19:30:00Z', timeZone: 'Europe/Amsterdam', currency: 'EUR' },
  { eventName: 'Harbour City FC vs Rivertown United', venue: 'Harbour Park Stadium, Liverpool',
    startsAt: '2026-02-07T15:00:00Z', timeZone: 'Europe/London', currency: 'GBP' },
  { eventName: 'The Paper Kites Live', venue: 'Riverside Theatre, Chicago',
    startsAt: '2026-03-21T01:00:00Z', timeZone: 'America/Chicago', currency: 'USD' },
  { eventName: 'Alabama at Georgia', venue: 'Sanford Stadium, Athens',
    startsAt: '2025-09-27T23:30:00Z', timeZone: 'America/New_York', currency: 'USD' },
  { eventName: 'Desert Bloom Festival Day 2', venue: 'Allegiant Arena, Las Vegas',
    startsAt: '2026-04-18T19:00:00Z', timeZone: 'America/Los_Angeles', currency: 'USD' },
  { eventName: 'Carmen by the Vienna Opera Ensemble', venue: 'Wiener Konzerthaus Hall, Vienna',
    startsAt: '2026-01-30T18:00:00Z', timeZone: 'Europe/Vienna', currency: 'EUR' },
] as const;

const ENCODERS: TicketBarcodeEncoder[] = ['pdf417', 'qrcode', 'azteccode', 'datamatrix',
  'code128'];
const LAYOUTS: TicketLayout[] = ['boxes', 'stacked', 'inline', 'table'];
const FONTS: TicketFont[] = ['helvetica', 'times', 'courier'];
const DATE_STYLES: TicketDateStyle[] = ['en-GB', 'en-US', 'iso'];
const SECTIONS = ['Balcony B', 'North Stand 114', 'Floor GA', '221', 'Lower Tier 7', 'Box C'];

// Of every ten files: four digital PDFs, one scanned PDF, four photos, one screenshot.
const KIND_CYCLE: CorpusFileKind[] = ['pdf', 'photo', 'pdf', 'photo', 'scanned-pdf', 'pdf',
  'photo', 'screenshot', 'pdf', 'photo'];

/** Writes `count` ticket files and manifest.json into `outDir`; returns the manifest. */
export async function makeCorpus(outDir: string, count: number): Promise<CorpusEntry[]> {
  await mkdir(outDir, { recursive: true });
  const manifest: CorpusEntry[] = [];
  const random = mulberry32(20_260_207);

  for (let index = 0; index < count; index++) {
    const kind = KIND_CYCLE[index % KIND_CYCLE.length]!;
    const options = ticketOptions(index);
    const photo = kind === 'pdf' ? undefined : photoSettings(kind, index, random);
    const extension = kind === 'photo' ? 'jpg' : kind === 'screenshot' ? 'png' : 'pdf';
    const file = `${String(index).padStart(4, '0')}-${kind}-${options.format}.${extension}`;

    let bytes: Uint8Array;
    if (kind === 'pdf') {
      bytes = await makeTicketPdf(options);
    } else if (kind === 'scanned-pdf') {
      bytes = await imageOnlyPdf(await makeTicketPhoto({ ...options, ...photo }));
    } else {
      bytes = await makeTicketPhoto({ ...options, ...photo });
    }
    await writeFile(path.join(outDir, file), bytes);

    manifest.push({
      file,
      kind,
      encoder: options.format,
      barcodeText: options.barcodeText,
      layout: options.layout ?? 'boxes',
      font: options.font ?? 'helvetica',
      dateStyle: options.dateStyle ?? 'en-GB',
      truth: {
        eventName: options.eventName,
        venue: options.venue,
        startsAt: options.startsAt.toISOString(),
        timeZone: options.timeZone ?? 'UTC',
        section: options.section,
        row: options.row,
        seat: options.seat,
        faceValueMinor: options.faceValue,
        currency: options.currency ?? 'EUR',
      },
      ...(photo ? { photo } : {}),
    });
  }

  await writeFile(path.join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  return manifest;
}

function ticketOptions(index: number): TicketFileOptions {
  const event = EVENTS[index % EVENTS.length]!;
  const encoder = ENCODERS[Math.floor(index / 2) % ENCODERS.length]!;

  return {
    ...event,
    startsAt: new Date(event.startsAt),
    format: encoder,
    barcodeText: `${encoder === 'code128' ? '' : 'TSW'}${String(5_100_000_017 + index * 7919)}` +
      String(index).padStart(4, '0'),
    section: SECTIONS[index % SECTIONS.length]!,
    row: index % 7 === 3 ? 'AA' : String(1 + (index % 28)),
    seat: index % 9 === 4 ? `${10 + index % 20}-${11 + index % 20}` : String(1 + (index * 7) % 40),
    faceValue: 2500 + ((index * 1337) % 30_000),
    layout: LAYOUTS[Math.floor(index / 3) % LAYOUTS.length],
    font: FONTS[index % FONTS.length],
    dateStyle: DATE_STYLES[Math.floor(index / 4) % DATE_STYLES.length],
    barcodeDrawing: index % 4 === 2 ? 'vectors' : 'image',
    pageSize: index % 5 === 1 ? 'Letter' : 'A4',
  };
}

// Photos get up to 8 degrees of tilt (one in seven turned a quarter or half turn), 1000 to
// 1600 pixels of page width, noise, shading, sometimes blur, and JPEG quality 55 to 90.
// Screenshots are clean PNGs; scans are straighter and cleaner than photos.
function photoSettings(kind: CorpusFileKind, index: number, random: () => number):
  Partial<TicketPhotoOptions> {
  if (kind === 'screenshot') {
    return { output: 'png', pageWidthPx: 1080 + Math.round(random() * 400) };
  }
  if (kind === 'scanned-pdf') {
    return { angleDegrees: round1(random() * 3 - 1.5), noise: Math.round(random() * 4),
      pageWidthPx: 1700, jpegQuality: 85, seed: index + 1 };
  }

  const quarterTurn = index % 7 === 6 ? [90, 180, 270][index % 3]! : 0;
  return {
    angleDegrees: quarterTurn + round1(random() * 16 - 8),
    pageWidthPx: 1000 + Math.round(random() * 600),
    noise: Math.round(random() * 12),
    shading: round1(random() * 0.4),
    blurSigma: index % 5 === 0 ? round1(0.5 + random() * 0.7) : 0,
    jpegQuality: 55 + Math.round(random() * 35),
    seed: index + 1,
  };
}

/** Wraps an image into a one-page PDF with no text layer, as a scanner produces. */
async function imageOnlyPdf(jpeg: Uint8Array): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  document.setCreationDate(new Date('2025-01-01T00:00:00Z'));
  document.setModificationDate(new Date('2025-01-01T00:00:00Z'));
  const image = await document.embedJpg(jpeg);
  const [width, height] = PageSizes.A4;
  const scale = Math.min(width / image.width, height / image.height);
  const page = document.addPage([width, height]);
  page.drawImage(image, { x: 0, y: height - image.height * scale, width: image.width * scale,
    height: image.height * scale });

  return document.save();
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

if (import.meta.main) {
  const [outDir, countArgument] = process.argv.slice(2);
  const count = Number(countArgument ?? 200);
  if (!outDir || !Number.isInteger(count) || count < 1) {
    console.error('Usage: node --import tsx scripts/make-corpus.ts OUT_DIR [COUNT]');
    process.exit(2);
  }
  const manifest = await makeCorpus(path.resolve(outDir), count);
  console.log(`Wrote ${manifest.length} ticket files and manifest.json to ${outDir}`);
}
