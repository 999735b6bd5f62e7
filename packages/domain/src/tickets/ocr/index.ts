import type { Logger } from 'pino';

import { DomainError } from '../../errors.ts';
import { sniffFileType } from '../file-type.ts';
import { extractTicketFields } from './extract.ts';
import { normalizeImage } from './images.ts';
import { createLocalOcrEngine } from './local-engine.ts';
import { letterCount, MIN_TEXT_LAYER_LETTERS, readPdfText } from './pdf-text.ts';
import type { OcrEngine, OcrPage, OcrResult } from './types.ts';

export { extractTicketFields } from './extract.ts';
export { createLocalOcrEngine, LOCAL_PROVIDER } from './local-engine.ts';
export { matchEvent, type EventMatch } from './match-event.ts';
export {
  createTextractOcrEngine,
  TEXTRACT_PROVIDER,
  type S3DocumentLocation,
  type TextractOcrOptions,
} from './textract-engine.ts';
export type * from './types.ts';

/** Provider name for text taken from a PDF's text layer. */
export const PDF_TEXT_PROVIDER = 'pdf-text';
// Pages after this many are not read, as in barcode decoding.
const MAX_PAGES = 5;

let sharedLocalEngine: OcrEngine | undefined;

/** Returns the process-wide local engine, started on first use. */
export function defaultOcrEngine(): OcrEngine {
  sharedLocalEngine ??= createLocalOcrEngine();

  return sharedLocalEngine;
}

/**
 * Reads the printed text of a ticket file and the fields in it. A PDF's text layer is used
 * where a page has one; scanned pages, photos and screenshots go to the OCR engine (the
 * shared local engine when none is given). The type is detected from the bytes, and
 * `mimeType` (as declared by the upload) only appears in the error for unsupported content.
 *
 * `provider` is `pdf-text`, the engine's provider, or both joined by `+` for a PDF with
 * digital and scanned pages. Throws DomainError UNSUPPORTED_FILE_TYPE, UNREADABLE_FILE or
 * PDF_ENCRYPTED; OCR engine errors propagate (the Textract engine falls back to the local
 * engine by itself).
 */
export async function readTicketText(
  bytes: Uint8Array,
  mimeType: string,
  options: { engine?: OcrEngine; logger?: Logger } = {},
): Promise<OcrResult> {
  const started = performance.now();
  const engine = options.engine ?? defaultOcrEngine();
  const fileType = sniffFileType(bytes);
  if (!fileType) {
    throw new DomainError(
      'UNSUPPORTED_FILE_TYPE',
      `This file is not a PDF, PNG, JPEG or WebP image (declared type: ` +
        `${mimeType.slice(0, 100) || 'none'}). Upload the ticket as one of those.`,
    );
  }

  const { provider, pages } = fileType === 'application/pdf'
    ? await readPdf(bytes, engine, options.logger)
    : await readImage(bytes, fileType, engine, options.logger);
  const fields = extractTicketFields(pages);
  const text = pages
    .map((page) => page.lines.map((line) => line.text).join('\n'))
    .join('\n\n');
  options.logger?.info({
    provider,
    pages: pages.length,
    fieldsFound: Object.keys(fields),
    durationMs: Math.round(performance.now() - started),
  }, 'ticket text read');

  return { provider, text, fields };
}

async function readPdf(
  bytes: Uint8Array,
  engine: OcrEngine,
  logger: Logger | undefined,
): Promise<{ provider: string; pages: OcrPage[] }> {
  const pdf = await readPdfText(bytes, MAX_PAGES).catch((error: unknown) => {
    const name = error instanceof Error ? error.name : '';
    if (name === 'PasswordException') {
      throw new DomainError('PDF_ENCRYPTED',
        'This PDF is protected by a password. Upload a copy without the password.');
    }
    throw new DomainError('UNREADABLE_FILE', 'This PDF could not be read. Upload the ticket ' +
      'again, or a screenshot of it.', { cause: String(error) });
  });

  const scanned = pdf.pages
    .filter((page) => letterCount(page) < MIN_TEXT_LAYER_LETTERS)
    .map((page) => page.pageNumber);
  if (scanned.length === 0) {
    return { provider: PDF_TEXT_PROVIDER, pages: pdf.pages };
  }

  logger?.debug({ pages: scanned }, 'PDF pages without a text layer go to OCR');
  const recognized = await engine.recognize(
    { kind: 'pdf', bytes, pageCount: pdf.pageCount, pageNumbers: scanned },
    { logger },
  );
  const byNumber = new Map(recognized.pages.map((page) => [page.pageNumber, page]));
  const pages = pdf.pages.map((page) => byNumber.get(page.pageNumber) ?? page);
  const provider = scanned.length === pdf.pages.length
    ? recognized.provider
    : `${PDF_TEXT_PROVIDER}+${recognized.provider}`;

  return { provider, pages };
}

async function readImage(
  bytes: Uint8Array,
  fileType: string,
  engine: OcrEngine,
  logger: Logger | undefined,
): Promise<{ provider: string; pages: OcrPage[] }> {
  const image = await normalizeImage(bytes).catch((error: unknown) => {
    throw new DomainError('UNREADABLE_FILE',
      `This ${fileType} image could not be decoded. Upload the ticket again.`,
      { cause: String(error) });
  });

  return engine.recognize({ kind: 'images', images: [{ png: image.png, pageNumber: 1 }] },
    { logger });
}
