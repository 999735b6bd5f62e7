import { fromPrisma, PgBoss } from 'pg-boss';
import type { Logger } from 'pino';

import type { JobQueue, Services } from '@ts/domain';

import {
  jobDefinitions,
  jobHeartbeatRefreshSeconds,
  matchingTick,
  type JobDefinition,
} from './definitions.ts';
import { workerAdapters } from './adapters.ts';
import { notificationsDeliver, outboxPublish } from './notification-jobs.ts';

/**
 * Seconds between pg-boss supervise passes (pg-boss 12 defaults to 60). Each pass fails the jobs
 * whose heartbeat went stale, so a job of a killed worker is failed into retry within its queue's
 * `heartbeatSeconds` plus this interval.
 */
export const superviseIntervalSeconds = 10;

export async function startBoss(databaseUrl: string, logger: Logger): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: databaseUrl,
    superviseIntervalSeconds,
    // The monitor pass (expiry and heartbeat checks) runs at most this often per queue.
    monitorIntervalSeconds: superviseIntervalSeconds,
  });
  // Only the message and code: the full error object carries connection internals and keys.
  // 57P01 is Postgres shutting down, expected when the embedded server stops with the process.
  boss.on('error', (err: Error & { code?: string }) => {
    if (err.code === '57P01') {
      logger.warn({ code: err.code }, 'pg-boss lost its connection: the database is shutting down');
    } else {
      logger.error({ error: err.message, code: err.code }, 'pg-boss error');
    }
  });
  await boss.start();
  await boss.createQueue('jobs.dead', { policy: 'standard' });
  for (const definition of jobDefinitions) {
    await createOrUpdateQueue(boss, definition, logger);
  }

  return boss;
}

/**
 * Creates a job's queue, or brings an existing one up to its current settings. `createQueue`
 * leaves an existing queue as it is, and an embedded database keeps the queues of the version
 * that created them across upgrades.
 */
async function createOrUpdateQueue(boss: PgBoss, definition: JobDefinition<unknown>, logger: Logger) {
  const existing = await boss.getQueue(definition.name);
  if (!existing) {
    await boss.createQueue(definition.name, definition.queue);

    return;
  }

  // pg-boss cannot change a queue's policy or partitioning after creation.
  const { policy = 'standard', partition: _partition, ...settings } = definition.queue;
  if (existing.policy !== policy) {
    logger.warn(
      { queue: definition.name, policy: existing.policy, expectedPolicy: policy },
      'queue keeps the policy it was created with; delete the queue to change it',
    );
  }
  // NOTE: pg-boss copies heartbeatSeconds onto each job when it is sent, so jobs queued before
  // the upgrade still wait for their expiry if their worker dies.
  await boss.updateQueue(definition.name, settings);
}

/** Adapts pg-boss to the domain's queue; a `tx` option enqueues inside that transaction. */
export function bossJobQueue(boss: PgBoss): JobQueue {
  return {
    send(name, data, options = {}) {
      return boss.send(name, data, {
        startAfter: options.startAfter,
        singletonKey: options.singletonKey,
        ...(options.tx ? { db: fromPrisma(options.tx) } : {}),
      });
    },
  };
}

async function register<T>(boss: PgBoss, services: Services, definition: JobDefinition<T>) {
  const options = { heartbeatRefreshSeconds: jobHeartbeatRefreshSeconds };
  await boss.work<unknown>(definition.name, options, async (jobs) => {
    for (const job of jobs) {
      const logger = services.logger.child({ jobId: job.id, job: definition.name });
      const data = definition.payload.parse(job.data);
      try {
        const attempt = { id: job.id, retryCount: job.retryCount };
        await definition.handle(services, data, logger, attempt);
      } catch (err) {
        logger.error({ err }, 'job failed; pg-boss will retry it');
        throw err;
      }
    }
  });
}

/**
 * Starts the workers and the matching clock. Every process may run the clock: the tick id is the
 * interval slot and the queue is exclusive, so the same slot never runs twice.
 */
export async function startWorkers(
  boss: PgBoss,
  services: Services,
  matchingIntervalMs: number,
): Promise<() => void> {
  for (const definition of jobDefinitions) {
    await register(boss, services, definition);
  }

  const enqueueTick = async () => {
    const slot = Math.floor(Date.now() / matchingIntervalMs);
    try {
      await boss.send(matchingTick.name, { tickId: `tick-${matchingIntervalMs}-${slot}` }, {
        singletonKey: 'matching',
      });
    } catch (err) {
      services.logger.error({ err }, 'could not enqueue the matching tick');
    }
  };
  const timer = setInterval(enqueueTick, matchingIntervalMs);
  void enqueueTick();
  const stopDeliveryClock = startDeliveryClock(boss, services);

  return () => {
    clearInterval(timer);
    stopDeliveryClock();
  };
}

/**
 * Enqueues the outbox relay and the e-mail delivery every second, the way the matching tick
 * is enqueued: exclusive queues keep one of each queued or running across all processes.
 */
function startDeliveryClock(boss: PgBoss, services: Services): () => void {
  const intervalMs = 1000;
  workerAdapters(services.logger);
  const enqueue = async () => {
    const slot = String(Math.floor(Date.now() / intervalMs));
    for (const definition of [outboxPublish, notificationsDeliver]) {
      try {
        await boss.send(definition.name, { slot }, { singletonKey: definition.name });
      } catch (err) {
        services.logger.error({ err, job: definition.name }, 'could not enqueue a clock job');
      }
    }
  };
  const timer = setInterval(enqueue, intervalMs);
  void enqueue();

  return () => clearInterval(timer);
}
