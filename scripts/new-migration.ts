// Writes prisma/migrations/<UTC timestamp>_<name>/migration.sql with the SQL that takes the
// migrations folder's current state to prisma/schema.prisma, the way `prisma migrate dev
// --create-only` would. It uses the wasm schema engine, so it works without the native binary.
//
// Usage: node --import tsx scripts/new-migration.ts <name> [--empty]
//   --empty  write an empty migration for hand-written SQL (triggers, data fixes) even when
//            the data model has not changed
// DATABASE_URL names the Postgres server for the temporary shadow database (default
// postgres://postgres@127.0.0.1:5432/postgres). No database is changed apart from that one.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { diffMigrationsToSchema, migrationsDir } from '../packages/db/src/migrate.ts';
import { migrationLockFile } from '../packages/db/src/schema-engine.ts';

const defaultServerUrl = 'postgres://postgres@127.0.0.1:5432/postgres';

const lockFileContent = `# Written by scripts/new-migration.ts. The schema engine takes the SQL dialect of these
# migrations from the provider below and rejects a migrations folder without this file.
provider = "postgresql"
`;

function migrationTimestamp(now: Date): string {
  // Prisma's folder prefix: the UTC time as YYYYMMDDHHMMSS.
  return now.toISOString().replace(/\D/g, '').slice(0, 14);
}

function normaliseName(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { empty: { type: 'boolean', default: false } },
  });
  const name = normaliseName(positionals[0] ?? '');
  if (name === '' || positionals.length !== 1) {
    process.stderr.write('usage: scripts/new-migration.ts <name> [--empty]\n');

    return 2;
  }

  await mkdir(migrationsDir, { recursive: true });
  // The engine rejects a migrations folder without its lock file.
  await writeFile(path.join(migrationsDir, migrationLockFile), lockFileContent, { flag: 'wx' })
    .catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') {
        throw error;
      }
    });

  const serverUrl = process.env.DATABASE_URL ?? defaultServerUrl;
  const script = await diffMigrationsToSchema(serverUrl);
  if (script === '' && !values.empty) {
    process.stdout.write('prisma/schema.prisma already matches the migrations; nothing written.\n');
    process.stdout.write('Pass --empty to start a migration for hand-written SQL.\n');

    return 0;
  }

  const folder = `${migrationTimestamp(new Date())}_${name}`;
  const body = script === '' ? '-- Hand-written migration: add the SQL below.\n' : script;
  await mkdir(path.join(migrationsDir, folder));
  await writeFile(path.join(migrationsDir, folder, 'migration.sql'), body, { flag: 'wx' });
  process.stdout.write(`wrote prisma/migrations/${folder}/migration.sql\n`);

  return 0;
}

process.exitCode = await main();
