import type { Logger } from 'pino';

import type { Services } from '../context.ts';
import { notificationConsumer, type OutboxConsumer, type PublishedEvent } from './consumer.ts';

export const outboxPublishJob = 'outbox.publish';

/** Consumers every published event is handed to, in this order. */
export const outboxConsumers: readonly OutboxConsumer[] = [notificationConsumer];

export interface RelayResult {
  published: number;
  /** Events at least one consumer skipped because it does not know their schema version. */
  skippedVersions: number;
  /** True when an event failed and the batch stopped, so the next run starts with it again. */
  stoppedOnError: boolean;
}

interface OutboxRow {
  id: bigint;
  type: string;
  schemaVersion: number;
  payload: unknown;
}

/**
 * Publishes unpublished outbox events in id order, one transaction per event: the row is
 * locked with SKIP LOCKED, every consumer runs, and `publishedAt` is set before the commit,
 * so an event is consumed at most once even when two relays run. An event whose consumer
 * throws rolls back alone and stops the batch, keeping the order for the next run.
 */
export async function publishOutbox(
  services: Services,
  options: { batchSize?: number; logger?: Logger; consumers?: readonly OutboxConsumer[] } = {},
): Promise<RelayResult> {
  const logger = options.logger ?? services.logger;
  const consumers = options.consumers ?? outboxConsumers;
  const batchSize = options.batchSize ?? 100;
  const result: RelayResult = { published: 0, skippedVersions: 0, stoppedOnError: false };

  while (result.published < batchSize) {
    let row: OutboxRow | undefined;
    try {
      row = await services.prisma.$transaction(async (tx) => {
        const [locked] = await tx.$queryRaw<OutboxRow[]>`
          SELECT id, type, "schemaVersion", payload FROM "OutboxEvent"
          WHERE "publishedAt" IS NULL
          ORDER BY id
          LIMIT 1
          FOR UPDATE SKIP LOCKED`;
        if (!locked) {
          return undefined;
        }

        const event: PublishedEvent = {
          id: locked.id,
          type: locked.type,
          schemaVersion: locked.schemaVersion,
          payload: (locked.payload ?? {}) as Record<string, unknown>,
        };
        const now = services.now();
        for (const consumer of consumers) {
          const known = consumer.versions[event.type];
          if (!known) {
            continue;
          }
          if (!known.includes(event.schemaVersion)) {
            // A newer producer than this consumer: skipping keeps the queue moving, and the
            // log says which events a redeployed consumer would have to replay.
            logger.warn(
              { eventId: event.id.toString(), type: event.type, version: event.schemaVersion,
                consumer: consumer.name },
              'outbox event has an unknown schema version; skipped',
            );
            result.skippedVersions += 1;
            continue;
          }
          await consumer.consume(tx, event, now);
        }
        await tx.outboxEvent.update({ where: { id: event.id }, data: { publishedAt: now } });

        return locked;
      });
    } catch (err) {
      // NOTE: an event that always fails blocks the ones after it; OutboxEvent has no
      // attempts column to park it after N tries, so the error log is the alarm.
      logger.error({ err }, 'publishing an outbox event failed; it is retried on the next run');
      result.stoppedOnError = true;
      break;
    }
    if (!row) {
      break;
    }
    result.published += 1;
  }

  return result;
}
