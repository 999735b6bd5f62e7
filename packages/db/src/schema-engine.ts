// Prisma's schema engine compiled to WebAssembly, driven through a node-postgres driver adapter.
// `prisma migrate` needs the native engine binary, which these machines cannot download. The
// wasm build in @prisma/schema-engine-wasm runs the same migration code. Its JS API is internal
// to Prisma and pinned to the engine version of prisma 7.10.0, so every use goes through here.
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as engineBindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type {
  MigrationList,
  SchemaEngine,
  SchemaFilter,
  SchemasContainer,
} from '@prisma/schema-engine-wasm/schema_engine_bg';
import { pino } from 'pino';

import { EnginePgAdapterFactory } from './schema-engine-adapter.ts';

export type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The Prisma-layout migrations folder, found from this file so any working directory works. */
export const migrationsDir = path.join(repoRoot, 'prisma', 'migrations');

/** The data model that the migrations must produce. */
export const schemaPath = path.join(repoRoot, 'prisma', 'schema.prisma');

export const migrationLockFile = 'migration_lock.toml';

export const noFilter: SchemaFilter = { externalTables: [], externalEnums: [] };

const logger = pino({ name: 'schema-engine', level: process.env.LOG_LEVEL ?? 'info' });

let wasmReady: Promise<void> | undefined;

// The engine arms a 10 s timer on each run and never clears it (the glue has no clearTimeout),
// which kept every CLI process alive for 10 s after its work was done. Its timers only bound
// waits on the database, whose open socket keeps the process alive anyway, so they are unref'd.
function withUnrefTimers(bindings: typeof engineBindings): WebAssembly.ModuleImports {
  const imports: WebAssembly.ModuleImports = { ...bindings };
  for (const [name, binding] of Object.entries(bindings)) {
    if (name.startsWith('__wbg_setTimeout_') && typeof binding === 'function') {
      const setTimer = binding as unknown as (callback: () => void, ms: number) => NodeJS.Timeout;
      imports[name] = (callback: () => void, ms: number) => setTimer(callback, ms).unref();
    }
  }

  return imports;
}

// The package's own entry point imports the .wasm file as an ES module, which needs Node's
// experimental wasm modules (and breaks under vite's loader). Instantiating the bytes here
// against the generated glue module avoids both.
function loadEngineWasm(): Promise<void> {
  wasmReady ??= (async () => {
    const require = createRequire(import.meta.url);
    const entry = require.resolve('@prisma/schema-engine-wasm');
    const bytes = await readFile(path.join(path.dirname(entry), 'schema_engine_bg.wasm'));
    const imports = { './schema_engine_bg.js': withUnrefTimers(engineBindings) };
    const { instance } = await WebAssembly.instantiate(bytes, imports);
    const exports = instance.exports as WebAssembly.Exports & { __wbindgen_start(): void };

    engineBindings.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
  })();

  return wasmReady;
}

interface EngineLogLine {
  level?: string;
  fields?: { message?: string } & Record<string, unknown>;
  target?: string;
}

function forwardEngineLog(line: unknown): void {
  let parsed: EngineLogLine;
  try {
    parsed = JSON.parse(String(line)) as EngineLogLine;
  } catch {
    logger.debug({ line: String(line) }, 'schema engine output');

    return;
  }

  const { message, ...fields } = parsed.fields ?? {};
  const context = { target: parsed.target, ...fields };
  switch (parsed.level) {
    case 'ERROR':
      logger.error(context, message ?? 'schema engine error');
      break;
    case 'WARN':
      logger.warn(context, message ?? 'schema engine warning');
      break;
    default:
      logger.debug(context, message ?? 'schema engine output');
  }
}

// A Rust panic inside the wasm engine leaves its promise pending forever instead of rejecting,
// so each run is bounded. Applying the whole migrations folder to an empty database took about
// 0.2 s on a 2-core VM, so the limit only turns a hang into an error.
const engineTimeoutMs = 120_000;

// After a timeout the engine may still be inside a call, and wasm-bindgen then throws on free().
// The instance is abandoned in that case, which costs only memory.
function freeEngine(engine: SchemaEngine | undefined): void {
  try {
    engine?.free();
  } catch (error) {
    logger.warn({ err: error }, 'failed to free the schema engine');
  }
}

/**
 * Opens a schema engine connected to `databaseUrl`, runs `work` with it and then frees the
 * engine and closes its connections. The database must exist: the engine connects at once.
 */
export async function withSchemaEngine<T>(
  databaseUrl: string,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  await loadEngineWasm();

  const factory = new EnginePgAdapterFactory(databaseUrl, logger);
  const adapter = bindMigrationAwareSqlAdapterFactory(factory);
  let engine: SchemaEngine | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error(`schema engine did not finish within ${engineTimeoutMs} ms`));
      }, engineTimeoutMs);
    });
    const run = async () => {
      engine = await engineBindings.SchemaEngine.new(
        { datamodels: undefined },
        forwardEngineLog,
        adapter,
      );

      return work(engine);
    };

    return await Promise.race([run(), timeout]);
  } finally {
    clearTimeout(timer);
    freeEngine(engine);
    await factory.disposeAll();
  }
}

/** Reads the migrations folder into the engine's input form (one `migration.sql` per folder). */
export async function readMigrationsList(dir: string = migrationsDir): Promise<MigrationList> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw error;
  });

  // Folder names start with a UTC timestamp, so name order is the order they were made in.
  const folders = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

  const migrationDirectories = await Promise.all(
    folders.map(async (folder) => {
      const file = path.join(dir, folder, 'migration.sql');
      const content = await readFile(file, 'utf8').then(
        (sql) => ({ tag: 'ok' as const, value: sql }),
        (error: unknown) => ({ tag: 'error' as const, value: String(error) }),
      );

      return { path: folder, migrationFile: { path: 'migration.sql', content } };
    }),
  );

  const lockContent = await readFile(path.join(dir, migrationLockFile), 'utf8').catch(() => null);

  return {
    baseDir: dir,
    lockfile: { path: migrationLockFile, content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

/** Reads schema.prisma in the form the engine takes as a diff target. */
export async function readDatamodel(file: string = schemaPath): Promise<SchemasContainer> {
  const content = await readFile(file, 'utf8');

  return { files: [{ path: file, content }] };
}
