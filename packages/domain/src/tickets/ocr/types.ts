import type { Logger } from 'pino';

/** Fields read from a ticket's printed text. */
export type TicketFieldName =
  | 'eventName'
  | 'startsAt'
  | 'venue'
  | 'section'
  | 'row'
  | 'seat'
  | 'faceValueMinor'
  | 'currency';

/** A field value with its confidence between 0 (guess) and 1 (certain). */
export interface FieldReading {
  value: string | number;
  confidence: number;
}

/**
 * Values read from the ticket; a field that was not found is absent.
 *
 * - `startsAt` is an ISO 8601 string: a UTC instant (`2026-02-07T15:00:00.000Z`) when the
 *   ticket printed a time zone, otherwise the local date and time as printed without an offset
 *   (`2026-02-07T09:00`), or only the date (`2026-02-07`) when no time was found.
 * - `faceValueMinor` is a number in minor units of `currency` (cents for USD and EUR).
 * - `currency` is an ISO 4217 code.
 */
export type TicketFields = Partial<Record<TicketFieldName, FieldReading>>;

export interface OcrResult {
  /** Engine that produced the text: `pdf-text`, `tesseract` or `textract`. */
  provider: string;
  text: string;
  fields: TicketFields;
}

/** Box in fractions of the page's width and height, from the top-left corner (as Textract). */
export interface TextBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface OcrWord {
  text: string;
  /** Between 0 and 1. */
  confidence: number;
  box: TextBox;
}

export interface OcrLine {
  text: string;
  /** Between 0 and 1. */
  confidence: number;
  box: TextBox;
  words: OcrWord[];
}

export interface OcrPage {
  /** 1-based page number; 1 for an image. */
  pageNumber: number;
  lines: OcrLine[];
}

/** Input to an OCR engine: page images, or PDF pages the engine renders or sends itself. */
export type OcrInput =
  | { kind: 'images'; images: Array<{ png: Uint8Array; pageNumber: number }> }
  | {
      kind: 'pdf';
      bytes: Uint8Array;
      /** Number of pages in the whole document. */
      pageCount: number;
      /** 1-based pages to recognise: the ones without a text layer. */
      pageNumbers: number[];
    };

export interface OcrOutput {
  /** Engine that produced the pages; a fallback engine reports its own name. */
  provider: string;
  pages: OcrPage[];
}

/** A text recognition service: tesseract.js on this machine, or AWS Textract. */
export interface OcrEngine {
  readonly provider: string;
  recognize(input: OcrInput, options?: { logger?: Logger }): Promise<OcrOutput>;
  /** Releases workers; the engine starts them again if used afterwards. */
  close(): Promise<void>;
}
