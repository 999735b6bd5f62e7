import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Object storage for uploaded files; keys are relative paths without `..`. */
export interface FileStorage {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  get(key: string): Promise<Uint8Array>;
  delete(key: string): Promise<void>;
}

/**
 * Returns `key` when it is a relative path of plain segments, and throws otherwise, so that no
 * backend ever sees an absolute path, a `..` segment or an empty segment.
 */
export function checkStorageKey(key: string): string {
  const segments = key.split('/');
  const valid = key.length > 0 && key.length <= 512 &&
    segments.every((segment) => segment !== '' && segment !== '.' && segment !== '..') &&
    !key.includes('\\') && !key.includes('\0');
  if (!valid) {
    throw new Error(`Invalid storage key: ${JSON.stringify(key.slice(0, 100))}`);
  }

  return key;
}

/** Stores files under a folder on the local disk, the default for one-machine setups. */
export class LocalFileStorage implements FileStorage {
  constructor(private readonly root: string) {}

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const target = this.resolve(key);
    await mkdir(path.dirname(target), { recursive: true });
    // Ticket files carry live barcodes, so only this service's user may read them.
    await writeFile(target, bytes, { mode: 0o600 });
  }

  async get(key: string): Promise<Uint8Array> {
    return new Uint8Array(await readFile(this.resolve(key)));
  }

  async delete(key: string): Promise<void> {
    await rm(this.resolve(key), { force: true });
  }

  private resolve(key: string): string {
    const target = path.resolve(this.root, checkStorageKey(key));
    if (!target.startsWith(path.resolve(this.root) + path.sep)) {
      throw new Error(`Storage key escapes the storage folder: ${key}`);
    }

    return target;
  }
}
