// The explicit Node entry point, because TypeScript's bundler resolution does not pick the
// "node" condition of the package root.
import bwipjs from 'bwip-js/node';
import {
  PDFDocument,
  PageSizes,
  StandardFonts,
  grayscale,
  rgb,
  type PDFFont,
  type PDFPage,
} from 'pdf-lib';
import sharp from 'sharp';

import { renderPdfPages } from './render-pdf.ts';
import type { RgbaImage } from './zxing.ts';

// For tests and seed data only: bwip-js and pdf-lib are root devDependencies, which a
// production install of @ts/domain does not contain.

/** Barcode encoder names as bwip-js spells them. */
export type TicketBarcodeEncoder = 'pdf417' | 'qrcode' | 'azteccode' | 'datamatrix' | 'code128';

export interface TicketFileOptions {
  barcodeText: string;
  format: TicketBarcodeEncoder;
  eventName: string;
  venue: string;
  startsAt: Date;
  section: string;
  row: string;
  seat: string;
  /** Face value in minor units of `currency` (cents for EUR). */
  faceValue: number;
  /** ISO 4217 code; defaults to EUR. */
  currency?: string;
  /** IANA time zone the start time is printed in; defaults to UTC. */
  timeZone?: string;
  /** Paper size; defaults to A4. */
  pageSize?: 'A4' | 'Letter';
  /**
   * Drawing of the barcode: an embedded PNG image (the default) or filled rectangles, as in
   * PDFs that draw the code with vector operators.
   */
  barcodeDrawing?: 'image' | 'vectors';
  /**
   * Arrangement of the event details: `boxes` (the default) prints SECTION, ROW, SEAT and
   * PRICE as column headers over boxed values; `stacked` prints "Label: value" lines;
   * `inline` prints "SEC x  ROW y  SEAT z" on one line; `table` prints a label column
   * beside a value column, event name included.
   */
  layout?: TicketLayout;
  /** Typeface family; defaults to helvetica. */
  font?: TicketFont;
  /**
   * Format of the start: `en-GB` ("Sat, 7 February 2026 at 09:00 GMT-6", the default),
   * `en-US` ("Sat, Feb 7, 2026, 9:00 AM CST") or `iso` ("2026-02-07 09:00 (UTC-06:00)").
   */
  dateStyle?: TicketDateStyle;
}

export type TicketLayout = 'boxes' | 'stacked' | 'inline' | 'table';
export type TicketFont = 'helvetica' | 'times' | 'courier';
export type TicketDateStyle = 'en-GB' | 'en-US' | 'iso';

export interface TicketPhotoOptions extends TicketFileOptions {
  /** Rotation of the paper in the photo, degrees clockwise. */
  angleDegrees?: number;
  /** Width of the whole page in the photo, in pixels; defaults to 1240 (150 dpi for A4). */
  pageWidthPx?: number;
  /** Standard deviation of the Gaussian sensor noise, in grey levels (0–255). */
  noise?: number;
  /** Gaussian blur sigma in pixels, for an out-of-focus photo. */
  blurSigma?: number;
  /** Fraction by which the light falls off from the top-left to the bottom-right corner. */
  shading?: number;
  /** Flips the photo left to right, as some front cameras store selfies. */
  mirrored?: boolean;
  /** Image encoding; defaults to jpeg. */
  output?: 'png' | 'jpeg';
  /** JPEG quality 1–100; defaults to 80. */
  jpegQuality?: number;
  /** Seed of the noise generator, so that a photo is the same on every run. */
  seed?: number;
}

const BACKGROUND_GREY = { r: 96, g: 92, b: 88, alpha: 1 };
const MARGIN = 48;
const FONT_FILES: Record<TicketFont, [StandardFonts, StandardFonts]> = {
  helvetica: [StandardFonts.Helvetica, StandardFonts.HelveticaBold],
  times: [StandardFonts.TimesRoman, StandardFonts.TimesRomanBold],
  courier: [StandardFonts.Courier, StandardFonts.CourierBold],
};

