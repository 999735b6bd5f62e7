import { adminRouter } from './admin/router.ts';
import { authRouter, wantsRouter } from './accounts/router.ts';
import { marketRouter } from './marketplace/router.ts';
import { ticketsRouter } from './tickets/router.ts';
import { proposalsRouter, tradesRouter } from './trades/router.ts';
import { createCallerFactory, router } from './trpc.ts';

export const appRouter = router({
  auth: authRouter,
  wants: wantsRouter,
  tickets: ticketsRouter,
  market: marketRouter,
  proposals: proposalsRouter,
  trades: tradesRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
