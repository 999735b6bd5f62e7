// Applies prisma/migrations to the database at DATABASE_URL: `pnpm --filter @ts/db migrate`.
// Safe to run on every deploy, because migrations already recorded in `_prisma_migrations`
// are skipped.
import { pino } from 'pino';

import { applyMigrations, migrationsDir } from '../migrate.ts';

const logger = pino({ name: 'db-migrate' });

async function main(): Promise<number> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    logger.error('DATABASE_URL is missing: set it to the postgres:// URL of the database');

    return 2;
  }

  // Log the host and database only: the URL may carry a password.
  const { host, pathname } = new URL(databaseUrl);
  const target = { host, database: pathname.slice(1), migrationsDir };
  logger.info(target, 'applying migrations');

  try {
    const applied = await applyMigrations(databaseUrl);
    logger.info({ ...target, applied }, `applied ${applied.length} migration(s)`);

    return 0;
  } catch (error) {
    logger.error({ ...target, err: error }, 'migration failed');

    return 1;
  }
}

process.exitCode = await main();
