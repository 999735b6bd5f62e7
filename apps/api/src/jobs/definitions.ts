import type { Queue } from 'pg-boss';
import type { Logger } from 'pino';
import { z } from 'zod';

import {
  escrowTimeoutJob,
  failTicketIntake,
  processTicketIntake,
  runMatchingTick,
  ticketIntakeJob,
  timeOutTrade,
  type Services,
} from '@ts/domain';
import { resumePendingTopUps } from '@ts/domain/payments/index';
import { revalueJobName, revalueListedTickets } from '@ts/domain/valuation/index';

import { notificationJobDefinitions } from './notification-jobs.ts';
import { paymentJobDefinitions } from './payment-jobs.ts';
import { selectOcrEngine } from './ocr.ts';

/** Which attempt of a job a handler is running; `retryCount` is 0 on the first. */
export interface JobAttempt {
  id: string;
  retryCount: number;
}

export interface JobDefinition<T> {
  name: string;
  payload: z.ZodType<T>;
  queue: Omit<Queue, 'name'>;
  handle(services: Services, data: T, logger: Logger, attempt: JobAttempt): Promise<void>;
}

/** A matching tick per interval slot; `exclusive` keeps one queued or running across processes. */
export const matchingTick: JobDefinition<{ tickId: string }> = {
  name: 'matching.tick',
  payload: z.object({ tickId: z.string().min(1).max(100) }),
  queue: { policy: 'exclusive', retryLimit: 2, retryDelay: 1, expireInSeconds: 120 },
  async handle(services, data, logger) {
    const result = await runMatchingTick(services, data.tickId);
    // The tick also picks up accepted top-up proposals whose hold a crash interrupted.
    const resumed = await resumePendingTopUps(services);
    if (resumed > 0) {
      logger.info({ resumed }, 'pending top-ups requested again');
    }
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

const ticketIntakeRetries = 3;

/** Reads an uploaded ticket's barcode and text; the last failed attempt fails the intake. */
export const ticketIntake: JobDefinition<{ ticketId: string }> = {
  name: ticketIntakeJob,
  payload: z.object({ ticketId: z.uuid() }),
  queue: {
    policy: 'standard',
    retryLimit: ticketIntakeRetries,
    retryDelay: 5,
    retryBackoff: true,
    // OCR of a 20-page scanned PDF runs for a few minutes on one core.
    expireInSeconds: 600,
    deadLetter: 'jobs.dead',
  },
  async handle(services, data, logger, attempt) {
    try {
      const ocrEngine = selectOcrEngine(services.logger);
      const outcome = await processTicketIntake(services, data.ticketId, { logger, ocrEngine });
      logger.info({ ticketId: data.ticketId, outcome }, 'ticket intake finished');
    } catch (err) {
      if (attempt.retryCount >= ticketIntakeRetries) {
        await failTicketIntake(services, data.ticketId,
          'The ticket could not be read because of an error on our side. Upload it again.');
      }
      throw err;
    }
  },
};

/**
 * Revalues listed tickets: of one event after its demand moved (views are recorded with a
 * job queued per event), or of every upcoming event when a new model version is served. A
 * ticket whose model version and inputs did not move is skipped, so a rerun changes nothing.
 */
export const valuationRevalue: JobDefinition<{ eventId?: string; modelVersion?: string }> = {
  name: revalueJobName,
  payload: z.object({ eventId: z.uuid().optional(), modelVersion: z.string().max(100).optional() }),
  // One queued job per singleton key (the event, or the model version) at a time.
  queue: {
    policy: 'short',
    retryLimit: 3,
    retryDelay: 30,
    retryBackoff: true,
    expireInSeconds: 900,
  },
  async handle(services, data, logger) {
    const result = await revalueListedTickets(services, { eventId: data.eventId });
    logger.info({ eventId: data.eventId, ...result }, 'listed tickets revalued');
  },
};

/**
 * Seconds without a heartbeat after which pg-boss fails an active job into retry, so the job of a
 * killed worker is retried before its queue's `expireInSeconds` runs out. A live worker refreshes
 * the heartbeat every `jobHeartbeatRefreshSeconds` for as long as its handler runs, so a handler
 * may block the event loop for up to 15 s at a time. Barcode search and OCR of a 10-page scanned
 * PDF blocked it for at most 3.1 s on a 2-core Linux VM, measured as the longest gap between
 * ticks of a 50 ms timer (tesseract.js runs in a worker thread).
 */
export const jobHeartbeatSeconds = 20;
export const jobHeartbeatRefreshSeconds = 5;

/**
 * Adds the heartbeat to a job's queue. A heartbeat missed by a live worker starts a retry beside
 * the running attempt, so handlers must stay idempotent, as pg-boss retries already require.
 */
function withHeartbeat(definition: JobDefinition<unknown>): JobDefinition<unknown> {
  return { ...definition, queue: { heartbeatSeconds: jobHeartbeatSeconds, ...definition.queue } };
}

export const jobDefinitions: readonly JobDefinition<unknown>[] = ([
  matchingTick,
  escrowTimeout,
  ticketIntake,
  valuationRevalue,
  ...notificationJobDefinitions,
  ...paymentJobDefinitions,
] as JobDefinition<unknown>[]).map(withHeartbeat);
