// Migration operations over the Prisma-layout folder prisma/migrations, run by the wasm schema
// engine instead of `prisma migrate`, which needs a native binary these machines cannot fetch.
import {
  migrationsDir,
  noFilter,
  readDatamodel,
  readMigrationsList,
  withSchemaEngine,
} from './schema-engine.ts';
import { withPgClient } from './pg-admin.ts';

export { migrationsDir, schemaPath } from './schema-engine.ts';

export interface MigrationsOptions {
  /** Folder of `<timestamp>_<name>/migration.sql` folders; defaults to prisma/migrations. */
  migrationsDir?: string;
}

/**
 * Applies every migration of the folder that the database has not recorded in
 * `_prisma_migrations`, in folder-name order, and returns the names it applied (empty when the
 * database was up to date). Like `prisma migrate deploy`, it rejects a database that has
 * tables but no migration history, a migration recorded as failed, and a failing script, which
 * it then records as failed.
 */
export async function applyMigrations(
  databaseUrl: string,
  options: MigrationsOptions = {},
): Promise<string[]> {
  const migrationsList = await readMigrationsList(options.migrationsDir ?? migrationsDir);

  const output = await withSchemaEngine(databaseUrl, (engine) =>
    engine.applyMigrations({ migrationsList, filters: noFilter }),
  );

  return output.appliedMigrationNames;
}

/**
 * Returns the SQL that takes a database built by the migrations folder to schema.prisma, or an
 * empty string when they already match. The engine replays the folder into a temporary shadow
 * database on the server of `databaseUrl`, so that role needs CREATEDB. The database at
 * `databaseUrl` itself is only connected to.
 */
export async function diffMigrationsToSchema(
  databaseUrl: string,
  options: MigrationsOptions = {},
): Promise<string> {
  await requireDescribableServer(databaseUrl);
  const migrationsList = await readMigrationsList(options.migrationsDir ?? migrationsDir);
  const datamodel = await readDatamodel();

  return withSchemaEngine(databaseUrl, async (engine) => {
    const result = await engine.diff({
      from: { tag: 'migrations', ...migrationsList },
      to: { tag: 'schemaDatamodel', ...datamodel },
      script: true,
      exitCode: true,
      filters: noFilter,
    });

    return scriptIfChanged(result.exitCode, result.stdout);
  });
}

/**
 * Returns the SQL that takes the live database at `databaseUrl` to schema.prisma, or an empty
 * string when its tables, columns, enums, indexes and foreign keys already match. Prisma does
 * not model triggers or functions, so the audit-log trigger is outside this comparison.
 */
export async function diffDatabaseToSchema(databaseUrl: string): Promise<string> {
  await requireDescribableServer(databaseUrl);
  const datamodel = await readDatamodel();

  return withSchemaEngine(databaseUrl, async (engine) => {
    const result = await engine.diff({
      // The wasm engine rejects `url` targets. A schemaDatasource target is introspected through
      // the adapter connection to `databaseUrl` instead.
      from: { tag: 'schemaDatasource', ...datamodel, configDir: migrationsDir },
      to: { tag: 'schemaDatamodel', ...datamodel },
      script: true,
      exitCode: true,
      filters: noFilter,
    });

    return scriptIfChanged(result.exitCode, result.stdout);
  });
}

/** Major version of the PostgreSQL server at `databaseUrl`, e.g. 15. */
export async function serverMajorVersion(databaseUrl: string): Promise<number> {
  const result = await withPgClient(databaseUrl, (client) =>
    client.query<{ server_version_num: string }>('SHOW server_version_num'));

  return Math.floor(Number(result.rows[0]?.server_version_num) / 10_000);
}

/**
 * Fails fast on PostgreSQL 18 and newer: Prisma 7's schema describer panics on their NOT NULL
 * rows in pg_constraint (https://github.com/prisma/orm/issues/29635), and the wasm engine then
 * never settles its promise. Applying migrations is not affected; only diffs describe a database.
 */
async function requireDescribableServer(databaseUrl: string): Promise<void> {
  const major = await serverMajorVersion(databaseUrl);
  if (major >= 18) {
    throw new Error(
      `Prisma's schema engine cannot describe PostgreSQL ${major} databases yet; ` +
        'run migration diffs against PostgreSQL 17 or older (e.g. DATABASE_URL for new-migration.ts).',
    );
  }
}

// With `exitCode: true` the engine returns 2 for a non-empty diff and 0 for an empty one, whose
// script is only a comment line.
function scriptIfChanged(exitCode: number, script: string | null): string {
  if (exitCode === 0) {
    return '';
  }
  if (exitCode !== 2 || script === null) {
    throw new Error(`schema engine diff failed with exit code ${exitCode}`);
  }

  return script;
}
