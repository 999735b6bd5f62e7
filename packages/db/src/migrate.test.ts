import { readdir } from 'node:fs/promises';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  applyMigrations,
  diffDatabaseToSchema,
  diffMigrationsToSchema,
  migrationsDir,
  serverMajorVersion,
} from './migrate.ts';
import { withPgClient } from './pg-admin.ts';
import { createEmptyTestDatabase, testServerUrl, type TestDatabase } from './testing.ts';

// Prisma's schema describer cannot read PostgreSQL 18 (see requireDescribableServer), so the
// drift checks run only on older servers, such as the machine's PostgreSQL 15 in CI.
const describable = (await serverMajorVersion(testServerUrl)) < 18;

async function migrationFolderNames(): Promise<string[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });

  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

describe('applyMigrations on an empty database', () => {
  let database: Omit<TestDatabase, 'prisma'>;
  let firstRun: string[];

  beforeAll(async () => {
    database = await createEmptyTestDatabase();
    firstRun = await applyMigrations(database.url);
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('applies every migration folder in order', async () => {
    const folders = await migrationFolderNames();

    expect(folders.length).toBeGreaterThan(0);
    expect(firstRun).toEqual(folders);
  });

  it('records each migration as finished in _prisma_migrations', async () => {
    const { rows } = await withPgClient(database.url, (client) =>
      client.query<{ migration_name: string; finished: boolean; rolled_back: boolean }>(
        `SELECT migration_name, finished_at IS NOT NULL AS finished,
                rolled_back_at IS NOT NULL AS rolled_back
           FROM _prisma_migrations ORDER BY migration_name`,
      ),
    );

    expect(rows.map((row) => row.migration_name)).toEqual(await migrationFolderNames());
    expect(rows.every((row) => row.finished)).toBe(true);
    expect(rows.some((row) => row.rolled_back)).toBe(false);
  });

  it('applies nothing on a second run', async () => {
    await expect(applyMigrations(database.url)).resolves.toEqual([]);
  });

  it.skipIf(!describable)('leaves no drift from schema.prisma', async () => {
    const drift = await diffDatabaseToSchema(database.url);

    expect(drift).toBe('');
  });
});

describe.skipIf(!describable)('drift detection', () => {
  let database: Omit<TestDatabase, 'prisma'>;

  beforeAll(async () => {
    database = await createEmptyTestDatabase();
    await applyMigrations(database.url);
  });

  afterAll(async () => {
    await database?.drop();
  });

  // Proves the drift check above can fail: a column that schema.prisma declares is removed.
  it('reports a column missing from the database', async () => {
    await withPgClient(database.url, (client) =>
      client.query('ALTER TABLE "Ticket" DROP COLUMN "seat"'),
    );

    const drift = await diffDatabaseToSchema(database.url);

    expect(drift).toContain('"Ticket"');
    expect(drift).toContain('"seat"');
  });
});

describe.skipIf(!describable)('migrations folder', () => {
  it('produces exactly the schema.prisma data model', async () => {
    const missing = await diffMigrationsToSchema(testServerUrl);

    // Non-empty means schema.prisma changed without a migration:
    // run `node --import tsx scripts/new-migration.ts <name>`.
    expect(missing).toBe('');
  });
});

describe('applyMigrations failures', () => {
  let database: Omit<TestDatabase, 'prisma'>;

  beforeAll(async () => {
    database = await createEmptyTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('rejects a database that has tables but no migration history', async () => {
    await withPgClient(database.url, (client) => client.query('CREATE TABLE "Stray" (id int)'));

    await expect(applyMigrations(database.url)).rejects.toThrow(/not empty/i);
  });
});

describe.skipIf(describable)('diffs on PostgreSQL 18', () => {
  it('fail with a clear error instead of hanging', async () => {
    await expect(diffMigrationsToSchema(testServerUrl)).rejects.toThrow(/PostgreSQL 17 or older/);
  });
});
