import type { Queue } from 'pg-boss';
import type { Logger } from 'pino';
import { z } from 'zod';

import { escrowTimeoutJob, runMatchingTick, timeOutTrade, type Services } from '@ts/domain';

export interface JobDefinition<T> {
  name: string;
  payload: z.ZodType<T>;
  queue: Omit<Queue, 'name'>;
  handle(services: Services, data: T, logger: Logger): Promise<void>;
}

/** A matching tick per interval slot; `exclusive` keeps one queued or running across processes. */
export const matchingTick: JobDefinition<{ tickId: string }> = {
  name: 'matching.tick',
  payload: z.object({ tickId: z.string().min(1).max(100) }),
  queue: { policy: 'exclusive', retryLimit: 2, retryDelay: 1, expireInSeconds: 120 },
  async handle(services, data, logger) {
    const result = await runMatchingTick(services, data.tickId);
    if (!result.skipped && (result.proposalsCreated > 0 || result.proposalsExpired > 0)) {
      logger.info(result, 'matching tick finished');
    }
  },
};

/** Returns both tickets of a trade whose transfers were not confirmed by its deadline. */
export const escrowTimeout: JobDefinition<{ tradeId: string }> = {
  name: escrowTimeoutJob,
  payload: z.object({ tradeId: z.uuid() }),
  queue: {
    policy: 'standard',
    retryLimit: 10,
    retryDelay: 30,
    retryBackoff: true,
    expireInSeconds: 300,
    deadLetter: 'jobs.dead',
  },
  async handle(services, data, logger) {
    const timedOut = await timeOutTrade(services, data.tradeId);
    logger.info({ tradeId: data.tradeId, timedOut }, 'escrow deadline checked');
  },
};

export const jobDefinitions = [matchingTick, escrowTimeout] as const;
