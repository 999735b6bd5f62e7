import { z } from 'zod';

import { setKycStatus } from '../accounts/kyc.ts';
import { addDisputeEvidence, getDisputeForStaff, resolveDispute } from '../trades/disputes.ts';
import { transferReviewRouter } from '../transfers/staff-router.ts';
import { router, staffProcedure } from '../trpc.ts';
import {
  getTicket,
  getTrade,
  getUser,
  listAudit,
  listDisputes,
  listTickets,
  listTrades,
  listUsers,
} from './queries.ts';
import { byId, listRequest } from './list-request.ts';
import { outboxAdminRouter } from './outbox.ts';
import { debtRouter, fraudCaseRouter } from './risk-router.ts';

const anyStaff = staffProcedure('COMPLIANCE', 'SUPPORT', 'ADMIN');
const compliance = staffProcedure('COMPLIANCE', 'ADMIN');
const support = staffProcedure('SUPPORT', 'ADMIN');


export const adminRouter = router({
  users: router({
    list: anyStaff.input(listRequest).query(({ ctx, input }) => listUsers(ctx.services, input)),
    get: anyStaff.input(byId).query(({ ctx, input }) => getUser(ctx.services, input.id)),
    setKyc: compliance
      .input(z.object({
        userId: z.uuid(),
        status: z.enum(['VERIFIED', 'REJECTED', 'PENDING']),
        note: z.string().trim().max(500).optional(),
      }))
      .mutation(({ ctx, input }) => {
        ctx.services.logger.info(
          { requestId: ctx.meta.requestId, userId: input.userId, status: input.status },
          'kyc decision',
        );

        return setKycStatus(ctx, input);
      }),
  }),
  tickets: router({
    list: anyStaff.input(listRequest).query(({ ctx, input }) => listTickets(ctx.services, input)),
    get: anyStaff.input(byId).query(({ ctx, input }) => getTicket(ctx.services, input.id)),
  }),
  trades: router({
    list: anyStaff.input(listRequest).query(({ ctx, input }) => listTrades(ctx.services, input)),
    get: anyStaff.input(byId).query(({ ctx, input }) => getTrade(ctx.services, input.id)),
  }),
  disputes: router({
    list: anyStaff.input(listRequest).query(({ ctx, input }) => listDisputes(ctx.services, input)),
    get: anyStaff.input(byId).query(({ ctx, input }) => getDisputeForStaff(ctx.services, input.id)),
    addNote: anyStaff
      .input(z.object({ disputeId: z.uuid(), note: z.string().trim().min(3).max(4000) }))
      .mutation(({ ctx, input }) => addDisputeEvidence(ctx, input)),
    resolve: support
      .input(z.object({
        disputeId: z.uuid(),
        outcome: z.enum(['COMPLETE', 'RETURN_BOTH', 'SPLIT']),
        note: z.string().trim().min(3, 'Give the reason for the decision.').max(4000),
      }))
      .mutation(({ ctx, input }) => {
        ctx.services.logger.info(
          { requestId: ctx.meta.requestId, disputeId: input.disputeId, outcome: input.outcome },
          'dispute decision',
        );

        return resolveDispute(ctx, input);
      }),
  }),
  transferReviews: transferReviewRouter,
  outbox: outboxAdminRouter,
  fraudCases: fraudCaseRouter,
  debts: debtRouter,
  audit: router({
    list: compliance.input(listRequest).query(({ ctx, input }) => listAudit(ctx.services, input)),
  }),
});
