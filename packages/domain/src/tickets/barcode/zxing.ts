import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

import {
  prepareZXingModule,
  readBarcodes,
  type ReaderOptions,
  type ReadResult,
} from 'zxing-wasm/reader';

/** An RGBA pixel buffer in the shape of the DOM's ImageData, which Node lacks. */
export interface RgbaImage {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}

let moduleReady: Promise<unknown> | undefined;

/**
 * Instantiates the zxing-cpp WebAssembly module once per process. The .wasm file is read from
 * the installed zxing-wasm package, because the library's default is to fetch it from a CDN.
 */
export function loadZxing(): Promise<unknown> {
  moduleReady ??= instantiate().catch((error: unknown) => {
    // Forget the failure so that the next call tries again instead of failing forever.
    moduleReady = undefined;
    throw error;
  });

  return moduleReady;
}

async function instantiate(): Promise<unknown> {
  const require = createRequire(import.meta.url);
  const wasmPath = require.resolve('zxing-wasm/reader/zxing_reader.wasm');
  const wasmBinary = new Uint8Array(await readFile(wasmPath));

  return prepareZXingModule({
    overrides: { wasmBinary: wasmBinary.buffer },
    fireImmediately: true,
  });
}

/** Runs zxing-cpp over an RGBA image; the caller's buffer is copied, never kept. */
export async function readRgba(image: RgbaImage, options: ReaderOptions): Promise<ReadResult[]> {
  await loadZxing();

  return readBarcodes(image as ImageData, options);
}
