import { createRequire } from 'node:module';
import path from 'node:path';

import type { Logger } from 'pino';
import sharp from 'sharp';
import { createWorker, type Worker } from 'tesseract.js';

import { renderPdfPagesToPng, rotateQuarterTurns, OCR_DPI, type PngImage } from './images.ts';
import { toLine } from './pdf-text.ts';
import type { OcrEngine, OcrInput, OcrLine, OcrOutput, OcrPage, OcrWord } from './types.ts';

export const LOCAL_PROVIDER = 'tesseract';

// A page counts as read the right way up when it has this many words of three or more
// letters recognised with a confidence of 0.8 or more. An upright ticket has dozens (its
// terms of sale alone have 40); a sideways page gives a handful of chance matches.
const UPRIGHT_WORD_COUNT = 12;
// Orientation probes run on a copy this much smaller: tesseract's time grows with the pixel
// count, and the large print still reads.
const PROBE_SCALE = 0.6;

/**
 * Creates the offline OCR engine: tesseract.js 7 with the English LSTM model from the
 * `@tesseract.js-data/eng` package. It reads nothing from the network and writes no cache.
 * One worker is started on first use and reused; `close()` stops it.
 */
export function createLocalOcrEngine(options: { logger?: Logger } = {}): OcrEngine {
  let worker: Promise<Worker> | undefined;

  const getWorker = () => {
    worker ??= startWorker(options.logger).catch((error: unknown) => {
      worker = undefined;
      throw error;
    });

    return worker;
  };

  return {
    provider: LOCAL_PROVIDER,
    async recognize(input: OcrInput): Promise<OcrOutput> {
      const images = input.kind === 'images'
        ? await Promise.all(input.images.map(async (image) => ({
          pageNumber: image.pageNumber,
          ...(await pngSize(image.png)),
        })))
        : await renderPdfPagesToPng(input.bytes, input.pageNumbers);

      const pages: OcrPage[] = [];
      for (const image of images) {
        const dpi = input.kind === 'pdf' ? OCR_DPI : estimatedDpi(image);
        pages.push(await recognizeUpright(await getWorker(), image, image.pageNumber, dpi));
      }

      return { provider: LOCAL_PROVIDER, pages };
    },
    async close() {
      const running = worker;
      worker = undefined;
      if (running) {
        await (await running).terminate();
      }
    },
  };
}

async function startWorker(logger: Logger | undefined): Promise<Worker> {
  const require = createRequire(import.meta.url);
  const dataRoot = path.dirname(require.resolve('@tesseract.js-data/eng/package.json'));

  return createWorker('eng', 1, {
    // A file path (not a URL) makes tesseract.js read the model from disk; without langPath it
    // would download it from a CDN.
    langPath: path.join(dataRoot, '4.0.0_best_int'),
    gzip: true,
    cacheMethod: 'none',
    errorHandler: (error: unknown) => logger?.error({ err: error }, 'tesseract worker error'),
  });
}

// Photos carry no usable resolution. Assuming the long side spans an A4 page (11.7 inches)
// gives tesseract a plausible figure instead of the 70 dpi it falls back to.
function estimatedDpi(image: PngImage): number {
  return Math.min(600, Math.max(100, Math.round(Math.max(image.width, image.height) / 11.7)));
}

async function pngSize(png: Uint8Array): Promise<PngImage> {
  const metadata = await sharp(png).metadata();

  return { png, width: metadata.width ?? 1, height: metadata.height ?? 1 };
}

// Photos may be sideways or upside down, which tesseract does not detect without its OSD
// model (not in the eng data package). The upright reading is tried first. When it finds
// too few real words, the other quarter turns are probed on a smaller copy, and the best
// one is read again at full size.
async function recognizeUpright(
  worker: Worker,
  image: PngImage,
  pageNumber: number,
  dpi: number,
): Promise<OcrPage> {
  const upright = await recognizePng(worker, image, pageNumber, dpi);
  if (wordScore(upright) >= UPRIGHT_WORD_COUNT) {
    return upright;
  }

  const small = await scale(image, PROBE_SCALE);
  let bestTurn: 0 | 90 | 180 | 270 = 0;
  let bestScore = wordScore(await recognizePng(worker, small, pageNumber, dpi * PROBE_SCALE));
  for (const turn of [90, 270, 180] as const) {
    const probe = await recognizePng(worker, await rotateQuarterTurns(small, turn), pageNumber,
      dpi * PROBE_SCALE);
    if (wordScore(probe) > bestScore) {
      bestTurn = turn;
      bestScore = wordScore(probe);
    }
  }
  if (bestTurn === 0) {
    return upright;
  }

  return recognizePng(worker, await rotateQuarterTurns(image, bestTurn), pageNumber, dpi);
}

async function scale(image: PngImage, factor: number): Promise<PngImage> {
  const width = Math.max(1, Math.round(image.width * factor));
  const { data, info } = await sharp(image.png).resize({ width }).png({ compressionLevel: 1 })
    .toBuffer({ resolveWithObject: true });

  return { png: new Uint8Array(data), width: info.width, height: info.height };
}

async function recognizePng(
  worker: Worker,
  image: PngImage,
  pageNumber: number,
  dpi: number,
): Promise<OcrPage> {
  await worker.setParameters({ user_defined_dpi: String(Math.round(dpi)) });
  // rotateAuto straightens a page photographed a few degrees off.
  const { data } = await worker.recognize(Buffer.from(image.png), { rotateAuto: true },
    { blocks: true, text: false });

  const lines: OcrLine[] = [];
  for (const block of data.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        const words: OcrWord[] = line.words
          .filter((word) => word.text.trim())
          .map((word) => ({
            text: word.text,
            confidence: word.confidence / 100,
            box: {
              left: word.bbox.x0 / image.width,
              top: word.bbox.y0 / image.height,
              width: (word.bbox.x1 - word.bbox.x0) / image.width,
              height: (word.bbox.y1 - word.bbox.y0) / image.height,
            },
          }));
        if (words.length > 0) {
          lines.push(toLine(words));
        }
      }
    }
  }

  return { pageNumber, lines };
}

function wordScore(page: OcrPage): number {
  return page.lines
    .flatMap((line) => line.words)
    .filter((word) => word.confidence >= 0.8 && /^\p{L}{3,}[.,:]?$/u.test(word.text))
    .length;
}
