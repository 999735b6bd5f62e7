import { applyMigrations } from '@ts/db/migrate';
import { createPrisma } from '@ts/db';
import { seedCatalogue, seedDemo } from '@ts/db/seed';
import {
  defaultConfig,
  LocalFileStorage,
  S3FileStorage,
  type FileStorage,
  type Services,
} from '@ts/domain';
import {
  LocalTestPaymentsAdapter,
  StripePaymentsAdapter,
  type PaymentsAdapter,
} from '@ts/domain/payments/index';
import {
  loadOrCreateVapidKeys,
  WebPushSender,
  type PushSender,
} from '@ts/domain/notifications/index';
import { queueModelRevalue } from '@ts/domain/valuation/index';
import type { Logger } from 'pino';
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
  const push = await createPush(config.dataDir, logger);
  const services: Services = {
    prisma,
    redis,
    storage: createStorage(config.storageDir, logger),
    payments: createPayments(logger),
    jobs: bossJobQueue(boss),
    ...(push ? { push } : {}),
    logger,
    config: {
      ...defaultConfig,
      proposalTtlMinutes: Number(process.env.PROPOSAL_TTL_MINUTES ?? defaultConfig.proposalTtlMinutes),
      appOrigin: config.publicOrigin,
    },
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
    // Listed tickets valued by an older model version are valued again by the served one.
    await queueModelRevalue(services);
  }

  const server = await buildServer(services, config);
  await server.listen({ port: config.port, host: config.host });
  logger.info({ url: `http://${config.host}:${config.port}/` }, 'ticket swap is running');

  // Workers and the server stop before the database, so no job loses its connection mid-run.
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
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

/** Uses Stripe when STRIPE_SECRET_KEY is set, else the offline test adapter that needs no card. */
function createPayments(logger: Logger): PaymentsAdapter {
  const secretKey = process.env.STRIPE_SECRET_KEY?.trim();
  if (!secretKey) {
    logger.warn('payments run in local test mode: no STRIPE_SECRET_KEY, no card is charged');
    // For trying out trader debt: every payout reversal fails as if the trader had withdrawn it.
    const rejectReversals = process.env.TEST_PAYMENTS_REJECT_REVERSALS === '1';
    if (rejectReversals) {
      logger.warn('TEST_PAYMENTS_REJECT_REVERSALS=1: test-mode payout reversals are rejected');
    }

    return new LocalTestPaymentsAdapter(rejectReversals ? { rejectReversal: () => true } : {});
  }

  const publishableKey = process.env.STRIPE_PUBLISHABLE_KEY?.trim() || null;
  const adapter = new StripePaymentsAdapter({ secretKey, publishableKey });
  logger.info({ testMode: adapter.testMode }, 'payments go through Stripe');
  if (!process.env.STRIPE_WEBHOOK_SECRET?.trim()) {
    logger.warn('STRIPE_WEBHOOK_SECRET is not set; Stripe webhook deliveries will be rejected');
  }

  return adapter;
}

/**
 * Builds the Web Push sender from VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT. Without
 * the keys it uses a key pair generated once into `<DATA_DIR>/vapid-keys.json`, so browser
 * subscriptions survive restarts. WEB_PUSH=0 turns push notifications off. PUSH_ALLOWED_HOSTS
 * (comma-separated) adds push service hosts to the known browser ones.
 */
async function createPush(dataDir: string, logger: Logger): Promise<PushSender | null> {
  const setting = process.env.WEB_PUSH?.trim().toLowerCase();
  if (setting === '0' || setting === 'false' || setting === 'off') {
    logger.info('push notifications are off: WEB_PUSH is set to off');

    return null;
  }

  const publicKey = process.env.VAPID_PUBLIC_KEY?.trim();
  const privateKey = process.env.VAPID_PRIVATE_KEY?.trim();
  if (Boolean(publicKey) !== Boolean(privateKey)) {
    throw new Error('set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither');
  }
  let keys = publicKey && privateKey ? { publicKey, privateKey } : null;
  if (!keys) {
    const file = path.join(dataDir, 'vapid-keys.json');
    const stored = await loadOrCreateVapidKeys(file);
    logger.info(
      { file, created: stored.created },
      'VAPID_PUBLIC_KEY is unset; push notifications use the key pair stored in the data folder',
    );
    keys = { publicKey: stored.publicKey, privateKey: stored.privateKey };
  }

  const subject = process.env.VAPID_SUBJECT?.trim() || 'mailto:push@ticketswap.invalid';
  if (!process.env.VAPID_SUBJECT?.trim()) {
    logger.warn({ subject }, 'VAPID_SUBJECT is unset; push services get a placeholder contact');
  }
  const allowedHosts = (process.env.PUSH_ALLOWED_HOSTS ?? '')
    .split(',')
    .map((host) => host.trim())
    .filter(Boolean);
  logger.info({ publicKey: keys.publicKey, allowedHosts }, 'push notifications are on');

  return new WebPushSender({ ...keys, subject }, { allowedHosts });
}

/** Uses the S3 bucket named by S3_BUCKET when it is set, else the local storage folder. */
function createStorage(storageDir: string, logger: Logger): FileStorage {
  const bucket = process.env.S3_BUCKET?.trim();
  if (!bucket) {
    logger.info({ storageDir }, 'ticket files are stored in a local folder');

    return new LocalFileStorage(storageDir);
  }

  const region = process.env.S3_REGION?.trim() || 'us-east-1';
  const endpoint = process.env.S3_ENDPOINT?.trim() || undefined;
  logger.info({ bucket, region, endpoint: endpoint ?? 'AWS' }, 'ticket files are stored in S3');

  return new S3FileStorage({ bucket, region, endpoint });
}

main().catch((error: unknown) => {
  // embedded-postgres rejects with no error object when its server process exits at start,
  // which in practice means another copy already runs on the same data folder or port.
  const message = error instanceof Error
    ? error.message
    : 'the embedded Postgres did not start; is another copy running with the same DATA_DIR ' +
      'or EMBEDDED_PG_PORT?';
  console.error(`ticket swap failed to start: ${message}`);
  if (error instanceof Error && error.stack) {
    console.error(error.stack);
  }
  process.exit(1);
});
