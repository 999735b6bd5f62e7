import { z } from 'zod';

import { byId, listRequest } from '../admin/list-request.ts';
import { router, staffProcedure } from '../trpc.ts';
import {
  confirmDeliveredByStaff,
  getTransferReview,
  listTransferReviews,
  returnToManualByStaff,
} from './staff-review.ts';

// Compliance officers neither see nor decide this queue, because transfers are support work.
const support = staffProcedure('SUPPORT', 'ADMIN');

const decision = z.object({
  transferId: z.uuid('Use the transfer id shown in the console.'),
  note: z.string().trim().min(3, 'Say what you checked, in at least 3 characters.').max(4000),
});

/** The staff review queue of transfers; mounted as `admin.transferReviews`. */
export const transferReviewRouter = router({
  list: support
    .input(listRequest)
    .query(({ ctx, input }) => listTransferReviews(ctx.services, input)),
  get: support
    .input(byId)
    .query(({ ctx, input }) => getTransferReview(ctx.services.prisma, input.id)),
  confirmDelivered: support.input(decision).mutation(({ ctx, input }) => {
    ctx.services.logger.info(
      { requestId: ctx.meta.requestId, transferId: input.transferId, actorId: ctx.actor.userId },
      'staff confirmed a transfer as delivered',
    );

    return confirmDeliveredByStaff(ctx, input);
  }),
  returnToManual: support.input(decision).mutation(({ ctx, input }) => {
    ctx.services.logger.info(
      { requestId: ctx.meta.requestId, transferId: input.transferId, actorId: ctx.actor.userId },
      'staff returned a transfer to the manual hand-over',
    );

    return returnToManualByStaff(ctx, input);
  }),
});
