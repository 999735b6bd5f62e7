import { z } from 'zod';

import { authedProcedure, publicProcedure, router, traderProcedure } from '../trpc.ts';
import { getMe, logIn, signUp } from './accounts.ts';
import { invalidateSession } from './sessions.ts';
import { addWant, listWants, removeWant, updateLocation } from './wants.ts';

const credentials = z.object({
  email: z.email('Enter a valid email address.').max(254),
  password: z.string().min(10, 'Use at least 10 characters.').max(200),
});

const categorySchema = z.enum(['SPORTS', 'CONCERT', 'THEATRE', 'FESTIVAL', 'OTHER']);

export const authRouter = router({
  signUp: publicProcedure
    .input(credentials.extend({
      displayName: z.string().trim().min(1).max(80),
      homeCity: z.string().trim().max(80).optional(),
    }))
    .mutation(async ({ ctx, input }) => {
      const result = await signUp(ctx.services, ctx.meta, input);
      ctx.session.set(result.token, result.expiresAt);

      return result.user;
    }),

  logIn: publicProcedure
    .input(z.object({ email: z.string().max(254), password: z.string().max(200) }))
    .mutation(async ({ ctx, input }) => {
      const result = await logIn(ctx.services, ctx.meta, input);
      ctx.session.set(result.token, result.expiresAt);
      ctx.services.logger.info({ requestId: ctx.meta.requestId, userId: result.user.id }, 'logged in');

      return result.user;
    }),

  logOut: authedProcedure.mutation(async ({ ctx }) => {
    await invalidateSession(ctx.services.prisma, ctx.actor.sessionId);
    ctx.session.clear();

    return { ok: true };
  }),

  me: publicProcedure.query(async ({ ctx }) => {
    return ctx.actor ? getMe(ctx.services, ctx.actor.userId) : null;
  }),
});

export const wantsRouter = router({
  list: traderProcedure.query(({ ctx }) => listWants(ctx)),

  add: traderProcedure
    .input(z.object({
      eventId: z.uuid().optional(),
      category: categorySchema.optional(),
      city: z.string().trim().max(80).optional(),
      dateFrom: z.date().optional(),
      dateTo: z.date().optional(),
    }))
    .mutation(({ ctx, input }) => addWant(ctx, input)),

  remove: traderProcedure
    .input(z.object({ wantId: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      await removeWant(ctx, input.wantId);

      return { ok: true };
    }),

  setLocation: traderProcedure
    .input(z.object({
      homeCity: z.string().trim().max(80).nullable(),
      destinationCities: z.array(z.string().trim().max(80)).max(10),
    }))
    .mutation(({ ctx, input }) => updateLocation(ctx, input)),
});
