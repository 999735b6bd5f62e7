import { z } from 'zod';

import { DomainError } from '../errors.ts';
import { router, traderProcedure } from '../trpc.ts';
import { connectPayoutAccount, listMyCash, requestTopUp } from './accounts.ts';
import { renewTopUpHold } from './renew-hold.ts';

const webUrl = z.url({ protocol: /^https?$/ }).max(2000);

export const paymentsRouter = router({
  mine: traderProcedure.query(({ ctx }) => listMyCash(ctx)),

  /** Settings the web app needs for card entry, including whether payments run in test mode. */
  settings: traderProcedure.query(({ ctx }) => ({
    provider: ctx.services.payments.provider,
    testMode: ctx.services.payments.testMode,
    publishableKey: ctx.services.payments.publishableKey,
  })),

  /** The payer's card hold for a proposal; the client secret goes to Stripe's Payment Element. */
  topUp: traderProcedure
    .input(z.object({ proposalId: z.uuid() }))
    .mutation(({ ctx, input }) => {
      ctx.services.logger.info({ requestId: ctx.meta.requestId, proposalId: input.proposalId }, 'top-up');

      return requestTopUp(ctx, input.proposalId);
    }),

  /** A new card hold for a trade's top-up after the earlier one was released. */
  renewHold: traderProcedure
    .input(z.object({ tradeId: z.uuid() }))
    .mutation(({ ctx, input }) => {
      ctx.services.logger.info({ requestId: ctx.meta.requestId, tradeId: input.tradeId }, 'renew top-up hold');

      return renewTopUpHold(ctx, input.tradeId);
    }),

  connectAccount: traderProcedure
    .input(z.object({ refreshUrl: webUrl, returnUrl: webUrl }))
    .mutation(({ ctx, input }) => {
      // Stripe sends the trader to these addresses after onboarding; only our own pages qualify.
      const origin = ctx.services.config.appOrigin;
      if (origin && [input.refreshUrl, input.returnUrl].some((url) => new URL(url).origin !== origin)) {
        throw new DomainError('INVALID_INPUT', `Return addresses must be pages of ${origin}.`);
      }
      ctx.services.logger.info({ requestId: ctx.meta.requestId }, 'connect payout account');

      return connectPayoutAccount(ctx, input);
    }),
});
