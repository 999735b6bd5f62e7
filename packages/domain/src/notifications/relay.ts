import type { Logger } from 'pino';

import type { Tx } from '@ts/db';

import type { Services } from '../context.ts';
import { notificationConsumer, type OutboxConsumer, type PublishedEvent } from './consumer.ts';

export const outboxPublishJob = 'outbox.publish';

/** Consumers every published event is handed to, in this order. */
export const outboxConsumers: readonly OutboxConsumer[] = [notificationConsumer];

/** Failed attempts after which an event is parked until staff requeue it. */
export const outboxMaxAttempts = 8;
/** Wait after the first failed attempt; it doubles after each further failure. */
const firstRetryDelayMs = 5_000;
const maxRetryDelayMs = 5 * 60_000;
const lastErrorMaxLength = 200;

export interface RelayResult {
  published: number;
  /** Events at least one consumer skipped because it does not know their schema version. */
  skippedVersions: number;
  /** Events whose consumer threw in this run; each is tried again after a backoff. */
  failed: number;
  /** Events parked in this run because they reached `outboxMaxAttempts`. */
  parked: number;
  /** True when an error outside the consumers, such as a lost connection, ended the run early. */
  stoppedOnError: boolean;
}

interface OutboxRow {
  id: bigint;
  type: string;
  schemaVersion: number;
  payload: unknown;
  aggregateType: string;
  aggregateId: string;
  attempts: number;
}

type Attempt =
  | { outcome: 'none' }
  | { outcome: 'published'; skippedVersions: number }
  | { outcome: 'failed' | 'parked' };

interface RelayOptions {
  batchSize?: number;
  logger?: Logger;
  consumers?: readonly OutboxConsumer[];
}

/**
 * Publishes due outbox events in id order, one transaction per event. The row is locked with
 * SKIP LOCKED, every consumer runs, and `publishedAt` is set before the commit. So an event is
 * consumed at most once even when two relays run.
 *
 * An event whose consumer throws is rolled back alone and tried again after an exponential
 * backoff, while other events go on. Later events of the same aggregate wait behind it, so a
 * trade's notices keep their order. After `outboxMaxAttempts` failures the event is parked, and
 * the events behind it go on.
 */
export async function publishOutbox(
  services: Services,
  options: RelayOptions = {},
): Promise<RelayResult> {
  const logger = options.logger ?? services.logger;
  const consumers = options.consumers ?? outboxConsumers;
  const batchSize = options.batchSize ?? 100;
  const result: RelayResult = {
    published: 0,
    skippedVersions: 0,
    failed: 0,
    parked: 0,
    stoppedOnError: false,
  };

  // Failed attempts count toward the batch too, so a run always ends.
  for (let attempted = 0; attempted < batchSize; attempted += 1) {
    let attempt: Attempt;
    try {
      attempt = await services.prisma.$transaction((tx) =>
        publishNextEvent(tx, services.now(), consumers, logger));
    } catch (err) {
      logger.error({ err }, 'outbox relay stopped by an error; the next run continues');
      result.stoppedOnError = true;
      break;
    }

    if (attempt.outcome === 'none') {
      break;
    }
    if (attempt.outcome === 'published') {
      result.published += 1;
      result.skippedVersions += attempt.skippedVersions;
    } else {
      result.failed += 1;
      result.parked += attempt.outcome === 'parked' ? 1 : 0;
    }
  }

  return result;
}

/**
 * Locks the oldest due event that no earlier unpublished, unparked event of its aggregate is
 * waiting ahead of. An earlier event that another relay holds locked counts as waiting too, so
 * two relays cannot publish one aggregate's events out of order.
 */
async function lockNextEvent(tx: Tx, now: Date): Promise<OutboxRow | undefined> {
  const [row] = await tx.$queryRaw<OutboxRow[]>`
    SELECT e.id, e.type, e."schemaVersion", e.payload, e."aggregateType", e."aggregateId",
      e.attempts
    FROM "OutboxEvent" e
    WHERE e."publishedAt" IS NULL AND e."parkedAt" IS NULL
      AND (e."nextAttemptAt" IS NULL OR e."nextAttemptAt" <= ${now})
      AND NOT EXISTS (
        SELECT 1 FROM "OutboxEvent" earlier
        WHERE earlier."aggregateType" = e."aggregateType"
          AND earlier."aggregateId" = e."aggregateId"
          AND earlier.id < e.id
          AND earlier."publishedAt" IS NULL
          AND earlier."parkedAt" IS NULL)
    ORDER BY e.id
    LIMIT 1
    FOR UPDATE OF e SKIP LOCKED`;

  return row;
}

