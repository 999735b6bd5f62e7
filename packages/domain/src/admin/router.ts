import { z } from 'zod';

import { setKycStatus } from '../accounts/kyc.ts';
import { router, staffProcedure } from '../trpc.ts';
import {
  getTicket,
  getTrade,
  getUser,
  listAudit,
  listTickets,
  listTrades,
  listUsers,
} from './queries.ts';

const anyStaff = staffProcedure('COMPLIANCE', 'SUPPORT', 'ADMIN');
const compliance = staffProcedure('COMPLIANCE', 'ADMIN');

const listRequest = z.object({
  page: z.int().min(1).default(1),
  perPage: z.int().min(1).max(200).default(25),
  sortField: z.string().max(40).optional(),
  sortOrder: z.enum(['ASC', 'DESC']).optional(),
  filter: z.record(z.string(), z.unknown()).default({}),
});
const byId = z.object({ id: z.string().min(1).max(64) });

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
  audit: router({
    list: compliance.input(listRequest).query(({ ctx, input }) => listAudit(ctx.services, input)),
  }),
});
