import { z } from 'zod';

import { router, traderProcedure } from '../trpc.ts';
import { explainTicketValue } from './explain.ts';

export const valuationRouter = router({
  /** "Why this price?" for one of the caller's tickets. */
  explain: traderProcedure.input(z.object({ ticketId: z.uuid() })).query(({ ctx, input }) => {
    ctx.services.logger.info(
      { requestId: ctx.meta.requestId, ticketId: input.ticketId },
      'explaining a ticket value',
    );

    return explainTicketValue(ctx, input.ticketId);
  }),
});
