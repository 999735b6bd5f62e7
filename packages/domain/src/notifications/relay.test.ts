import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';

import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { outboxAdminRouter } from '../admin/outbox.ts';
import { emitEvent } from '../audit/outbox.ts';
import type { Actor } from '../context.ts';
import { createHarness, type Harness } from '../testing/harness.ts';
import { createCallerFactory } from '../trpc.ts';
import type { OutboxConsumer } from './consumer.ts';
import { outboxMaxAttempts, publishOutbox } from './relay.ts';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});

afterAll(async () => {
  await h.close();
});

beforeEach(async () => {
  h.setNow(new Date());
  // Each test starts with an empty queue: events that an earlier test left waiting are marked
  // published, and parked ones are skipped by the relay anyway.
  await h.db.prisma.outboxEvent.updateMany({
    where: { publishedAt: null, parkedAt: null },
    data: { publishedAt: new Date() },
  });
});

/** Emits one event for the aggregate `User/<userId>` and returns its id. */
async function emitFor(userId: string): Promise<bigint> {
  await h.db.prisma.$transaction((tx) =>
    emitEvent(tx, { type: 'User', id: userId }, {
      type: 'user.kyc_changed',
      version: 1,
      userId,
      kycStatus: 'VERIFIED',
    }));
  const row = await h.db.prisma.outboxEvent.findFirstOrThrow({
    where: { aggregateId: userId },
    orderBy: { id: 'desc' },
    select: { id: true },
  });

  return row.id;
}

/** Builds a consumer that records the events it consumed and throws for the `poison` ones. */
function recordingConsumer(poison: Set<bigint>) {
  const consumed: bigint[] = [];
  const consumer: OutboxConsumer = {
    name: 'recording',
    versions: { 'user.kyc_changed': [1] },
    async consume(_tx, event) {
      if (poison.has(event.id)) {
        throw new Error(`consumer rejected event for reviewer alice@example.test`);
      }
      consumed.push(event.id);
    },
  };

  return { consumer, consumed };
}

function collectingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'warn' }, new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  }));

  return { logger, lines };
}

function eventRow(id: bigint) {
  return h.db.prisma.outboxEvent.findUniqueOrThrow({
    where: { id },
    select: {
      attempts: true,
      lastError: true,
      nextAttemptAt: true,
      parkedAt: true,
      publishedAt: true,
    },
  });
}

/** Runs the relay at the moment the event's backoff ends. */
async function publishWhenDue(id: bigint, consumer: OutboxConsumer, logger = pino({ level: 'silent' })) {
  const { nextAttemptAt } = await eventRow(id);
  if (nextAttemptAt) {
    h.setNow(nextAttemptAt);
  }

  return publishOutbox(h.services, { consumers: [consumer], logger });
}

