import { z } from 'zod';

import { withConflictRetry } from '../retry.ts';
import { router, traderProcedure } from '../trpc.ts';
import { addDisputeEvidence, listTradeDisputes, openDispute } from './disputes.ts';
import { confirmTransfer, getMyTrade, listMyTrades, markTransferSent, reportableTickets } from './escrow.ts';
import {
  acceptProposal,
  createDirectProposal,
  listMyProposals,
  rejectProposal,
} from './proposals.ts';

const proposalId = z.object({ proposalId: z.uuid() });

export const proposalsRouter = router({
  mine: traderProcedure.query(({ ctx }) => listMyProposals(ctx)),

  create: traderProcedure
    .input(z.object({ offeredTicketId: z.uuid(), wantedTicketId: z.uuid() }))
    .mutation(({ ctx, input }) => createDirectProposal(ctx, input)),

  accept: traderProcedure.input(proposalId).mutation(({ ctx, input }) => {
    ctx.services.logger.info({ requestId: ctx.meta.requestId, proposalId: input.proposalId }, 'accept');

    return withConflictRetry(() => acceptProposal(ctx, input.proposalId));
  }),

  reject: traderProcedure
    .input(proposalId)
    .mutation(({ ctx, input }) => withConflictRetry(() => rejectProposal(ctx, input.proposalId))),
});

export const tradesRouter = router({
  mine: traderProcedure.query(({ ctx }) => listMyTrades(ctx)),

  get: traderProcedure
    .input(z.object({ tradeId: z.uuid() }))
    .query(({ ctx, input }) => getMyTrade(ctx, input.tradeId)),

  /** Tickets of a completed trade the caller received and may still report as not working. */
  reportable: traderProcedure
    .input(z.object({ tradeId: z.uuid() }))
    .query(({ ctx, input }) => reportableTickets(ctx, input.tradeId)),

  markSent: traderProcedure
    .input(z.object({ transferId: z.uuid(), note: z.string().trim().min(3).max(2000) }))
    .mutation(({ ctx, input }) => markTransferSent(ctx, input)),

  confirmReceived: traderProcedure
    .input(z.object({ transferId: z.uuid() }))
    .mutation(({ ctx, input }) => confirmTransfer(ctx, input)),

  disputes: traderProcedure
    .input(z.object({ tradeId: z.uuid() }))
    .query(({ ctx, input }) => listTradeDisputes(ctx, input.tradeId)),

  openDispute: traderProcedure
    .input(z.object({
      tradeId: z.uuid(),
      reason: z.enum(['NOT_RECEIVED', 'INVALID_TICKET', 'WRONG_TICKET', 'REFUSED_AT_GATE', 'OTHER']),
      // After completion: the ticket the caller received that did not work.
      ticketId: z.uuid().optional(),
      note: z.string().trim().min(10, 'Describe what happened in at least 10 characters.').max(4000),
    }))
    .mutation(({ ctx, input }) => {
      ctx.services.logger.info({ requestId: ctx.meta.requestId, tradeId: input.tradeId }, 'dispute');

      return openDispute(ctx, input);
    }),

  addDisputeEvidence: traderProcedure
    .input(z.object({ disputeId: z.uuid(), note: z.string().trim().min(3).max(4000) }))
    .mutation(({ ctx, input }) => addDisputeEvidence(ctx, input)),
});
