// Checks an uploaded ticket file before anything is stored, and strips photo metadata.
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';

import { DomainError } from '../errors.ts';
import { sniffFileType, type TicketFileType } from './file-type.ts';

/** A PDF with more pages than this is rejected; e-tickets run to a few pages per order. */
export const MAX_PDF_PAGES = 20;

/**
 * Largest width × height an uploaded image may declare. sharp reads it from the header and
 * rejects the file before decoding any pixels, so a small file cannot expand into gigabytes.
 * 100 MP is above the resolution of current phone cameras.
 */
export const MAX_IMAGE_PIXELS = 100_000_000;

// Quality of the re-encoded JPEG; high enough that barcode module edges stay sharp.
const JPEG_QUALITY = 92;

export interface PreparedTicketFile {
  mimeType: TicketFileType;
  /** The bytes to store: PDFs as uploaded, images re-encoded without EXIF, GPS or XMP. */
  bytes: Uint8Array;
}

/**
 * Rejects files that cannot hold a ticket or would be costly to read: empty, too large, not a
 * PDF or image by content, encrypted or very long PDFs, decompression bombs and corrupt images.
 * Throws a DomainError with a specific code for each case.
 */
export async function prepareTicketFile(
  bytes: Uint8Array,
  maxBytes: number,
): Promise<PreparedTicketFile> {
  checkSize(bytes, maxBytes);

  const mimeType = sniffFileType(bytes);
  if (!mimeType) {
    throw new DomainError(
      'UNSUPPORTED_FILE_TYPE',
      'This file is not a PDF, PNG, JPEG or WebP image. Upload the ticket as one of those.',
    );
  }
  if (mimeType === 'application/pdf') {
    await checkPdf(bytes);

    return { mimeType, bytes };
  }

  return { mimeType, bytes: await stripImageMetadata(bytes, mimeType) };
}

function checkSize(bytes: Uint8Array, maxBytes: number): void {
  if (bytes.byteLength === 0) {
    throw new DomainError('EMPTY_FILE', 'The file is empty. Choose the ticket file again.');
  }
  if (bytes.byteLength > maxBytes) {
    const limitMb = (maxBytes / (1024 * 1024)).toFixed(0);
    throw new DomainError(
      'FILE_TOO_LARGE',
      `The file is larger than the ${limitMb} MB limit. Upload a smaller scan or the original PDF.`,
    );
  }
}

async function checkPdf(bytes: Uint8Array): Promise<void> {
  let document: PDFDocument;
  try {
    // ignoreEncryption lets pdf-lib open the file far enough to report that it is encrypted.
    document = await PDFDocument.load(bytes, {
      ignoreEncryption: true,
      updateMetadata: false,
      throwOnInvalidObject: true,
    });
  } catch {
    throw unreadable('The PDF could not be opened; it may be damaged or cut short.');
  }

  if (document.isEncrypted) {
    throw new DomainError(
      'PDF_ENCRYPTED',
      'The PDF is encrypted or password-protected. Upload a copy without a password.',
    );
  }
  const pages = document.getPageCount();
  if (pages === 0) {
    throw unreadable('The PDF has no pages. Upload the e-ticket as the seller sent it.');
  }
  if (pages > MAX_PDF_PAGES) {
    throw new DomainError(
      'PDF_TOO_MANY_PAGES',
      `The PDF has ${pages} pages; at most ${MAX_PDF_PAGES} are accepted. ` +
        'Upload only the pages of this ticket.',
      { pages },
    );
  }
}

/**
 * Re-encodes an image in its own format, which drops EXIF (camera, GPS), XMP and ICC data.
 * The EXIF orientation is applied to the pixels first so the photo stays upright without it.
 */
async function stripImageMetadata(bytes: Uint8Array, mimeType: TicketFileType): Promise<Uint8Array> {
  try {
    const image = sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' }).rotate();
    const encoded = mimeType === 'image/png'
      ? image.png()
      : mimeType === 'image/webp'
        ? image.webp({ quality: JPEG_QUALITY })
        : image.jpeg({ quality: JPEG_QUALITY });

    return new Uint8Array(await encoded.toBuffer());
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (/pixel limit/i.test(reason)) {
      throw new DomainError(
        'IMAGE_TOO_LARGE',
        `The image has more than ${MAX_IMAGE_PIXELS / 1_000_000} million pixels. ` +
          'Upload a smaller photo or screenshot of the ticket.',
      );
    }
    throw unreadable('The image could not be decoded; it may be damaged or cut short.');
  }
}

function unreadable(message: string): DomainError {
  return new DomainError('UNREADABLE_FILE', message);
}
