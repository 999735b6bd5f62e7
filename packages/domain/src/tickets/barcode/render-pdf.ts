import { createRequire } from 'node:module';
import path from 'node:path';

import { createCanvas } from '@napi-rs/canvas';
import { getDocument, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';

import type { RgbaImage } from './zxing.ts';

export interface RenderPdfOptions {
  /** Resolution of the rendered pages, in dots per inch. */
  dpi: number;
  /** Pages after this many are not rendered. */
  maxPages: number;
  /** Upper bound on width × height of one rendered page; larger pages get a lower dpi. */
  maxPagePixels: number;
}

export interface RenderedPage {
  /** 1-based page number. */
  pageNumber: number;
  image: RgbaImage;
}

// Embedded images larger than this (in pixels) are skipped by pdf.js instead of decoded, so a
// small file cannot expand into gigabytes. 50 MP is roomier than any phone or scanner output.
const MAX_EMBEDDED_IMAGE_PIXELS = 50_000_000;
const POINTS_PER_INCH = 72;

/** Thrown for bytes that pdf.js cannot open as a PDF document. */
export class PdfReadError extends Error {
  override readonly name = 'PdfReadError';
}

/**
 * Renders the first `maxPages` pages of a PDF to RGBA images on a white background, one page
 * at a time so that only one page's pixels are held in memory.
 */
export async function* renderPdfPages(
  bytes: Uint8Array,
  options: RenderPdfOptions,
): AsyncGenerator<RenderedPage> {
  // pdf.js may detach the buffer it is given, and it rejects Node Buffers (which fs returns),
  // so it gets a plain Uint8Array copy.
  const loadingTask = getDocument({
    data: new Uint8Array(bytes),
    ...pdfjsAssetUrls(),
    verbosity: VerbosityLevel.ERRORS,
    maxImageSize: MAX_EMBEDDED_IMAGE_PIXELS,
    enableXfa: false,
    useSystemFonts: false,
  });

  try {
    const document = await loadingTask.promise.catch((error: unknown) => {
      throw new PdfReadError(`pdf.js could not open the file: ${errorMessage(error)}`, {
        cause: error,
      });
    });
    const pageCount = Math.min(document.numPages, options.maxPages);

    for (let pageNumber = 1; pageNumber <= pageCount; pageNumber++) {
      yield { pageNumber, image: await renderPageNumber(document, pageNumber, options) };
    }
  } finally {
    await loadingTask.destroy();
  }
}

type PdfDocument = Awaited<ReturnType<typeof getDocument>['promise']>;
type PdfPage = Awaited<ReturnType<PdfDocument['getPage']>>;

async function renderPageNumber(
  document: PdfDocument,
  pageNumber: number,
  options: RenderPdfOptions,
): Promise<RgbaImage> {
  let page: PdfPage | undefined;
  try {
    page = await document.getPage(pageNumber);

    return await renderPage(page, options);
  } catch (error) {
    throw new PdfReadError(`pdf.js could not render page ${pageNumber}: ${errorMessage(error)}`,
      { cause: error });
  } finally {
    page?.cleanup();
  }
}

async function renderPage(page: PdfPage, options: RenderPdfOptions): Promise<RgbaImage> {
  const unscaled = page.getViewport({ scale: 1 });
  const requestedScale = options.dpi / POINTS_PER_INCH;
  const maxScale = Math.sqrt(options.maxPagePixels / (unscaled.width * unscaled.height));
  const viewport = page.getViewport({ scale: Math.min(requestedScale, maxScale) });
  const width = Math.max(1, Math.floor(viewport.width));
  const height = Math.max(1, Math.floor(viewport.height));

  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);

  await page.render({
    canvas: canvas as unknown as HTMLCanvasElement,
    canvasContext: context as unknown as CanvasRenderingContext2D,
    viewport,
  }).promise;

  const pixels = context.getImageData(0, 0, width, height);

  return { data: pixels.data, width, height };
}

let assetUrls: { standardFontDataUrl: string; cMapUrl: string; wasmUrl: string } | undefined;

// pdf.js needs its font, CMap and wasm folders to render text and JPEG 2000 or JBIG2 images.
// In Node it reads them from the file system, so they point into the installed package.
function pdfjsAssetUrls() {
  if (!assetUrls) {
    const require = createRequire(import.meta.url);
    const packageRoot = path.dirname(require.resolve('pdfjs-dist/package.json'));
    assetUrls = {
      standardFontDataUrl: path.join(packageRoot, 'standard_fonts') + path.sep,
      cMapUrl: path.join(packageRoot, 'cmaps') + path.sep,
      wasmUrl: path.join(packageRoot, 'wasm') + path.sep,
    };
  }

  return assetUrls;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
