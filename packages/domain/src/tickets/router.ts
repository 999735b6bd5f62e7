import { z } from 'zod';

import { router, staffProcedure, traderProcedure } from '../trpc.ts';
import { getMyTicket, listMyTickets, listTicket, updateDraftTicket, withdrawTicket } from './listing.ts';
import { approveManualReview, confirmTicketReview } from './processing-review.ts';

const ticketId = z.object({ ticketId: z.uuid() });

/** Upload itself is a multipart HTTP route in the API app; it calls `uploadTicket`. */
export const ticketsRouter = router({
  mine: traderProcedure.query(({ ctx }) => listMyTickets(ctx)),

  get: traderProcedure.input(ticketId).query(({ ctx, input }) => getMyTicket(ctx, input.ticketId)),

  update: traderProcedure
    .input(ticketId.extend({
      eventId: z.uuid().optional(),
      section: z.string().trim().min(1).max(40).optional(),
      row: z.string().trim().max(20).optional(),
      seat: z.string().trim().max(20).optional(),
      faceValueMinor: z.int().min(0).max(10_000_000).nullable().optional(),
    }))
    .mutation(({ ctx, input }) => {
      const { ticketId: id, ...update } = input;

      return updateDraftTicket(ctx, id, update);
    }),

  /** The owner confirms or corrects what the intake job read; READY tickets can be listed. */
  confirm: traderProcedure
    .input(ticketId.extend({
      eventId: z.uuid(),
      section: z.string().trim().min(1).max(40),
      row: z.string().trim().max(20).nullable().optional(),
      seat: z.string().trim().max(20).nullable().optional(),
      faceValueMinor: z.int().min(0).max(10_000_000).nullable().optional(),
    }))
    .mutation(({ ctx, input }) => {
      const { ticketId: id, ...details } = input;
      ctx.services.logger.info({ requestId: ctx.meta.requestId, ticketId: id }, 'ticket reviewed');

      return confirmTicketReview(ctx, id, details);
    }),

  approveManualReview: staffProcedure('COMPLIANCE', 'SUPPORT', 'ADMIN')
    .input(ticketId)
    .mutation(({ ctx, input }) => {
      ctx.services.logger.info(
        { requestId: ctx.meta.requestId, ticketId: input.ticketId, staffId: ctx.actor.userId },
        'manual ticket review approved',
      );

      return approveManualReview(ctx, input.ticketId);
    }),

  list: traderProcedure.input(ticketId).mutation(async ({ ctx, input }) => {
    ctx.services.logger.info({ requestId: ctx.meta.requestId, ticketId: input.ticketId }, 'listing');

    return listTicket(ctx, input.ticketId);
  }),

  withdraw: traderProcedure
    .input(ticketId)
    .mutation(({ ctx, input }) => withdrawTicket(ctx, input.ticketId)),
});