/** Builds a one-page e-ticket PDF with the event details as text and a barcode. */
export async function makeTicketPdf(options: TicketFileOptions): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  document.setTitle(`Ticket: ${options.eventName}`);
  document.setProducer('ticket-swap test ticket generator');
  // A fixed date keeps the bytes of a generated file the same from run to run.
  document.setCreationDate(new Date('2025-01-01T00:00:00Z'));
  document.setModificationDate(new Date('2025-01-01T00:00:00Z'));

  const page = document.addPage(options.pageSize === 'Letter' ? PageSizes.Letter : PageSizes.A4);
  const [regular, bold] = FONT_FILES[options.font ?? 'helvetica'];
  const fonts = {
    regular: await document.embedFont(regular),
    bold: await document.embedFont(bold),
    mono: await document.embedFont(StandardFonts.Courier),
  };

  const barcodeTop = drawEventDetails(page, fonts, options);
  const barcodeBottom = await drawBarcode(document, page, options, barcodeTop - 28);
  const printedCode = encodableText(fonts.mono, options.barcodeText).slice(0, 60);
  drawCentered(page, printedCode, fonts.mono, 9, barcodeBottom - 16);
  drawTerms(page, fonts.regular, barcodeBottom - 60);

  return document.save({ useObjectStreams: false });
}

/**
 * Builds a photo-like image of a printed ticket: the PDF from `makeTicketPdf` rendered,
 * rotated on a grey table, shaded, blurred, noisy and JPEG-compressed as the options set.
 */
export async function makeTicketPhoto(options: TicketPhotoOptions): Promise<Uint8Array> {
  const pdf = await makeTicketPdf(options);
  const pageWidthPx = options.pageWidthPx ?? 1240;
  const pageWidthInches = (options.pageSize === 'Letter' ? PageSizes.Letter : PageSizes.A4)[0] / 72;

  let image: RgbaImage | undefined;
  const pages = renderPdfPages(pdf, {
    dpi: pageWidthPx / pageWidthInches,
    maxPages: 1,
    maxPagePixels: 40_000_000,
  });
  for await (const page of pages) {
    image = page.image;
    break;
  }
  if (!image) {
    throw new Error('the generated ticket PDF has no page');
  }

  let photo = sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
    raw: { width: image.width, height: image.height, channels: 4 },
  })
    .removeAlpha()
    // A margin of table around the paper, so that rotation does not cut the page.
    .extend({ top: 60, bottom: 60, left: 60, right: 60, background: BACKGROUND_GREY })
    .rotate(options.angleDegrees ?? 0, { background: BACKGROUND_GREY });
  if (options.mirrored) {
    photo = photo.flop();
  }

  const { data, info } = await photo.raw().toBuffer({ resolveWithObject: true });
  addShadingAndNoise(data, info.width, info.height, info.channels, options);

  let output = sharp(data, {
    raw: { width: info.width, height: info.height, channels: info.channels },
  });
  if (options.blurSigma && options.blurSigma >= 0.3) {
    output = output.blur(options.blurSigma);
  }
  const encoded = options.output === 'png'
    ? await output.png().toBuffer()
    : await output.jpeg({ quality: options.jpegQuality ?? 80 }).toBuffer();

  return new Uint8Array(encoded);
}

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
  mono: PDFFont;
}

/** Draws the header and the event block; returns the y coordinate below them. */
function drawEventDetails(page: PDFPage, fonts: Fonts, options: TicketFileOptions): number {
  const { width, height } = page.getSize();

  page.drawRectangle({ x: 0, y: height - 70, width, height: 70, color: rgb(0.13, 0.16, 0.3) });
  page.drawText('E-TICKET', {
    x: MARGIN, y: height - 44, size: 20, font: fonts.bold, color: rgb(1, 1, 1),
  });
  page.drawText('Admit one. Bring this page printed or on your phone.', {
    x: MARGIN, y: height - 60, size: 9, font: fonts.regular, color: rgb(0.85, 0.87, 0.95),
  });

  const top = height - 115;
  switch (options.layout ?? 'boxes') {
    case 'boxes':
      return drawBoxesLayout(page, fonts, options, top);
    case 'stacked':
      return drawStackedLayout(page, fonts, options, top);
    case 'inline':
      return drawInlineLayout(page, fonts, options, top);
    case 'table':
      return drawTableLayout(page, fonts, options, top);
  }
}

