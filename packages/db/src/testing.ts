// Per-test-file Postgres databases for integration tests. A template database with every
// migration applied is built once per migrations folder version (vitest.global-setup.ts builds
// it before the workers start), and each test file clones it with CREATE DATABASE ... TEMPLATE,
// which takes about 0.15 s here instead of replaying the migrations.
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

import type pg from 'pg';

import type { PrismaClient } from './generated/prisma/client.ts';
import { createPrisma } from './index.ts';
import { applyMigrations, migrationsDir } from './migrate.ts';
import { dropDatabase, quoteIdentifier, withDatabaseName, withPgClient } from './pg-admin.ts';

/** The server that test databases are made on: any database there that the role can reach. */
export const testServerUrl =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const templatePrefix = 'ts_tpl_';
const testDatabasePrefix = 'ts_test_';

// Test databases older than this are assumed to be left over from a killed run and dropped by
// the global setup. It must exceed the longest test run by a wide margin.
const staleTestDatabaseAgeMs = 6 * 60 * 60 * 1000;

export interface TestDatabase {
  /** Connection URL of the new database. */
  url: string;
  prisma: PrismaClient;
  /** Disconnects `prisma` and drops the database, closing any other connections to it. */
  drop(): Promise<void>;
}

/**
 * Creates a database with every migration applied, cloned from the template database (built
 * here if the global setup has not built it). Call `drop()` in afterAll.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = await ensureTemplateDatabase();
  const name = newTestDatabaseName();
  await withPgClient(testServerUrl, (client) =>
    client.query(`CREATE DATABASE ${quoteIdentifier(name)} TEMPLATE ${quoteIdentifier(template)}`),
  );

  const url = withDatabaseName(testServerUrl, name);
  const prisma = createPrisma(url);

  return {
    url,
    prisma,
    drop: async () => {
      await prisma.$disconnect();
      await withPgClient(testServerUrl, (client) => dropDatabase(client, name));
    },
  };
}

/** Creates a database with no tables, for tests of the migrations themselves. */
export async function createEmptyTestDatabase(): Promise<Omit<TestDatabase, 'prisma'>> {
  const name = newTestDatabaseName();
  await withPgClient(testServerUrl, (client) =>
    client.query(`CREATE DATABASE ${quoteIdentifier(name)}`),
  );

  return {
    url: withDatabaseName(testServerUrl, name),
    drop: () => withPgClient(testServerUrl, (client) => dropDatabase(client, name)),
  };
}

// The creation time is part of the name so that a later run can tell a leftover from a
// database that a concurrent run is still using.
function newTestDatabaseName(): string {
  const createdAt = Date.now().toString(36);

  return `${testDatabasePrefix}${createdAt}_${randomBytes(5).toString('hex')}`;
}

/**
 * Returns a SHA-256 prefix over every file path and content under the migrations folder, so
 * that any added, removed or edited migration yields a new template name.
 */
export async function migrationsFingerprint(dir: string = migrationsDir): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();

  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(await readFile(path.join(dir, file)));
    hash.update('\0');
  }

  return hash.digest('hex').slice(0, 16);
}

// Serialises template builds between vitest processes (and their workers) on the same server.
// The key is an arbitrary constant that no other code on this server uses as a lock id.
const templateLockKey = 7_302_118_554;

/**
 * Builds the template database for the current migrations folder unless it already exists,
 * drops templates of older folder versions, and returns the template's name.
 */
export async function ensureTemplateDatabase(): Promise<string> {
  const template = `${templatePrefix}${await migrationsFingerprint()}`;

  await withPgClient(testServerUrl, async (client) => {
    if (await databaseExists(client, template)) {
      return;
    }

    // Session-level lock: released by the unlock below, or by Postgres when the connection ends.
    await client.query('SELECT pg_advisory_lock($1)', [templateLockKey]);
    try {
      // Another process may have built it while this one waited for the lock.
      if (!(await databaseExists(client, template))) {
        await buildTemplate(client, template);
      }
      await dropOtherTemplates(client, template);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [templateLockKey]);
    }
  });

  return template;
}

async function databaseExists(client: pg.Client, name: string): Promise<boolean> {
  const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);

  return result.rowCount === 1;
}

// Migrates under a temporary name and renames at the end, so a crash halfway never leaves a
// half-migrated database under the template's name.
async function buildTemplate(client: pg.Client, template: string): Promise<void> {
  const building = `${template}_building`;
  await dropDatabase(client, building);
  await client.query(`CREATE DATABASE ${quoteIdentifier(building)}`);
  await applyMigrations(withDatabaseName(testServerUrl, building));

  await retryWhileInUse(() =>
    client.query(
      `ALTER DATABASE ${quoteIdentifier(building)} RENAME TO ${quoteIdentifier(template)}`,
    ),
  );
  // A template that nobody can connect to cannot be changed by mistake, and CREATE DATABASE
  // ... TEMPLATE fails while anyone is connected to its source.
  await client.query(
    `ALTER DATABASE ${quoteIdentifier(template)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`,
  );
}

// Postgres rejects RENAME while anyone is connected (SQLSTATE 55006), and a backend can outlive
// its closed client socket by a few milliseconds, so the engine's last connection may linger.
async function retryWhileInUse(statement: () => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    try {
      await statement();

      return;
    } catch (error) {
      const inUse = (error as { code?: string }).code === '55006';
      if (!inUse || Date.now() > deadline) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function dropOtherTemplates(client: pg.Client, current: string): Promise<void> {
  const { rows } = await client.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname LIKE $1 AND datname <> $2`,
    [`${escapeLike(templatePrefix)}%`, current],
  );

  for (const { datname } of rows) {
    // Postgres rejects DROP DATABASE on a database marked as a template.
    await client.query(`ALTER DATABASE ${quoteIdentifier(datname)} WITH IS_TEMPLATE false`);
    // Without FORCE: a clone in progress from an older checkout holds a lock that DROP waits
    // for, and that checkout rebuilds its template on its next createTestDatabase.
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(datname)}`);
  }
}

// "_" is a LIKE wildcard; backslash is LIKE's default escape character.
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** Drops test databases left by killed runs and returns their names. */
export async function dropStaleTestDatabases(now: Date = new Date()): Promise<string[]> {
  return withPgClient(testServerUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${escapeLike(testDatabasePrefix)}%`],
    );

    const stale = rows
      .map(({ datname }) => datname)
      .filter((name) => {
        const createdAt = Number.parseInt(name.slice(testDatabasePrefix.length).split('_')[0]!, 36);

        return Number.isFinite(createdAt) && now.getTime() - createdAt > staleTestDatabaseAgeMs;
      });

    for (const name of stale) {
      await dropDatabase(client, name);
    }

    return stale;
  });
}
