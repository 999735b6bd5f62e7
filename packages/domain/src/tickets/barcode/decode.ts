import sharp from 'sharp';
import type { ReaderOptions, ReadResult } from 'zxing-wasm/reader';

import { sniffFileType, type TicketFileType } from '../file-type.ts';
import { PdfReadError, renderPdfPages } from './render-pdf.ts';
import { readRgba, type RgbaImage } from './zxing.ts';

/** Barcode symbologies found on event, travel and venue tickets. */
export const TICKET_BARCODE_FORMATS = [
  'PDF417',
  'QRCode',
  'Aztec',
  'DataMatrix',
  'Code128',
  'Code39',
  'Code93',
  'Codabar',
  'ITF',
] as const;

export type BarcodeFormat = (typeof TICKET_BARCODE_FORMATS)[number];

export interface DecodedBarcode {
  /** Symbology; variants such as Micro QR or compact PDF417 report their family. */
  format: BarcodeFormat;
  /** Content as text, decoded in the character set the symbol declares or zxing-cpp guesses. */
  text: string;
  /** Raw content, for binary payloads such as UIC 918-3 rail tickets. */
  bytes: Uint8Array;
  /** 1-based page number for PDF input; absent for images. */
  page?: number;
}

export type BarcodeDecodeErrorCode = 'UNSUPPORTED_FILE_TYPE' | 'UNREADABLE_FILE';

/** Raised when a file cannot be searched for barcodes at all (not when it has none). */
export class BarcodeDecodeError extends Error {
  override readonly name = 'BarcodeDecodeError';