/** Draws the event name in large bold type; returns the y coordinate below it. */
function drawEventName(page: PDFPage, fonts: Fonts, options: TicketFileOptions, top: number,
  size: number): number {
  let y = top;
  for (const line of wrapText(encodableText(fonts.bold, options.eventName), fonts.bold, size,
    page.getSize().width - 2 * MARGIN)) {
    page.drawText(line, { x: MARGIN, y, size, font: fonts.bold });
    y -= size * 1.28;
  }

  return y;
}

function drawLine(page: PDFPage, font: PDFFont, text: string, x: number, y: number,
  size: number) {
  page.drawText(encodableText(font, text), { x, y, size, font });
}

function drawBoxesLayout(page: PDFPage, fonts: Fonts, options: TicketFileOptions,
  top: number): number {
  const width = page.getSize().width;
  let y = drawEventName(page, fonts, options, top, 22);
  drawLine(page, fonts.regular, formatStart(options), MARGIN, y, 13);
  y -= 18;
  drawLine(page, fonts.regular, options.venue, MARGIN, y, 13);
  y -= 30;

  const seatFields: Array<[string, string]> = [
    ['SECTION', options.section],
    ['ROW', options.row],
    ['SEAT', options.seat],
    ['PRICE', formatMoney(options.faceValue, options.currency ?? 'EUR')],
  ];
  const boxWidth = (width - 2 * MARGIN) / seatFields.length;
  seatFields.forEach(([label, value], index) => {
    const x = MARGIN + index * boxWidth;
    page.drawRectangle({
      x, y: y - 46, width: boxWidth - 8, height: 50,
      borderColor: grayscale(0.6), borderWidth: 1,
    });
    page.drawText(label, { x: x + 8, y: y - 10, size: 8, font: fonts.regular,
      color: grayscale(0.4) });
    // A long value is printed smaller so that it stays inside its box.
    const text = encodableText(fonts.bold, value);
    const size = Math.min(16, (16 * (boxWidth - 24)) / fonts.bold.widthOfTextAtSize(text, 16));
    page.drawText(text, { x: x + 8, y: y - 34, size, font: fonts.bold });
  });

  return y - 60;
}

function drawStackedLayout(page: PDFPage, fonts: Fonts, options: TicketFileOptions,
  top: number): number {
  let y = drawEventName(page, fonts, options, top, 20) - 4;
  const rows: Array<[string, string]> = [
    ['Date:', formatStart(options)],
    ['Venue:', options.venue],
    ['Section:', options.section],
    ['Row:', options.row],
    ['Seat(s):', options.seat],
    ['Face value:', formatMoneyWithCode(options.faceValue, options.currency ?? 'EUR')],
  ];
  for (const [label, value] of rows) {
    drawLine(page, fonts.regular, `${label} ${value}`, MARGIN, y, 12);
    y -= 17;
  }

  return y - 14;
}

function drawInlineLayout(page: PDFPage, fonts: Fonts, options: TicketFileOptions,
  top: number): number {
  let y = drawEventName(page, fonts, options, top, 24);
  drawLine(page, fonts.regular, options.venue, MARGIN, y, 12);
  y -= 17;
  drawLine(page, fonts.regular, formatStart(options), MARGIN, y, 12);
  y -= 28;
  drawLine(page, fonts.bold, `SEC ${options.section}    ROW ${options.row}    ` +
    `SEAT ${options.seat}`, MARGIN, y, 14);
  y -= 22;
  drawLine(page, fonts.regular, `Price ${formatMoneyUs(options.faceValue,
    options.currency ?? 'EUR')}`, MARGIN, y, 12);

  return y - 30;
}

function drawTableLayout(page: PDFPage, fonts: Fonts, options: TicketFileOptions,
  top: number): number {
  const rows: Array<[string, string]> = [
    ['EVENT', options.eventName],
    ['DATE', formatStart(options)],
    ['VENUE', options.venue],
    ['SECT', options.section],
    ['ROW', options.row],
    ['SEATS', options.seat],
    ['TICKET PRICE', formatMoneyContinental(options.faceValue, options.currency ?? 'EUR')],
  ];
  let y = top;
  for (const [label, value] of rows) {
    page.drawText(label, { x: MARGIN, y, size: 10, font: fonts.bold, color: grayscale(0.3) });
    drawLine(page, fonts.regular, value, MARGIN + 120, y, 12);
    y -= 20;
  }

  return y - 12;
}

