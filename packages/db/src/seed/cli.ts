// Seeds the catalogue from the repository's data folder and then the demo accounts into the
// database at DATABASE_URL: `node --import tsx packages/db/src/seed/cli.ts`. Safe to rerun.
import { fileURLToPath } from 'node:url';

import { pino } from 'pino';

import { createPrisma } from '../index.ts';
import { seedCatalogue } from './catalogue.ts';
import { seedDemo } from './demo.ts';

const logger = pino({ name: 'db-seed' });
const defaultDataDir = fileURLToPath(new URL('../../../../data/', import.meta.url));

async function main(): Promise<number> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    logger.error('DATABASE_URL is not set; set it to the postgres:// URL of the database');

    return 2;
  }

  const dataDir = process.env.SEED_DATA_DIR ?? defaultDataDir;
  // Log the host and database only: the URL may carry a password.
  const { host, pathname } = new URL(databaseUrl);
  const target = { host, database: pathname.slice(1), dataDir };
  logger.info(target, 'seeding');

  const prisma = createPrisma(databaseUrl);
  try {
    await seedCatalogue(prisma, { dataDir, logger });
    const demo = await seedDemo(prisma, { logger });
    // The demo password is public and printed on purpose; real credentials never pass here.
    process.stdout.write(
      `Demo accounts (password "${demo.password}"): ` +
        'compliance@, support@, admin@, alice@, bob@, carol@example.test\n',
    );

    return 0;
  } catch (error) {
    logger.error({ ...target, err: error }, 'seed failed');

    return 1;
  } finally {
    await prisma.$disconnect();
  }
}

process.exitCode = await main();
