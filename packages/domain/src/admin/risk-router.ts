import { z } from 'zod';

import { router, staffProcedure } from '../trpc.ts';
import {
  decideFraudCase,
  getDebt,
  getFraudCase,
  listDebts,
  listFraudCases,
  writeOffDebt,
} from './risk.ts';
import { byId, listRequest } from './list-request.ts';

// Fraud cases are compliance work. Support reads debts too, because traders ask them why a
// payout was smaller, but only an admin may write one off, since the platform pays for it.
const compliance = staffProcedure('COMPLIANCE', 'ADMIN');
const anyStaff = staffProcedure('COMPLIANCE', 'SUPPORT', 'ADMIN');
const adminOnly = staffProcedure('ADMIN');

const note = z.string().trim().min(3, 'Give the reason for the decision in at least 3 characters.')
  .max(4000);

/** Fraud cases for compliance review; mounted as `admin.fraudCases`. */
export const fraudCaseRouter = router({
  list: compliance.input(listRequest).query(({ ctx, input }) => listFraudCases(ctx.services, input)),
  get: compliance.input(byId).query(({ ctx, input }) => getFraudCase(ctx.services.prisma, input.id)),
  decide: compliance
    .input(z.object({ id: byId.shape.id, decision: z.enum(['CLEARED', 'CONFIRMED']), note }))
    .mutation(({ ctx, input }) => {
      ctx.services.logger.info(
        { requestId: ctx.meta.requestId, fraudCaseId: input.id, decision: input.decision, actorId: ctx.actor.userId },
        'fraud case decision',
      );

      return decideFraudCase(ctx, input);
    }),
});

/** Debts traders owe the platform; mounted as `admin.debts`. */
export const debtRouter = router({
  list: anyStaff.input(listRequest).query(({ ctx, input }) => listDebts(ctx.services, input)),
  get: anyStaff.input(byId).query(({ ctx, input }) => getDebt(ctx.services.prisma, input.id)),
  writeOff: adminOnly
    .input(z.object({ id: byId.shape.id, note }))
    .mutation(({ ctx, input }) => {
      ctx.services.logger.info(
        { requestId: ctx.meta.requestId, debtId: input.id, actorId: ctx.actor.userId },
        'debt write-off',
      );

      return writeOffDebt(ctx, input);
    }),
});