/** Draws the barcode centred under `top`; returns the y coordinate of its bottom edge. */
async function drawBarcode(
  document: PDFDocument,
  page: PDFPage,
  options: TicketFileOptions,
  top: number,
): Promise<number> {
  const box = barcodeBox(options.format);
  const x = (page.getSize().width - box.width) / 2;

  if (options.barcodeDrawing === 'vectors') {
    return drawBarcodeAsRectangles(page, options, x, top, box.width);
  }

  const png = await bwipjs.toBuffer({ ...bwipOptions(options), scale: 4 });
  const image = await document.embedPng(png);
  const height = box.width * (image.height / image.width);
  page.drawImage(image, { x, y: top - height, width: box.width, height });

  return top - height;
}

// The barcode is rendered at one pixel per module, and each horizontal run of dark pixels
// becomes one rectangle. Runs repeated on the rows below merge into taller rectangles.
async function drawBarcodeAsRectangles(
  page: PDFPage,
  options: TicketFileOptions,
  x: number,
  top: number,
  width: number,
): Promise<number> {
  const png = await bwipjs.toBuffer({ ...bwipOptions(options), scale: 1 });
  const { data, info } = await sharp(png)
    .flatten({ background: '#ffffff' })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const module = width / info.width;

  for (const run of darkRuns(data, info.width, info.height)) {
    page.drawRectangle({
      x: x + run.x * module,
      y: top - (run.y + run.height) * module,
      width: run.width * module,
      height: run.height * module,
      color: rgb(0, 0, 0),
    });
  }

  return top - info.height * module;
}

interface Run {
  x: number;
  y: number;
  width: number;
  height: number;
}

function darkRuns(grey: Uint8Array, width: number, height: number): Run[] {
  const finished: Run[] = [];
  let open = new Map<string, Run>();

  for (let y = 0; y < height; y++) {
    const next = new Map<string, Run>();
    let x = 0;
    while (x < width) {
      if ((grey[y * width + x] ?? 255) >= 128) {
        x++;
        continue;
      }
      const start = x;
      while (x < width && (grey[y * width + x] ?? 255) < 128) {
        x++;
      }
      const key = `${start}:${x}`;
      const run = open.get(key);
      if (run) {
        run.height++;
        open.delete(key);
        next.set(key, run);
      } else {
        next.set(key, { x: start, y, width: x - start, height: 1 });
      }
    }
    finished.push(...open.values());
    open = next;
  }
  finished.push(...open.values());

  return finished;
}

function bwipOptions(options: TicketFileOptions) {
  switch (options.format) {
    case 'pdf417':
      return { bcid: 'pdf417', text: options.barcodeText, columns: 6, eclevel: 4 };
    case 'qrcode':
      return { bcid: 'qrcode', text: options.barcodeText, eclevel: 'M' };
    case 'azteccode':
      return { bcid: 'azteccode', text: options.barcodeText, eclevel: 33 };
    case 'datamatrix':
      return { bcid: 'datamatrix', text: options.barcodeText };
    case 'code128':
      return { bcid: 'code128', text: options.barcodeText, height: 14 };
  }
}

// Printed widths in points: 300 pt (10.6 cm) for the wide symbols, 160 pt (5.6 cm) for the
// square ones.
function barcodeBox(format: TicketBarcodeEncoder): { width: number } {
  switch (format) {
    case 'pdf417':
    case 'code128':
      return { width: 300 };
    default:
      return { width: 160 };
  }
}

function drawCentered(page: PDFPage, text: string, font: PDFFont, size: number, y: number) {
  const x = (page.getSize().width - font.widthOfTextAtSize(text, size)) / 2;
  page.drawText(text, { x, y, size, font });
}

