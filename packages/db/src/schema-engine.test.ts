import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { applyMigrations } from './migrate.ts';
import { withPgClient } from './pg-admin.ts';
import {
  noFilter,
  readDatamodel,
  readMigrationsList,
  schemaPath,
  withSchemaEngine,
} from './schema-engine.ts';
import { createEmptyTestDatabase, testServerUrl, type TestDatabase } from './testing.ts';

describe('schema engine diff', () => {
  it('creates every model table from empty', async () => {
    const datamodel = await readDatamodel();
    const models = [...(await readFile(schemaPath, 'utf8')).matchAll(/^model (\w+) \{/gm)].map(
      (match) => match[1],
    );

    const result = await withSchemaEngine(testServerUrl, (engine) =>
      engine.diff({
        from: { tag: 'empty' },
        to: { tag: 'schemaDatamodel', ...datamodel },
        script: true,
        exitCode: null,
        filters: noFilter,
      }),
    );

    expect(models.length).toBeGreaterThan(20);
    for (const model of models) {
      expect(result.stdout).toContain(`CREATE TABLE "${model}" (`);
    }
  });
});

describe('migration scripts', () => {
  let dir: string;
  let database: Omit<TestDatabase, 'prisma'>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'migrations-'));
    await writeFile(path.join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
    database = await createEmptyTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  async function addMigration(name: string, sql: string): Promise<void> {
    await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, name, 'migration.sql'), sql);
  }

  async function tableExists(table: string): Promise<boolean> {
    const { rows } = await withPgClient(database.url, (client) =>
      client.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [
        `"${table}"`,
      ]),
    );

    return rows[0]?.found === true;
  }

  it('runs function bodies and comments that contain semicolons', async () => {
    await addMigration(
      '20000101000000_function',
      `-- A comment; with a semicolon.
CREATE TABLE "Counter" (value int NOT NULL);
CREATE FUNCTION "counter_next"() RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Counter" SET value = value + 1;
  RETURN (SELECT value FROM "Counter");
END;
$$;
`,
    );

    await expect(applyMigrations(database.url, { migrationsDir: dir })).resolves.toEqual([
      '20000101000000_function',
    ]);
    expect(await tableExists('Counter')).toBe(true);
  });

  it('rolls back every statement of a migration that fails', async () => {
    await addMigration(
      '20000102000000_fails',
      'CREATE TABLE "Partial" (id int);\nSELECT 1 / 0;\n',
    );

    await expect(applyMigrations(database.url, { migrationsDir: dir })).rejects.toThrow(
      /division by zero/,
    );
    expect(await tableExists('Partial')).toBe(false);
  });

  it('rejects later runs after a failure', async () => {
    const list = await readMigrationsList(dir);

    expect(list.migrationDirectories.map((entry) => entry.path)).toContain('20000102000000_fails');
    await expect(applyMigrations(database.url, { migrationsDir: dir })).rejects.toThrow(
      /failed migrations/,
    );
  });
});
