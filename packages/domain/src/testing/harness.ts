// Builds real services over a fresh test database, the machine's Redis and a real pg-boss,
// and hands out tRPC callers acting as given users. For integration tests only.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { hash } from '@node-rs/argon2';
import { Redis } from 'ioredis';
import { fromPrisma, PgBoss } from 'pg-boss';
import { pino } from 'pino';

import type { KycStatus, Role } from '@ts/db';
import { createTestDatabase, type TestDatabase } from '@ts/db/testing';

import { generateSessionToken, sessionIdOf } from '../accounts/sessions.ts';
import { defaultConfig, type Actor, type DomainConfig, type JobQueue, type Services } from '../context.ts';
import type { PaymentsAdapter } from '../payments/adapter.ts';
import type { PushSender } from '../notifications/push.ts';
import { paymentJobNames } from '../payments/jobs.ts';
import { LocalTestPaymentsAdapter } from '../payments/local-adapter.ts';
import { createCaller } from '../router.ts';
import { LocalFileStorage } from '../storage/storage.ts';

export interface Harness {
  services: Services;
  db: TestDatabase;
  boss: PgBoss;
  /** Sets the clock every domain call reads. */
  setNow(date: Date): void;
  caller(actor: Actor | null): ReturnType<typeof createCaller>;
  createUser(input: { role?: Role; kycStatus?: KycStatus; name?: string; homeCity?: string }): Promise<Actor>;
  close(): Promise<void>;
}

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
let userCounter = 0;

/**
 * `payments` replaces the offline test adapter, e.g. with a Stripe adapter pointed at msw
 * handlers. `push` turns push notifications on, which are off without it.
 */
export async function createHarness(
  config: Partial<DomainConfig> = {},
  options: { payments?: PaymentsAdapter; push?: PushSender } = {},
): Promise<Harness> {
  const db = await createTestDatabase();
  const storageDir = await mkdtemp(path.join(tmpdir(), 'ticketswap-storage-'));
  const dbName = new URL(db.url).pathname.slice(1);
  // A key prefix per test database keeps test files from seeing each other's keys.
  const redis = new Redis(redisUrl, { keyPrefix: `${dbName}:` });
  const boss = new PgBoss({ connectionString: db.url, supervise: false, schedule: false });
  boss.on('error', () => undefined);
  await boss.start();
  // pg-boss refuses to send to a queue that does not exist; these are the ones domain calls use.
  for (const queue of ['escrow.timeout', 'escrow.reminder', 'transfers.run', 'ticket.intake', 'valuation.revalue']) {
    await boss.createQueue(queue);
  }
  for (const queue of paymentJobNames) {
    await boss.createQueue(queue);
  }

  let now = new Date();
  const jobs: JobQueue = {
    send: (name, data, options = {}) =>
      boss.send(name, data, {
        startAfter: options.startAfter,
        singletonKey: options.singletonKey,
        ...(options.tx ? { db: fromPrisma(options.tx) } : {}),
      }),
  };
  const services: Services = {
    prisma: db.prisma,
    redis,
    storage: new LocalFileStorage(storageDir),
    jobs,
    payments: options.payments ?? new LocalTestPaymentsAdapter(),
    ...(options.push ? { push: options.push } : {}),
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    config: { ...defaultConfig, ...config },
    now: () => now,
  };
  const passwordHash = await hash('correct horse battery');

  return {
    services,
    db,
    boss,
    setNow: (date) => {
      now = date;
    },
    caller: (actor) =>
      createCaller({
        services,
        actor,
        meta: { requestId: `test-${Math.random().toString(36).slice(2)}`, ipAddress: '127.0.0.1' },
        session: { set: () => undefined, clear: () => undefined },
      }),
    async createUser({ role = 'TRADER', kycStatus = 'VERIFIED', name, homeCity }) {
      userCounter += 1;
      const displayName = name ?? `User ${userCounter}`;
      const user = await db.prisma.user.create({
        data: {
          email: `user${userCounter}-${Date.now()}@example.test`,
          passwordHash,
          displayName,
          role,
          kycStatus,
          homeCity: homeCity ?? null,
        },
        select: { id: true, role: true, kycStatus: true },
      });
      const token = generateSessionToken();
      await db.prisma.session.create({
        data: { id: sessionIdOf(token), userId: user.id, expiresAt: new Date(Date.now() + 3_600_000) },
      });

      return { userId: user.id, role: user.role, kycStatus: user.kycStatus, sessionId: sessionIdOf(token) };
    },
    async close() {
      await boss.stop({ graceful: false, timeout: 1000 });
      redis.disconnect();
      await db.drop();
      await rm(storageDir, { recursive: true, force: true });
    },
  };
}