async function publishNextEvent(
  tx: Tx,
  now: Date,
  consumers: readonly OutboxConsumer[],
  logger: Logger,
): Promise<Attempt> {
  const row = await lockNextEvent(tx, now);
  if (!row) {
    return { outcome: 'none' };
  }

  const event: PublishedEvent = {
    id: row.id,
    type: row.type,
    schemaVersion: row.schemaVersion,
    payload: (row.payload ?? {}) as Record<string, unknown>,
  };
  // The savepoint rolls back only the consumers' writes, so the failure is recorded while this
  // transaction still holds the row lock.
  await tx.$executeRaw`SAVEPOINT outbox_consumers`;
  let skippedVersions: number;
  try {
    skippedVersions = await runConsumers(tx, event, now, consumers, logger);
  } catch (err) {
    await tx.$executeRaw`ROLLBACK TO SAVEPOINT outbox_consumers`;

    return recordFailure(tx, row, err, now, logger);
  }

  await tx.outboxEvent.update({ where: { id: event.id }, data: { publishedAt: now } });

  return { outcome: 'published', skippedVersions };
}

/** Hands the event to each consumer of its type and returns how many skipped its version. */
async function runConsumers(
  tx: Tx,
  event: PublishedEvent,
  now: Date,
  consumers: readonly OutboxConsumer[],
  logger: Logger,
): Promise<number> {
  let skippedVersions = 0;
  for (const consumer of consumers) {
    const known = consumer.versions[event.type];
    if (!known) {
      continue;
    }
    if (!known.includes(event.schemaVersion)) {
      // A newer producer than this consumer: skipping keeps the queue moving, and the log
      // names the events a redeployed consumer would have to replay.
      logger.warn(
        { eventId: event.id.toString(), type: event.type, version: event.schemaVersion,
          consumer: consumer.name },
        'outbox event has an unknown schema version; skipped',
      );
      skippedVersions += 1;
      continue;
    }
    await consumer.consume(tx, event, now);
  }

  return skippedVersions;
}

async function recordFailure(
  tx: Tx,
  row: OutboxRow,
  err: unknown,
  now: Date,
  logger: Logger,
): Promise<Attempt> {
  const attempts = row.attempts + 1;
  const lastError = summarizeConsumerError(err);
  const parked = attempts >= outboxMaxAttempts;
  const nextAttemptAt = parked ? null : new Date(now.getTime() + outboxRetryDelayMs(attempts));
  await tx.outboxEvent.update({
    where: { id: row.id },
    data: { attempts, lastError, nextAttemptAt, parkedAt: parked ? now : null },
  });

  const ids = {
    eventId: row.id.toString(),
    type: row.type,
    aggregateType: row.aggregateType,
    aggregateId: row.aggregateId,
    attempts,
  };
  if (parked) {
    logger.error(
      { ...ids, err, lastError },
      'outbox event parked after its last failed attempt; staff can requeue it',
    );

    return { outcome: 'parked' };
  }
  logger.warn({ ...ids, err, nextAttemptAt }, 'outbox event failed; it is tried again later');

  return { outcome: 'failed' };
}

/** Milliseconds before the next try after `attempts` failures: 5 s, 10 s, 20 s, ... up to 5 min. */
export function outboxRetryDelayMs(attempts: number): number {
  return Math.min(maxRetryDelayMs, firstRetryDelayMs * 2 ** (attempts - 1));
}

/** Shape of a Prisma error from the pg driver adapter, which carries the Postgres error. */
interface PrismaDriverError {
  meta?: { driverAdapterError?: { cause?: { code?: unknown; message?: unknown } } };
}

/**
 * Returns a one-line summary of a consumer error for `lastError`, which staff read in the
 * console: the error's name and code and the first line of its message, with e-mail addresses
 * and runs of 6 or more digits masked. A Prisma error that Postgres raised contributes the
 * SQLSTATE and the Postgres message in place of Prisma's own. The full error is only logged.
 */
export function summarizeConsumerError(err: unknown): string {
  const error = err instanceof Error ? err : new Error(String(err));
  const postgres = (error as PrismaDriverError).meta?.driverAdapterError?.cause;
  const codes = [(error as { code?: unknown }).code, postgres?.code]
    .filter((code): code is string => typeof code === 'string' && code !== '');
  const message = typeof postgres?.message === 'string' ? postgres.message : error.message;
  const firstLine = message.split('\n').map((line) => line.trim()).find(Boolean) ?? '';
  const masked = firstLine
    .replace(/[^\s@<>()"'`]+@[^\s@<>()"'`]+/g, '<email>')
    .replace(/\d{6,}/g, '<number>');
  const prefix = [error.name, ...codes].join(' ');
  const summary = masked ? `${prefix}: ${masked}` : prefix;

  return summary.length > lastErrorMaxLength
    ? `${summary.slice(0, lastErrorMaxLength - 3)}...`
    : summary;
}
