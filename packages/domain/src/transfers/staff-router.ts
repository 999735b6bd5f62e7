import { z } from 'zod';

import { router, staffProcedure } from '../trpc.ts';
import {
  confirmDeliveredByStaff,
  getTransferReview,
  listTransferReviews,
  returnToManualByStaff,
} from './staff-review.ts';

// Compliance officers neither see nor decide this queue, because transfers are support work.
const support = staffProcedure('SUPPORT', 'ADMIN');

const listRequest = z.object({
  page: z.int().min(1).default(1),
  perPage: z.int().min(1).max(200).default(25),
  sortField: z.string().max(40).optional(),
  sortOrder: z.enum(['ASC', 'DESC']).optional(),
  filter: z.record(z.string(), z.unknown()).default({}),
});
const byId = z.object({ id: z.uuid('Use the record id shown in the console.') });
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
