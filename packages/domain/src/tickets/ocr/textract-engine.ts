import { setTimeout as sleep } from 'node:timers/promises';

import {
  DetectDocumentTextCommand,
  GetDocumentTextDetectionCommand,
  StartDocumentTextDetectionCommand,
  TextractClient,
  type Block,
} from '@aws-sdk/client-textract';
import type { Logger } from 'pino';
import sharp from 'sharp';

import { renderPdfPagesToPng } from './images.ts';
import { createLocalOcrEngine } from './local-engine.ts';
import { toLine } from './pdf-text.ts';
import type { OcrEngine, OcrInput, OcrLine, OcrOutput, OcrPage, OcrWord, TextBox } from './types.ts';

export const TEXTRACT_PROVIDER = 'textract';

/** Where a multi-page PDF was stored for Textract's asynchronous API to read. */
export interface S3DocumentLocation {
  bucket: string;
  key: string;
}

export interface TextractOcrOptions {
  region: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Endpoint URL instead of the regional one (a VPC endpoint, or a mock in tests). */
  endpoint?: string;
  /**
   * Stores a multi-page PDF in S3 and returns its location. Textract's asynchronous API reads
   * documents only from S3; without this, each page is rendered and sent on its own.
   */
  uploadDocument?: (bytes: Uint8Array) => Promise<S3DocumentLocation>;
  /** Engine used when Textract fails; defaults to the local tesseract engine. */
  fallback?: OcrEngine;
  logger?: Logger;
  /** Retries of throttled calls; defaults to 5 attempts from 500 ms, doubling up to 8 s. */
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** Polling of an asynchronous job; defaults to 1 s growing to 5 s, for at most 5 minutes. */
  polling?: { initialDelayMs?: number; maxDelayMs?: number; timeoutMs?: number };
}

// Textract's synchronous API takes at most 10 MB of document bytes.
const MAX_SYNC_BYTES = 10 * 1024 * 1024;
const THROTTLING_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  // Returned when too many asynchronous jobs run at once; it clears as jobs finish.
  'LimitExceededException',
]);

/**
 * Creates an OCR engine over AWS Textract: DetectDocumentText for images and one-page PDFs,
 * StartDocumentTextDetection and GetDocumentTextDetection for longer PDFs. Throttled calls
 * are retried with exponential backoff. Any other failure, or throttling that outlasts the
 * retries, is logged and the input goes to the fallback engine, so a caller gets text
 * whenever the local engine can read it.
 */
export function createTextractOcrEngine(options: TextractOcrOptions): OcrEngine {
  // The SDK's own retries are off so that each retry is this module's, logged and bounded.
  const client = new TextractClient({
    region: options.region,
    maxAttempts: 1,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  });
  let fallback = options.fallback;

  return {
    provider: TEXTRACT_PROVIDER,
    async recognize(input, callOptions = {}): Promise<OcrOutput> {
      const logger = callOptions.logger ?? options.logger;
      try {
        const pages = await recognizeWithTextract(client, input, options, logger);

        return { provider: TEXTRACT_PROVIDER, pages };
      } catch (error) {
        logger?.warn({ err: error, input: input.kind }, 'Textract failed; using the local OCR engine');
        fallback ??= createLocalOcrEngine({ logger });

        return fallback.recognize(input, callOptions);
      }
    },
    async close() {
      client.destroy();
      await fallback?.close();
    },
  };
}

async function recognizeWithTextract(
  client: TextractClient,
  input: OcrInput,
  options: TextractOcrOptions,
  logger: Logger | undefined,
): Promise<OcrPage[]> {
  if (input.kind === 'images') {
    const pages: OcrPage[] = [];
    for (const image of input.images) {
      const blocks = await detectText(client, await fitSyncLimit(image.png), options, logger);
      pages.push({ pageNumber: image.pageNumber, lines: linesOfPage(blocks, 1) });
    }

    return pages;
  }

  if (input.pageCount === 1 && input.bytes.length <= MAX_SYNC_BYTES) {
    const blocks = await detectText(client, input.bytes, options, logger);

    return [{ pageNumber: 1, lines: linesOfPage(blocks, 1) }];
  }

  if (options.uploadDocument) {
    const location = await options.uploadDocument(input.bytes);
    const blocks = await runTextDetectionJob(client, location, options, logger);

    return input.pageNumbers.map((pageNumber) => ({
      pageNumber,
      lines: linesOfPage(blocks, pageNumber),
    }));
  }

  // No S3 location: each page becomes an image for the synchronous API.
  const pages: OcrPage[] = [];
  for (const image of await renderPdfPagesToPng(input.bytes, input.pageNumbers)) {
    const blocks = await detectText(client, await fitSyncLimit(image.png), options, logger);
    pages.push({ pageNumber: image.pageNumber, lines: linesOfPage(blocks, 1) });
  }

  return pages;
}