  constructor(
    readonly code: BarcodeDecodeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface DecodeOptions {
  /** PDF pages after this many are not searched; defaults to 5. */
  maxPdfPages?: number;
  /** Resolution PDF pages are rendered at, in dots per inch; defaults to 300. */
  pdfDpi?: number;
}

// 300 dpi A4 is 8.7 MP; bigger pages (A3, posters) are rendered at a lower resolution instead.
const MAX_PDF_PAGE_PIXELS = 10_000_000;
// Photos are shrunk to this long side before decoding, which keeps a 48 MP phone photo fast
// while the modules of a ticket barcode stay several pixels wide.
const MAX_IMAGE_SIDE = 4096;
// sharp refuses images that declare more pixels than this before decoding them, which stops
// decompression bombs; 100 MP is above current phone cameras.
const MAX_IMAGE_PIXELS = 100_000_000;

const BASE_READER_OPTIONS: ReaderOptions = {
  formats: [...TICKET_BARCODE_FORMATS],
  tryHarder: true,
  // zxing-cpp retries each image at 90, 180 and 270 degrees, inverted, and downscaled.
  tryRotate: true,
  tryInvert: true,
  tryDownscale: true,
  textMode: 'Plain',
};

/**
 * Finds and decodes the barcodes in a ticket file. The type is detected from the bytes, and
 * `declaredType` (the upload's Content-Type) is only quoted in the error for unsupported
 * content, because browsers and phones often send a wrong or generic type.
 *
 * Returns an empty list when the file is readable but contains no barcode. Throws a
 * BarcodeDecodeError when the content is not a PDF, PNG, JPEG or WebP, or cannot be parsed.
 *
 * NOTE: the wasm decoder and pdf.js rendering block the calling thread (0.3 to 0.8 s per
 * PDF page, up to 2 s for a large photo on one core in the tests), so a server should call
 * this from a background job, not from a request handler.
 */
export async function decodeBarcodes(
  bytes: Uint8Array,
  declaredType?: string,
  options: DecodeOptions = {},
): Promise<DecodedBarcode[]> {
  const fileType = sniffFileType(bytes);
  if (!fileType) {
    throw new BarcodeDecodeError(
      'UNSUPPORTED_FILE_TYPE',
      `The file is not a PDF, PNG, JPEG or WebP image (declared type: ` +
        `${declaredType?.slice(0, 100) ?? 'none'}, ${bytes.length} bytes); ` +
        'upload the ticket as one of those.',
    );
  }

  if (fileType === 'application/pdf') {
    return decodePdf(bytes, options);
  }

  return decodeImage(bytes, fileType);
}

async function decodeImage(bytes: Uint8Array, fileType: TicketFileType): Promise<DecodedBarcode[]> {
  const image = await loadImage(bytes, fileType);

  return decodeWithFallbacks(image, undefined, 'photo');
}

async function decodePdf(bytes: Uint8Array, options: DecodeOptions): Promise<DecodedBarcode[]> {
  const found: DecodedBarcode[] = [];
  const pages = renderPdfPages(bytes, {
    dpi: options.pdfDpi ?? 300,
    maxPages: options.maxPdfPages ?? 5,
    maxPagePixels: MAX_PDF_PAGE_PIXELS,
  });

  try {
    for await (const { pageNumber, image } of pages) {
      found.push(...(await decodeWithFallbacks(image, pageNumber, 'page')));
    }
  } catch (error) {
    if (error instanceof PdfReadError) {
      throw new BarcodeDecodeError('UNREADABLE_FILE', `The PDF could not be read: ${error.message}`,
        { cause: error });
    }
    throw error;
  }

  return found;
}

interface PassResult {
  barcodes: DecodedBarcode[];
  /** Skew angles, degrees clockwise, of PDF417 symbols that were located but not decoded. */
  pdf417Skews: number[];
}

// zxing-cpp reads PDF417 only up to a few degrees of skew (in photos of generated tickets,
// 4 degrees decoded and 8 did not), while the matrix codes read at any angle. A located but
// unreadable PDF417 symbol reports its corners, from which the skew is undone.
const PDF417_SWEEP_ANGLES = [-10, -5, 5, 10];
const PDF417_ONLY: ReaderOptions = { ...BASE_READER_OPTIONS, formats: ['PDF417'] };

// Sensor noise in dim photos breaks zxing-cpp's binarizer. A light Gaussian blur first made
// PDF417 and Code 128 photos with noise of 40 to 55 grey levels readable. zxing-cpp's own
// tryDenoise option rescued none of them (zxing-wasm 3.1.8).
const SMOOTHING_SIGMA = 1.2;

// A rendered PDF page is clean and large, so it gets one pass plus the PDF417 deskew, which
// runs only when a PDF417 symbol was located. Photos also get a sweep of PDF417 angles and a
// pass over a smoothed copy. No mirrored pass is needed: zxing-cpp 3 reads mirrored QR, Aztec,
// Data Matrix, PDF417 and Code 128 symbols by itself (the photo tests check this).
async function decodeWithFallbacks(
  image: RgbaImage,
  page: number | undefined,
  kind: 'page' | 'photo',
): Promise<DecodedBarcode[]> {
  const first = await decodePass(image, BASE_READER_OPTIONS, page);
  if (first.barcodes.length > 0) {
    return first.barcodes;
  }

  for (const skew of first.pdf417Skews) {
    const deskewed = await decodePass(await rotate(image, -skew), PDF417_ONLY, page);
    if (deskewed.barcodes.length > 0) {
      return deskewed.barcodes;
    }
  }
  if (kind === 'page') {
    return [];
  }

  for (const angle of PDF417_SWEEP_ANGLES) {
    const rotated = await decodePass(await rotate(image, angle), PDF417_ONLY, page);
    if (rotated.barcodes.length > 0) {
      return rotated.barcodes;
    }
  }

  return (await decodePass(await smooth(image), BASE_READER_OPTIONS, page)).barcodes;
}

async function decodePass(
  image: RgbaImage,
  readerOptions: ReaderOptions,
  page: number | undefined,
): Promise<PassResult> {
  // returnErrors makes zxing-cpp also report symbols it located but could not decode, whose
  // corners give the PDF417 skew; only valid results become barcodes.
  const results = await readRgba(image, { ...readerOptions, returnErrors: true });
  const barcodes: DecodedBarcode[] = [];
  const pdf417Skews: number[] = [];
  const seen = new Set<string>();

  for (const result of results) {
    const format = ticketFormat(result);
    if (!format) {
      continue;
    }
    if (!result.isValid) {
      const skew = format === 'PDF417' ? skewDegrees(result.position) : undefined;
      if (skew !== undefined && Math.abs(skew) >= 1) {
        pdf417Skews.push(skew);
      }
      continue;
    }

    const key = `${format}\u0000${result.text}`;
    if (seen.has(key)) {
      continue;
    }
    seen.add(key);
    barcodes.push({
      format,
      text: result.text,
      bytes: new Uint8Array(result.bytes),
      ...(page === undefined ? {} : { page }),
    });
  }

  return { barcodes, pdf417Skews };
}

// Corners that zxing-cpp did not find are reported as (0, 0). The top edge gives the angle
// directly; the left edge, 90 degrees from it, serves when the right corners are missing.
function skewDegrees(position: ReadResult['position']): number | undefined {
  const { topLeft, topRight, bottomLeft } = position;
  const known = (point: { x: number; y: number }) => point.x !== 0 || point.y !== 0;
  if (!known(topLeft)) {
    return undefined;
  }

  let radians: number;
  if (known(topRight)) {
    radians = Math.atan2(topRight.y - topLeft.y, topRight.x - topLeft.x);
  } else if (known(bottomLeft)) {
    radians = Math.atan2(bottomLeft.y - topLeft.y, bottomLeft.x - topLeft.x) - Math.PI / 2;
  } else {
    return undefined;
  }
  const degrees = (radians * 180) / Math.PI;

  // Beyond 45 degrees the symbol is sideways, which tryRotate already covers.
  return Math.abs(degrees) <= 45 ? degrees : undefined;
}

function ticketFormat(result: ReadResult): BarcodeFormat | undefined {
  return (TICKET_BARCODE_FORMATS as readonly string[]).includes(result.symbology)
    ? (result.symbology as BarcodeFormat)
    : undefined;
}

async function loadImage(bytes: Uint8Array, fileType: TicketFileType): Promise<RgbaImage> {
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS })
      // Applies the EXIF orientation, which phone photos rely on.
      .rotate()
      .resize({
        width: MAX_IMAGE_SIDE,
        height: MAX_IMAGE_SIDE,
        fit: 'inside',
        withoutEnlargement: true,
      })
      // Transparent pixels become white paper; many generated barcodes are black on transparent.
      .flatten({ background: '#ffffff' })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });

    return { data, width: info.width, height: info.height };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new BarcodeDecodeError('UNREADABLE_FILE',
      `The ${fileType} image could not be decoded: ${reason}`, { cause: error });
  }
}

/** Rotates by `degrees` clockwise around the centre, filling the corners with white. */
async function rotate(image: RgbaImage, degrees: number): Promise<RgbaImage> {
  const { data, info } = await sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: 4 },
  })
    .rotate(degrees, { background: '#ffffff' })
    .raw()
    .toBuffer({ resolveWithObject: true });

  return { data, width: info.width, height: info.height };
}

async function smooth(image: RgbaImage): Promise<RgbaImage> {
  const { data, info } = await sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: 4 },
  })
    .blur(SMOOTHING_SIGMA)
    .raw()
    .toBuffer({ resolveWithObject: true });

  return { data, width: info.width, height: info.height };
}