describe('outbox relay with a failing event', () => {
  it('publishes other aggregates past a failing event', async () => {
    const [failing, other] = [randomUUID(), randomUUID()];
    const poisoned = await emitFor(failing);
    const behind = await emitFor(failing);
    const otherFirst = await emitFor(other);
    const otherSecond = await emitFor(other);
    const { consumer, consumed } = recordingConsumer(new Set([poisoned]));
    const now = new Date('2030-01-01T12:00:00Z');
    h.setNow(now);

    const result = await publishOutbox(h.services, { consumers: [consumer] });

    expect(result).toMatchObject({ published: 2, failed: 1, parked: 0, stoppedOnError: false });
    expect(consumed).toEqual([otherFirst, otherSecond]);
    const row = await eventRow(poisoned);
    expect(row.attempts).toBe(1);
    expect(row.publishedAt).toBeNull();
    expect(row.parkedAt).toBeNull();
    expect(row.nextAttemptAt?.getTime()).toBe(now.getTime() + 5_000);
    expect((await eventRow(behind)).publishedAt).toBeNull();
  });

  it('holds later events of the same aggregate behind it', async () => {
    const aggregate = randomUUID();
    const poisoned = await emitFor(aggregate);
    const behind = await emitFor(aggregate);
    const { consumer, consumed } = recordingConsumer(new Set([poisoned]));

    await publishOutbox(h.services, { consumers: [consumer] });
    // Due again: the failing event is retried first and fails again, so the one behind waits.
    const retried = await publishWhenDue(poisoned, consumer);

    expect(retried).toMatchObject({ published: 0, failed: 1 });
    expect(consumed).toEqual([]);
    expect((await eventRow(poisoned)).attempts).toBe(2);
    const waiting = await eventRow(behind);
    expect(waiting.publishedAt).toBeNull();
    expect(waiting.attempts).toBe(0);
  });

  it('publishes the held event once the failing one succeeds', async () => {
    const aggregate = randomUUID();
    const flaky = await emitFor(aggregate);
    const behind = await emitFor(aggregate);
    const poison = new Set([flaky]);
    const { consumer, consumed } = recordingConsumer(poison);

    await publishOutbox(h.services, { consumers: [consumer] });
    poison.clear();
    const retried = await publishWhenDue(flaky, consumer);

    expect(retried).toMatchObject({ published: 2, failed: 0 });
    expect(consumed).toEqual([flaky, behind]);
  });

  it('backs off exponentially and parks after the last attempt', async () => {
    const aggregate = randomUUID();
    const poisoned = await emitFor(aggregate);
    const behind = await emitFor(aggregate);
    const { consumer, consumed } = recordingConsumer(new Set([poisoned]));
    const { logger, lines } = collectingLogger();
    const delays: number[] = [];

    let last = await publishOutbox(h.services, { consumers: [consumer], logger });
    for (let attempt = 2; attempt <= outboxMaxAttempts; attempt += 1) {
      const before = await eventRow(poisoned);
      const failedAt = h.services.now();
      delays.push(before.nextAttemptAt!.getTime() - failedAt.getTime());
      last = await publishWhenDue(poisoned, consumer, logger);
    }

    expect(delays).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000]);
    expect(last).toMatchObject({ published: 1, failed: 1, parked: 1 });
    const parked = await eventRow(poisoned);
    expect(parked.attempts).toBe(outboxMaxAttempts);
    expect(parked.parkedAt).not.toBeNull();
    expect(parked.nextAttemptAt).toBeNull();
    expect(parked.publishedAt).toBeNull();
    // The event behind it is published in the same run that parked it.
    expect(consumed).toEqual([behind]);
    const errors = lines.filter((line) => line.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ eventId: poisoned.toString(), attempts: outboxMaxAttempts });
    expect(lines.filter((line) => line.level === 40)).toHaveLength(outboxMaxAttempts - 1);

    h.setNow(new Date(h.services.now().getTime() + 3_600_000));
    const later = await publishOutbox(h.services, { consumers: [consumer] });
    expect(later).toMatchObject({ published: 0, failed: 0 });
  });

  it('stores a short error with addresses masked', async () => {
    const poisoned = await emitFor(randomUUID());
    const { consumer } = recordingConsumer(new Set([poisoned]));

    await publishOutbox(h.services, { consumers: [consumer] });

    const { lastError } = await eventRow(poisoned);
    expect(lastError).toBe('Error: consumer rejected event for reviewer <email>');
  });

  it('undoes the writes of a consumer that hit a database error', async () => {
    const user = await h.createUser({ name: 'Before Relay' });
    const poisoned = await emitFor(user.userId);
    const failingWriter: OutboxConsumer = {
      name: 'failing-writer',
      versions: { 'user.kyc_changed': [1] },
      async consume(tx) {
        await tx.user.update({ where: { id: user.userId }, data: { displayName: 'Half Written' } });
        await tx.$executeRaw`SELECT 1 / 0`;
      },
    };

    const result = await publishOutbox(h.services, { consumers: [failingWriter] });

    expect(result).toMatchObject({ published: 0, failed: 1, stoppedOnError: false });
    const row = await eventRow(poisoned);
    expect(row.attempts).toBe(1);
    expect(row.lastError).toBe('PrismaClientKnownRequestError P2010 22012: division by zero');
    const stored = await h.db.prisma.user.findUniqueOrThrow({
      where: { id: user.userId },
      select: { displayName: true },
    });
    expect(stored.displayName).toBe('Before Relay');
  });

  it('never consumes one aggregate on two relays at once', async () => {
    const aggregate = randomUUID();
    const ids: bigint[] = [];
    for (let i = 0; i < 8; i += 1) {
      ids.push(await emitFor(aggregate));
    }
    const started: bigint[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const slow: OutboxConsumer = {
      name: 'slow',
      versions: { 'user.kyc_changed': [1] },
      async consume(_tx, event) {
        started.push(event.id);
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight -= 1;
      },
    };

    const runs = await Promise.all([
      publishOutbox(h.services, { consumers: [slow] }),
      publishOutbox(h.services, { consumers: [slow] }),
    ]);
    const rest = await publishOutbox(h.services, { consumers: [slow] });

    expect(runs[0]!.published + runs[1]!.published + rest.published).toBe(ids.length);
    expect(started).toEqual(ids);
    // The second relay finds the aggregate's next event waiting behind the locked one.
    expect(maxInFlight).toBe(1);
  });
});

