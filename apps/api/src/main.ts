import { applyMigrations } from '@ts/db/migrate';
import { createPrisma } from '@ts/db';
import { seedCatalogue, seedDemo } from '@ts/db/seed';
import { defaultConfig, LocalFileStorage, type Services } from '@ts/domain';
import path from 'node:path';

import { bossJobQueue, startBoss, startWorkers } from './jobs/boss.ts';
import { loadConfig, repoRoot } from './config.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres.ts';
import { createLogger } from './logger.ts';
import { connectRedis } from './redis.ts';
import { seedDemoTickets } from './demo-tickets.ts';
import { buildServer } from './server.ts';

/**
 * Starts the whole product in one process: database (embedded when DATABASE_URL is unset),
 * migrations, demo data, Redis, the pg-boss workers and the HTTP server with both apps.
 */
async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const stops: (() => Promise<unknown> | unknown)[] = [];

  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const port = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
    embedded = await startEmbeddedPostgres(config.dataDir, port, logger);
    databaseUrl = embedded.url;
  }

  const applied = await applyMigrations(databaseUrl);
  logger.info({ applied }, applied.length ? 'migrations applied' : 'database schema up to date');

  const prisma = createPrisma(databaseUrl);
  const redis = await connectRedis(config.redisUrl, config.allowRedisFallback, logger);
  const boss = await startBoss(databaseUrl, logger);
  const services: Services = {
    prisma,
    redis,
    storage: new LocalFileStorage(config.storageDir),
    jobs: bossJobQueue(boss),
    logger,
    config: { ...defaultConfig, proposalTtlMinutes: Number(process.env.PROPOSAL_TTL_MINUTES ?? defaultConfig.proposalTtlMinutes) },
    now: () => new Date(),
  };

  if (config.seedDemo) {
    await seedCatalogue(prisma, { dataDir: path.join(repoRoot, 'data'), logger });
    const demo = await seedDemo(prisma, { logger });
    await seedDemoTickets(services, demo);
    logger.info(
      { accounts: 'alice@, bob@, carol@, compliance@, support@, admin@example.test' },
      `demo accounts ready; their shared demo password is "${demo.password}"`,
    );
  }

  if (config.runWorkers) {
    const stopClock = await startWorkers(boss, services, config.matchingIntervalMs);
    stops.push(stopClock);
  }

  const server = await buildServer(services, config);
  await server.listen({ port: config.port, host: config.host });
  logger.info({ url: `http://${config.host}:${config.port}/` }, 'ticket swap is running');

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    for (const stop of stops) {
      await stop();
    }
    await server.close();
    await boss.stop({ graceful: true, timeout: 5000 });
    await prisma.$disconnect();
    redis.disconnect();
    await embedded?.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
