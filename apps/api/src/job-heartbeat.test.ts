// Checks pg-boss's job heartbeat end to end: a worker process is SIGKILLed in the middle of a
// job, and a new worker retries that job before the queue's expiry would have released it. A
// job that outlives its heartbeat interval on a live worker is left alone.
//
// The job is the outbox relay (`outbox.publish`). A table lock held by the test stops it at its
// first statement, so it stays active for as long as the test needs.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { PgBoss } from 'pg-boss';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { createTestDatabase, type TestDatabase } from '@ts/db/testing';

import { startBoss, superviseIntervalSeconds } from './jobs/boss.ts';
import { jobDefinitions, jobHeartbeatSeconds } from './jobs/definitions.ts';
import { holdLock, type LockGate } from './testing/lock-gate.ts';
import { ProductProcess } from './testing/product-process.ts';

const queue = 'outbox.publish';
const blockRelay = 'LOCK TABLE "OutboxEvent" IN EXCLUSIVE MODE';

interface JobRow {
  id: string;
  state: string;
  retryCount: number;
  startedOn: Date;
  heartbeatOn: Date | null;
  heartbeatSeconds: number | null;
  expireSeconds: number;
}

let db: TestDatabase;
let dataDir: string;
let worker: ProductProcess;
const gates: LockGate[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Polls `read` until `done` returns true. The deadline only bounds a hung run. */
async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean) {
  const deadline = Date.now() + 90_000;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}\n` +
        worker.recentOutput());
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
    value = await read();
  }

  return value;
}

async function jobsOfQueue(where: { id?: string; state?: string }): Promise<JobRow[]> {
  return db.prisma.$queryRaw<JobRow[]>`
    SELECT id::text, state::text, retry_count AS "retryCount", started_on AS "startedOn",
      heartbeat_on AS "heartbeatOn", heartbeat_seconds AS "heartbeatSeconds",
      expire_seconds AS "expireSeconds"
    FROM pgboss.job
    WHERE name = ${queue}
      AND (${where.id ?? null}::uuid IS NULL OR id = ${where.id ?? null}::uuid)
      AND (${where.state ?? null}::text IS NULL OR state::text = ${where.state ?? null}::text)`;
}

/** Blocks the relay with a table lock and returns the job that is waiting on it. */
async function blockedRelayJob(): Promise<{ gate: LockGate; job: JobRow }> {
  const gate = await holdLock(db.prisma, blockRelay);
  gates.push(gate);
  await gate.waitUntilSomeoneWaits(30_000);
  const active = await jobsOfQueue({ state: 'active' });
  expect(active).toHaveLength(1);

  return { gate, job: active[0]! };
}

/** When the last monitor pass (expiry and heartbeat checks) claimed the queue. */
async function monitorClaimedOn(): Promise<Date | null> {
  const [row] = await db.prisma.$queryRaw<{ claimedOn: Date | null }[]>`
    SELECT monitor_claim_on AS "claimedOn" FROM pgboss.queue WHERE name = ${queue}`;

  return row?.claimedOn ?? null;
}

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = await mkdtemp(path.join(tmpdir(), 'ticketswap-heartbeat-'));
  worker = new ProductProcess({
    name: 'worker', port: await freePort(), databaseUrl: db.url, dataDir, runWorkers: true,
  });
  await worker.start();
});

afterEach(async () => {
  for (const gate of gates.splice(0)) {
    await gate.release().catch(() => undefined);
  }
});

afterAll(async () => {
  await worker?.kill();
  await db?.drop();
  if (dataDir) {
    await rm(dataDir, { recursive: true, force: true });
  }
});

describe('job heartbeat', { timeout: 150_000 }, () => {
  it('keeps a live job past its heartbeat interval', async () => {
    const { gate, job } = await blockedRelayJob();
    expect(job.heartbeatSeconds).toBe(jobHeartbeatSeconds);
    expect(job.retryCount).toBe(0);

    // A monitor pass that claimed the queue after the job's first heartbeat went stale would
    // have failed it without refreshes. The next claim shows that pass has finished.
    const staleAt = job.startedOn.getTime() + (jobHeartbeatSeconds + 1) * 1000;
    const lateClaim = await waitFor('a monitor pass after the heartbeat interval', monitorClaimedOn,
      (claimedOn) => claimedOn !== null && claimedOn.getTime() > staleAt);
    await waitFor('the next monitor pass', monitorClaimedOn,
      (claimedOn) => claimedOn !== null && claimedOn.getTime() > lateClaim!.getTime());

    const [still] = await jobsOfQueue({ id: job.id });
    expect(still?.state).toBe('active');
    expect(still?.retryCount).toBe(0);
    expect(still?.heartbeatOn?.getTime()).toBeGreaterThan(staleAt - jobHeartbeatSeconds * 1000);

    await gate.release();
    const [done] = await waitFor('the relay job to complete', () => jobsOfQueue({ id: job.id }),
      (rows) => rows[0]?.state === 'completed');
    expect(done?.retryCount).toBe(0);
  });

  it('retries the job of a killed worker before its expiry', async () => {
    const { gate, job } = await blockedRelayJob();
    expect(job.heartbeatSeconds).toBe(jobHeartbeatSeconds);
    expect(job.expireSeconds).toBeGreaterThan(jobHeartbeatSeconds + 2 * superviseIntervalSeconds);

    await worker.kill();
    // Freed only after the kill, so the killed worker's transaction can never commit.
    await gate.release();
    await worker.start();

    const [retried] = await waitFor('the relay job to be retried and completed',
      () => jobsOfQueue({ id: job.id }),
      (rows) => rows[0]?.state === 'completed');
    expect(retried?.retryCount).toBe(1);
    // started_on is the retry's start: the first attempt's expiry had not yet passed by then,
    // so the heartbeat check, not the expiry, failed the first attempt.
    const expiresAt = job.startedOn.getTime() + job.expireSeconds * 1000;
    expect(retried!.startedOn.getTime()).toBeLessThan(expiresAt);
    expect(retried!.startedOn.getTime()).toBeGreaterThan(job.startedOn.getTime());
  });
});

describe('queues of an earlier version', () => {
  let upgraded: TestDatabase;

  beforeAll(async () => {
    upgraded = await createTestDatabase();
  });

  afterAll(async () => {
    await upgraded?.drop();
  });

  it('gain the heartbeat and current settings at start', async () => {
    const earlier = new PgBoss({ connectionString: upgraded.url, supervise: false, schedule: false });
    earlier.on('error', () => undefined);
    await earlier.start();
    await earlier.createQueue('jobs.dead');
    for (const definition of jobDefinitions) {
      const { heartbeatSeconds: _heartbeat, ...settings } = definition.queue;
      await earlier.createQueue(definition.name, { ...settings, expireInSeconds: 60 });
    }
    await earlier.stop({ graceful: false, timeout: 1000 });

    const boss = await startBoss(upgraded.url, pino({ level: 'silent' }));
    try {
      for (const definition of jobDefinitions) {
        const stored = await boss.getQueue(definition.name);
        expect(stored?.heartbeatSeconds, definition.name).toBe(jobHeartbeatSeconds);
        expect(stored?.expireInSeconds, definition.name).toBe(definition.queue.expireInSeconds);
      }
    } finally {
      await boss.stop({ graceful: false, timeout: 1000 });
    }
  });
});