describe('outbox admin router', () => {
  const callerFor = createCallerFactory(outboxAdminRouter);
  const call = (actor: Actor | null) =>
    callerFor({
      services: h.services,
      actor,
      meta: { requestId: `test-${randomUUID()}`, ipAddress: '127.0.0.1' },
      session: { set: () => undefined, clear: () => undefined },
    });

  async function parkedEvent(): Promise<bigint> {
    const id = await emitFor(randomUUID());
    await h.db.prisma.outboxEvent.update({
      where: { id },
      data: {
        attempts: outboxMaxAttempts,
        lastError: 'Error: consumer is down',
        parkedAt: h.services.now(),
      },
    });

    return id;
  }

  it('lists parked events for an admin', async () => {
    const admin = await h.createUser({ role: 'ADMIN' });
    const id = await parkedEvent();

    const list = await call(admin).parked({ page: 1, perPage: 200 });

    const listed = list.data.find((event) => event.id === id.toString());
    expect(listed).toMatchObject({
      type: 'user.kyc_changed',
      attempts: outboxMaxAttempts,
      lastError: 'Error: consumer is down',
    });
    expect(listed).not.toHaveProperty('payload');
    expect(list.total).toBeGreaterThanOrEqual(1);
  });

  it('requeues a parked event, audits it, and the relay publishes it', async () => {
    const admin = await h.createUser({ role: 'ADMIN' });
    const id = await parkedEvent();

    const requeued = await call(admin).requeue({ id: id.toString() });

    expect(requeued).toMatchObject({ id: id.toString(), attempts: 0, parkedAt: null });
    const row = await eventRow(id);
    expect(row.parkedAt).toBeNull();
    expect(row.attempts).toBe(0);
    expect(row.nextAttemptAt).toBeNull();
    const audit = await h.db.prisma.auditLog.findMany({
      where: { entityType: 'OutboxEvent', entityId: id.toString() },
      select: { action: true, actorId: true, actorRole: true, data: true },
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'outbox.requeued',
      actorId: admin.userId,
      actorRole: 'ADMIN',
      data: { attempts: outboxMaxAttempts, lastError: 'Error: consumer is down' },
    });
    const { consumer, consumed } = recordingConsumer(new Set());
    await publishOutbox(h.services, { consumers: [consumer] });
    expect(consumed).toEqual([id]);
  });

  it('rejects a second requeue of the same event', async () => {
    const admin = await h.createUser({ role: 'ADMIN' });
    const id = await parkedEvent();
    await call(admin).requeue({ id: id.toString() });

    await expect(call(admin).requeue({ id: id.toString() }))
      .rejects.toMatchObject({ code: 'CONFLICT' });
    const audits = await h.db.prisma.auditLog.count({
      where: { entityType: 'OutboxEvent', entityId: id.toString() },
    });
    expect(audits).toBe(1);
  });

  it('rejects an unknown or malformed event id', async () => {
    const admin = await h.createUser({ role: 'ADMIN' });

    await expect(call(admin).requeue({ id: '999999999999' }))
      .rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(call(admin).requeue({ id: '12; DROP' }))
      .rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('refuses traders, other staff and anonymous callers', async () => {
    const id = await parkedEvent();
    const trader = await h.createUser({ role: 'TRADER' });
    const support = await h.createUser({ role: 'SUPPORT' });

    for (const actor of [trader, support]) {
      await expect(call(actor).parked({ page: 1, perPage: 10 }))
        .rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(call(actor).requeue({ id: id.toString() }))
        .rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    await expect(call(null).requeue({ id: id.toString() }))
      .rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const row = await eventRow(id);
    expect(row.parkedAt).not.toBeNull();
    expect(row.attempts).toBe(outboxMaxAttempts);
  });
});
