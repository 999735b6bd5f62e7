import sharp from 'sharp';

import { renderPdfPages } from '../barcode/render-pdf.ts';

// OCR needs letters of about 20 pixels or more; 300 dpi gives that for 7-point print.
export const OCR_DPI = 300;
// A photo's long side is capped here: tesseract's time grows with the pixel count, and a
// printed A4 page at this size is still about 350 dpi.
const MAX_IMAGE_SIDE = 4096;
// Matches the barcode decoder: sharp rejects images that declare more pixels before decoding.
const MAX_IMAGE_PIXELS = 100_000_000;
// 300 dpi A4 is 8.7 MP; larger pages are rendered at a lower resolution instead.
const MAX_PDF_PAGE_PIXELS = 10_000_000;

export interface PngImage {
  png: Uint8Array;
  width: number;
  height: number;
}

/**
 * Converts a photo or screenshot to a greyscale PNG, upright by its EXIF orientation, with
 * transparent pixels made white and the long side capped.
 */
export async function normalizeImage(bytes: Uint8Array): Promise<PngImage> {
  const { data, info } = await sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS })
    .rotate()
    .resize({ width: MAX_IMAGE_SIDE, height: MAX_IMAGE_SIDE, fit: 'inside',
      withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .greyscale()
    .png({ compressionLevel: 1 })
    .toBuffer({ resolveWithObject: true });

  return { png: new Uint8Array(data), width: info.width, height: info.height };
}

/** Rotates a PNG by a multiple of 90 degrees clockwise. */
export async function rotateQuarterTurns(image: PngImage, degrees: 90 | 180 | 270):
  Promise<PngImage> {
  const { data, info } = await sharp(image.png).rotate(degrees).png({ compressionLevel: 1 })
    .toBuffer({ resolveWithObject: true });

  return { png: new Uint8Array(data), width: info.width, height: info.height };
}

/** Renders the listed 1-based PDF pages at 300 dpi to greyscale PNGs. */
export async function renderPdfPagesToPng(
  bytes: Uint8Array,
  pageNumbers: number[],
): Promise<Array<PngImage & { pageNumber: number }>> {
  const wanted = new Set(pageNumbers);
  const rendered: Array<PngImage & { pageNumber: number }> = [];
  // NOTE: renderPdfPages renders from page 1 on, so pages before a wanted one are rendered
  // and dropped; ticket PDFs are a few pages long.
  const pages = renderPdfPages(bytes, {
    dpi: OCR_DPI,
    maxPages: Math.max(0, ...pageNumbers),
    maxPagePixels: MAX_PDF_PAGE_PIXELS,
  });
  for await (const { pageNumber, image } of pages) {
    if (!wanted.has(pageNumber)) {
      continue;
    }
    const raw = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
    const png = await sharp(raw, { raw: { width: image.width, height: image.height, channels: 4 } })
      .greyscale()
      .png({ compressionLevel: 1 })
      .toBuffer();
    rendered.push({ pageNumber, png: new Uint8Array(png), width: image.width,
      height: image.height });
  }

  return rendered;
}
