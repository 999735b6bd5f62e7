import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import sharp from 'sharp';
import { describe, expect, it } from 'vitest';

import { sniffFileType } from '../file-type.ts';

const KITINERARY = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../../fixtures/barcodes/kitinerary',
);
const ascii = (text: string) => new TextEncoder().encode(text);

describe('sniffFileType', () => {
  it('detects PNG, JPEG and WebP from sharp output', async () => {
    const image = sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } });

    expect(sniffFileType(await image.clone().png().toBuffer())).toBe('image/png');
    expect(sniffFileType(await image.clone().jpeg().toBuffer())).toBe('image/jpeg');
    expect(sniffFileType(await image.clone().webp().toBuffer())).toBe('image/webp');
  });

  it('detects a PDF header at the start or after leading bytes', () => {
    expect(sniffFileType(ascii('%PDF-1.7\n%âãÏÓ\n'))).toBe('application/pdf');
    expect(sniffFileType(ascii(`${' '.repeat(600)}%PDF-1.4\n`))).toBe('application/pdf');
  });

  it('ignores a PDF header after the first 1024 bytes', () => {
    expect(sniffFileType(ascii(`${'x'.repeat(1100)}%PDF-1.4\n`))).toBeNull();
  });

  it('returns null for a zip archive, text, a RIFF WAV and empty input', async () => {
    const pass = await readFile(
      path.join(KITINERARY, 'apple-semantic-event-ticket-scrubbed.pkpass'),
    );

    expect(sniffFileType(pass)).toBeNull();
    expect(sniffFileType(ascii('row 4 seat 9'))).toBeNull();
    expect(sniffFileType(ascii('RIFF\x24\x00\x00\x00WAVEfmt '))).toBeNull();
    expect(sniffFileType(new Uint8Array())).toBeNull();
  });

  it('detects a PNG fixture despite any file name', async () => {
    const bytes = await readFile(path.join(KITINERARY, 'aztec.png'));

    expect(sniffFileType(bytes)).toBe('image/png');
  });
});
