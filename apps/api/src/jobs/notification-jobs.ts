import { z } from 'zod';

import {
  deliverPendingEmails,
  deliverPendingPushes,
  escrowReminderJob,
  notificationsDeliverJob,
  outboxPublishJob,
  publishOutbox,
  sendEscrowReminder,
} from '@ts/domain/notifications/index';
import { runPartnerTransfer, transfersRunJob } from '@ts/domain/transfers/index';

import { workerAdapters } from './adapters.ts';
import type { JobDefinition } from './definitions.ts';

const clockSlot = z.object({ slot: z.string().min(1).max(100) });

/** Hands unpublished outbox events to their consumers; the clock enqueues it every second. */
export const outboxPublish: JobDefinition<{ slot: string }> = {
  name: outboxPublishJob,
  payload: clockSlot,
  queue: { policy: 'exclusive', retryLimit: 1, retryDelay: 1, expireInSeconds: 120 },
  async handle(services, _data, logger) {
    const result = await publishOutbox(services, { logger });
    if (result.published > 0 || result.failed > 0 || result.stoppedOnError) {
      logger.info(result, 'outbox events published');
    }
  },
};

/** Sends due e-mail and push notifications; the clock enqueues it every second. */
export const notificationsDeliver: JobDefinition<{ slot: string }> = {
  name: notificationsDeliverJob,
  payload: clockSlot,
  queue: { policy: 'exclusive', retryLimit: 1, retryDelay: 1, expireInSeconds: 300 },
  async handle(services, _data, logger) {
    const { mail, appUrl } = workerAdapters(services.logger);
    const emails = await deliverPendingEmails(services, mail, { logger, baseUrl: appUrl });
    if (emails.sent + emails.retried + emails.failed > 0) {
      logger.info(emails, 'e-mail notifications delivered');
    }
    const pushes = await deliverPendingPushes(services, { logger });
    if (pushes.sent + pushes.retried + pushes.failed > 0) {
      logger.info(pushes, 'push notifications delivered');
    }
  },
};

/** Reminds traders with open transfers that the escrow deadline is near. */
export const escrowReminder: JobDefinition<{ tradeId: string; hoursBefore: number }> = {
  name: escrowReminderJob,
  payload: z.object({ tradeId: z.uuid(), hoursBefore: z.number().int().positive() }),
  queue: {
    policy: 'standard',
    retryLimit: 5,
    retryDelay: 30,
    retryBackoff: true,
    expireInSeconds: 120,
    deadLetter: 'jobs.dead',
  },
  async handle(services, data, logger) {
    const outcome = await sendEscrowReminder(services, data);
    logger.info({ ...data, outcome }, 'escrow reminder checked');
  },
};

const transfersRunRetries = 4;

/**
 * Drives one partner-API transfer: start, status checks, confirmation. On its last retry a
 * failing partner makes the transfer fall back to a manual one.
 */
export const transfersRun: JobDefinition<{ transferId: string }> = {
  name: transfersRunJob,
  payload: z.object({ transferId: z.uuid() }),
  queue: {
    policy: 'standard',
    retryLimit: transfersRunRetries,
    retryDelay: 30,
    retryBackoff: true,
    // Each adapter step makes up to 3 tries of at most 5 s each, plus backoff.
    expireInSeconds: 120,
    deadLetter: 'jobs.dead',
  },
  async handle(services, data, logger, attempt) {
    const { partner } = workerAdapters(services.logger);
    const outcome = await runPartnerTransfer(services, data.transferId, {
      partner,
      lastAttempt: attempt.retryCount >= transfersRunRetries,
      logger,
    });
    logger.info({ transferId: data.transferId, outcome }, 'partner transfer run finished');
  },
};

export const notificationJobDefinitions = [
  outboxPublish,
  notificationsDeliver,
  escrowReminder,
  transfersRun,
] as const;
