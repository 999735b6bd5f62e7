import { z } from 'zod';

import {
  cancelUnusedTopUp,
  cancelUnusedTopUpJob,
  captureBeforeLapse,
  captureBeforeLapseJob,
  payPayout,
  payPayoutJob,
  settleTradePayment,
  settleTradePaymentJob,
} from '@ts/domain/payments/index';

import type { JobDefinition } from './definitions.ts';

/** Processor calls are retried with backoff for about an hour before they land in jobs.dead. */
const processorQueue = {
  policy: 'standard',
  retryLimit: 8,
  retryDelay: 15,
  retryBackoff: true,
  expireInSeconds: 120,
  deadLetter: 'jobs.dead',
} as const;

/** Captures or releases a finished trade's top-up and pays the receiver. */
export const settleTradePaymentDefinition: JobDefinition<{ tradeId: string }> = {
  name: settleTradePaymentJob,
  payload: z.object({ tradeId: z.uuid() }),
  queue: processorQueue,
  async handle(services, data, logger) {
    const result = await settleTradePayment(services, data.tradeId);
    logger.info({ tradeId: data.tradeId, result }, 'trade top-up settled');
  },
};

/** Captures a top-up into the platform balance before its card authorization lapses. */
export const captureBeforeLapseDefinition: JobDefinition<{ tradeId: string }> = {
  name: captureBeforeLapseJob,
  payload: z.object({ tradeId: z.uuid() }),
  queue: processorQueue,
  async handle(services, data, logger) {
    const captured = await captureBeforeLapse(services, data.tradeId);
    logger.info({ tradeId: data.tradeId, captured }, 'top-up hold checked before it lapses');
  },
};

/** Cancels a card hold that arrived for a proposal that could no longer open a trade. */
export const cancelUnusedTopUpDefinition: JobDefinition<{ proposalId: string; providerPaymentId: string }> = {
  name: cancelUnusedTopUpJob,
  payload: z.object({ proposalId: z.uuid(), providerPaymentId: z.string().min(1).max(255) }),
  queue: processorQueue,
  async handle(services, data, logger) {
    await cancelUnusedTopUp(services, data);
    logger.info(data, 'unused top-up hold cancelled');
  },
};

/** Pays a pending payout once its trader can receive it. */
export const payPayoutDefinition: JobDefinition<{ payoutId: string }> = {
  name: payPayoutJob,
  payload: z.object({ payoutId: z.uuid() }),
  queue: processorQueue,
  async handle(services, data, logger) {
    const result = await payPayout(services, data.payoutId);
    logger.info({ payoutId: data.payoutId, result }, 'payout checked');
  },
};

export const paymentJobDefinitions = [
  settleTradePaymentDefinition,
  captureBeforeLapseDefinition,
  cancelUnusedTopUpDefinition,
  payPayoutDefinition,
] as const;
