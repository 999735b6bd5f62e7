import { createRequire } from 'node:module';
import path from 'node:path';

import { getDocument, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api';

import type { OcrLine, OcrPage, OcrWord } from './types.ts';

export interface PdfText {
  /** Pages in the whole document. */
  pageCount: number;
  /** The text layer of each read page; a scanned page has no lines. */
  pages: OcrPage[];
}

// A page with fewer letters than this in its text layer is treated as a scan and sent to OCR.
// Scanned PDFs often carry a few stray characters (a page number, a producer stamp).
export const MIN_TEXT_LAYER_LETTERS = 20;

/**
 * Reads the text layer of the first `maxPages` pages with pdf.js `getTextContent()`. Text
 * items on the same baseline become one line; confidence is 1 because nothing is guessed.
 */
export async function readPdfText(bytes: Uint8Array, maxPages: number): Promise<PdfText> {
  // pdf.js may detach the buffer it is given, so it gets a copy.
  const loadingTask = getDocument({
    data: new Uint8Array(bytes),
    standardFontDataUrl: pdfjsFolder('standard_fonts'),
    cMapUrl: pdfjsFolder('cmaps'),
    verbosity: VerbosityLevel.ERRORS,
    enableXfa: false,
    useSystemFonts: false,
  });

  try {
    const document = await loadingTask.promise;
    const pages: OcrPage[] = [];
    for (let pageNumber = 1; pageNumber <= Math.min(document.numPages, maxPages); pageNumber++) {
      const page = await document.getPage(pageNumber);
      const [x0 = 0, y0 = 0, x1 = 1, y1 = 1] = page.view;
      const content = await page.getTextContent();
      const items = content.items.filter((item): item is TextItem => 'str' in item);
      pages.push({ pageNumber, lines: groupIntoLines(items, { x0, y0, x1, y1 }) });
      page.cleanup();
    }

    return { pageCount: document.numPages, pages };
  } finally {
    await loadingTask.destroy();
  }
}

/** Counts the letters of a page, to tell a digital page from a scanned one. */
export function letterCount(page: OcrPage): number {
  return page.lines.reduce((sum, line) => sum + (line.text.match(/\p{L}/gu)?.length ?? 0), 0);
}

interface PageBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function groupIntoLines(items: TextItem[], view: PageBox): OcrLine[] {
  const width = view.x1 - view.x0;
  const height = view.y1 - view.y0;
  const words: Array<OcrWord & { baseline: number; size: number }> = [];

  for (const item of items) {
    const text = item.str;
    if (!text.trim()) {
      continue;
    }
    const [, , , scaleY = 0, x = 0, y = 0] = item.transform as number[];
    const size = Math.abs(item.height || scaleY) || 10;
    const charWidth = item.width / Math.max(1, text.length);
    // A text item is often a whole line; its words are placed by character count, which is
    // close enough to assign them to columns.
    for (const match of text.matchAll(/\S+/g)) {
      const left = x + (match.index ?? 0) * charWidth;
      words.push({
        text: match[0],
        confidence: 1,
        baseline: y,
        size,
        box: {
          left: (left - view.x0) / width,
          top: (view.y1 - y - size) / height,
          width: (match[0].length * charWidth) / width,
          height: size / height,
        },
      });
    }
  }

  // Top to bottom, then left to right. Words whose baselines differ by less than a third of
  // their size share a line.
  words.sort((a, b) => b.baseline - a.baseline || a.box.left - b.box.left);
  const lines: Array<typeof words> = [];
  for (const word of words) {
    const current = lines.at(-1);
    const last = current?.at(-1);
    if (current && last && Math.abs(last.baseline - word.baseline) < last.size / 3) {
      current.push(word);
    } else {
      lines.push([word]);
    }
  }

  return lines.map((lineWords) => {
    lineWords.sort((a, b) => a.box.left - b.box.left);

    return toLine(lineWords.map(({ text, confidence, box }) => ({ text, confidence, box })));
  });
}

/** Builds a line from its words, with the union of their boxes and their mean confidence. */
export function toLine(words: OcrWord[]): OcrLine {
  const left = Math.min(...words.map((word) => word.box.left));
  const top = Math.min(...words.map((word) => word.box.top));
  const right = Math.max(...words.map((word) => word.box.left + word.box.width));
  const bottom = Math.max(...words.map((word) => word.box.top + word.box.height));
  const confidence = words.reduce((sum, word) => sum + word.confidence, 0) / words.length;

  return {
    text: words.map((word) => word.text).join(' '),
    confidence,
    box: { left, top, width: right - left, height: bottom - top },
    words,
  };
}

let packageRoot: string | undefined;

// In Node pdf.js reads its font and CMap folders from disk, so they point into the package.
function pdfjsFolder(name: string): string {
  packageRoot ??= path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

  return path.join(packageRoot, name) + path.sep;
}
