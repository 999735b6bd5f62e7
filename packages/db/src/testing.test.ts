import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { migrationsDir } from './migrate.ts';
import { withPgClient } from './pg-admin.ts';
import {
  createTestDatabase,
  ensureTemplateDatabase,
  migrationsFingerprint,
  testServerUrl,
  type TestDatabase,
} from './testing.ts';

async function databaseNames(): Promise<string[]> {
  const { rows } = await withPgClient(testServerUrl, (client) =>
    client.query<{ datname: string }>('SELECT datname FROM pg_database'),
  );

  return rows.map((row) => row.datname);
}

describe('createTestDatabase', () => {
  let first: TestDatabase;
  let second: TestDatabase;

  beforeAll(async () => {
    [first, second] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });

  afterAll(async () => {
    await Promise.all([first?.drop(), second?.drop()]);
  });

  it('gives each caller its own database', async () => {
    await first.prisma.jurisdictionRule.create({ data: { code: 'US-NY', name: 'New York' } });

    expect(first.url).not.toBe(second.url);
    await expect(first.prisma.jurisdictionRule.count()).resolves.toBe(1);
    await expect(second.prisma.jurisdictionRule.count()).resolves.toBe(0);
  });

  it('starts from a database with every migration applied', async () => {
    const { rows } = await withPgClient(second.url, (client) =>
      client.query<{ count: string }>(
        'SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL',
      ),
    );
    const entries = await readdir(migrationsDir, { withFileTypes: true });
    const folderCount = entries.filter((entry) => entry.isDirectory()).length;

    expect(Number(rows[0]?.count)).toBe(folderCount);
  });

  it('removes the database on drop', async () => {
    const database = await createTestDatabase();
    const name = new URL(database.url).pathname.slice(1);

    expect(await databaseNames()).toContain(name);
    await database.drop();
    expect(await databaseNames()).not.toContain(name);
  });
});

describe('template database', () => {
  let copy: string;

  beforeAll(async () => {
    copy = await mkdtemp(path.join(tmpdir(), 'migrations-'));
    await cp(migrationsDir, copy, { recursive: true });
  });

  afterAll(async () => {
    await rm(copy, { recursive: true, force: true });
  });

  it('is named after the fingerprint of the migrations folder', async () => {
    const template = await ensureTemplateDatabase();

    expect(template).toBe(`ts_tpl_${await migrationsFingerprint()}`);
    expect(await databaseNames()).toContain(template);
  });

  it('gets a new fingerprint when a migration is added', async () => {
    const before = await migrationsFingerprint(copy);
    await mkdir(path.join(copy, '29990101000000_later'));
    await writeFile(path.join(copy, '29990101000000_later', 'migration.sql'), 'SELECT 1;\n');

    expect(await migrationsFingerprint(copy)).not.toBe(before);
  });

  it('keeps its fingerprint for an identical copy of the folder', async () => {
    const fresh = await mkdtemp(path.join(tmpdir(), 'migrations-'));
    try {
      await cp(migrationsDir, fresh, { recursive: true });

      expect(await migrationsFingerprint(fresh)).toBe(await migrationsFingerprint());
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  });
});