async function detectText(
  client: TextractClient,
  bytes: Uint8Array,
  options: TextractOcrOptions,
  logger: Logger | undefined,
): Promise<Block[]> {
  const response = await withThrottlingRetry(
    () => client.send(new DetectDocumentTextCommand({ Document: { Bytes: bytes } })),
    options,
    logger,
  );

  return response.Blocks ?? [];
}

async function runTextDetectionJob(
  client: TextractClient,
  location: S3DocumentLocation,
  options: TextractOcrOptions,
  logger: Logger | undefined,
): Promise<Block[]> {
  const started = await withThrottlingRetry(
    () => client.send(new StartDocumentTextDetectionCommand({
      DocumentLocation: { S3Object: { Bucket: location.bucket, Name: location.key } },
    })),
    options,
    logger,
  );
  const jobId = started.JobId;
  if (!jobId) {
    throw new Error('Textract StartDocumentTextDetection returned no JobId');
  }
  logger?.info({ jobId }, 'Textract text detection job started');

  const initialDelay = options.polling?.initialDelayMs ?? 1000;
  const maxDelay = options.polling?.maxDelayMs ?? 5000;
  const deadline = Date.now() + (options.polling?.timeoutMs ?? 300_000);
  const blocks: Block[] = [];
  let delay = initialDelay;
  let nextToken: string | undefined;

  for (;;) {
    const response = await withThrottlingRetry(
      () => client.send(new GetDocumentTextDetectionCommand({ JobId: jobId, NextToken: nextToken })),
      options,
      logger,
    );

    if (response.JobStatus === 'IN_PROGRESS') {
      if (Date.now() + delay > deadline) {
        throw new Error(`Textract job ${jobId} did not finish in time`);
      }
      await sleep(delay);
      delay = Math.min(maxDelay, delay * 1.5);
      continue;
    }
    if (response.JobStatus === 'FAILED') {
      throw new Error(`Textract job ${jobId} failed: ${response.StatusMessage ?? 'no message'}`);
    }
    if (response.JobStatus === 'PARTIAL_SUCCESS') {
      logger?.warn({ jobId, message: response.StatusMessage }, 'Textract read only some pages');
    }

    blocks.push(...(response.Blocks ?? []));
    nextToken = response.NextToken;
    if (!nextToken) {
      return blocks;
    }
  }
}

async function withThrottlingRetry<T>(
  call: () => Promise<T>,
  options: TextractOcrOptions,
  logger: Logger | undefined,
): Promise<T> {
  const maxAttempts = options.retry?.maxAttempts ?? 5;
  const baseDelay = options.retry?.baseDelayMs ?? 500;
  const maxDelay = options.retry?.maxDelayMs ?? 8000;

  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (!THROTTLING_ERRORS.has(name) || attempt >= maxAttempts) {
        throw error;
      }
      // Full jitter spreads the retries of parallel jobs that were throttled together.
      const delay = Math.random() * Math.min(maxDelay, baseDelay * 2 ** (attempt - 1));
      logger?.info({ error: name, attempt, delayMs: Math.round(delay) }, 'Textract throttled; retrying');
      await sleep(delay);
    }
  }
}

// Large noisy photos can exceed the synchronous limit as PNG; JPEG at quality 90 loses no
// legible detail and is several times smaller.
async function fitSyncLimit(png: Uint8Array): Promise<Uint8Array> {
  if (png.length <= MAX_SYNC_BYTES) {
    return png;
  }

  return new Uint8Array(await sharp(png).jpeg({ quality: 90 }).toBuffer());
}

/** Builds the lines of one page from Textract's LINE blocks and their child WORD blocks. */
export function linesOfPage(blocks: Block[], pageNumber: number): OcrLine[] {
  const byId = new Map(blocks.flatMap((block) => (block.Id ? [[block.Id, block] as const] : [])));
  const lines: OcrLine[] = [];

  for (const block of blocks) {
    if (block.BlockType !== 'LINE' || (block.Page ?? 1) !== pageNumber || !block.Text) {
      continue;
    }
    const childIds = (block.Relationships ?? [])
      .filter((relation) => relation.Type === 'CHILD')
      .flatMap((relation) => relation.Ids ?? []);
    const words: OcrWord[] = childIds
      .map((id) => byId.get(id))
      .filter((child): child is Block => child?.BlockType === 'WORD' && Boolean(child.Text))
      .map((child) => ({
        text: child.Text ?? '',
        confidence: (child.Confidence ?? 0) / 100,
        box: boxOf(child),
      }));

    lines.push(words.length > 0
      ? { ...toLine(words), text: block.Text, confidence: (block.Confidence ?? 0) / 100 }
      : {
        text: block.Text,
        confidence: (block.Confidence ?? 0) / 100,
        box: boxOf(block),
        words: [{ text: block.Text, confidence: (block.Confidence ?? 0) / 100, box: boxOf(block) }],
      });
  }

  return lines;
}

function boxOf(block: Block): TextBox {
  const box = block.Geometry?.BoundingBox;

  return {
    left: box?.Left ?? 0,
    top: box?.Top ?? 0,
    width: box?.Width ?? 0,
    height: box?.Height ?? 0,
  };
}