function drawTerms(page: PDFPage, font: PDFFont, top: number) {
  const { width } = page.getSize();
  page.drawLine({
    start: { x: MARGIN, y: top + 20 },
    end: { x: width - MARGIN, y: top + 20 },
    thickness: 0.8,
    color: grayscale(0.6),
    dashArray: [4, 3],
  });

  const terms = 'This ticket admits one person. The barcode is checked at the entrance and ' +
    'only its first scan is accepted, so do not share copies of this page. The organiser ' +
    'may refuse entry to holders of tickets bought from unauthorised sellers. Doors open ' +
    'one hour before the start time.';
  let y = top;
  for (const line of wrapText(terms, font, 8, width - 2 * MARGIN)) {
    page.drawText(line, { x: MARGIN, y, size: 8, font, color: grayscale(0.35) });
    y -= 11;
  }
}

function wrapText(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && font.widthOfTextAtSize(candidate, size) > maxWidth) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) {
    lines.push(line);
  }

  return lines;
}

// The standard PDF fonts only cover WinAnsi; anything else would make pdf-lib throw.
function encodableText(font: PDFFont, text: string): string {
  const supported = new Set(font.getCharacterSet());

  return Array.from(text.replace(/[\u00a0\u202f\u2009]/g, ' '))
    .map((char) => (supported.has(char.codePointAt(0) ?? 0) ? char : '?'))
    .join('');
}

function formatStart(options: TicketFileOptions): string {
  const timeZone = options.timeZone ?? 'UTC';
  switch (options.dateStyle ?? 'en-GB') {
    case 'en-GB':
      return new Intl.DateTimeFormat('en-GB', {
        weekday: 'short', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit',
        minute: '2-digit', timeZone, timeZoneName: 'short',
      }).format(options.startsAt);
    case 'en-US':
      return new Intl.DateTimeFormat('en-US', {
        weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric',
        minute: '2-digit', timeZone, timeZoneName: 'short',
      }).format(options.startsAt);
    case 'iso': {
      // sv-SE formats as "2026-02-07 09:00"; longOffset gives "GMT-06:00".
      const local = new Intl.DateTimeFormat('sv-SE', {
        year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
        timeZone,
      }).format(options.startsAt);
      const offset = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
        .formatToParts(options.startsAt)
        .find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';

      return `${local} (${offset === 'GMT' ? 'UTC+00:00' : offset.replace('GMT', 'UTC')})`;
    }
  }
}

function majorUnits(minorUnits: number, currency: string): number {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency })
    .resolvedOptions().maximumFractionDigits ?? 2;

  return minorUnits / 10 ** digits;
}

function formatMoney(minorUnits: number, currency: string): string {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency })
    .format(majorUnits(minorUnits, currency));
}

/** "USD 89.50" */
function formatMoneyWithCode(minorUnits: number, currency: string): string {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency, currencyDisplay: 'code' })
    .format(majorUnits(minorUnits, currency)).replace(/\s+/g, ' ');
}

/** "$89.50", "€89.50" */
function formatMoneyUs(minorUnits: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency })
    .format(majorUnits(minorUnits, currency));
}

/** "89,50 €" */
function formatMoneyContinental(minorUnits: number, currency: string): string {
  return new Intl.NumberFormat('de-DE', { style: 'currency', currency })
    .format(majorUnits(minorUnits, currency));
}

// Shading multiplies each pixel by a linear fall-off. Noise adds Gaussian values from a
// seeded generator (Box-Muller over mulberry32), so every run gives the same image.
function addShadingAndNoise(
  pixels: Buffer,
  width: number,
  height: number,
  channels: number,
  options: TicketPhotoOptions,
) {
  const shading = options.shading ?? 0;
  const sigma = options.noise ?? 0;
  if (shading === 0 && sigma === 0) {
    return;
  }

  const random = mulberry32(options.seed ?? 1);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const light = 1 - shading * ((x / width + y / height) / 2);
      const noise = sigma === 0 ? 0 : sigma * gaussian(random);
      const offset = (y * width + x) * channels;
      for (let channel = 0; channel < Math.min(channels, 3); channel++) {
        const value = (pixels[offset + channel] ?? 0) * light + noise;
        pixels[offset + channel] = Math.max(0, Math.min(255, Math.round(value)));
      }
    }
  }
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), Number.EPSILON);

  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
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
