import { adminRouter } from './admin/router.ts';
import { authRouter, wantsRouter } from './accounts/router.ts';
import { marketRouter } from './marketplace/router.ts';
import { notificationsRouter } from './notifications/router.ts';
import { paymentsRouter } from './payments/router.ts';
import { ticketsRouter } from './tickets/router.ts';
import { proposalsRouter, tradesRouter } from './trades/router.ts';
import { createCallerFactory, router } from './trpc.ts';
import { valuationRouter } from './valuation/router.ts';

export const appRouter = router({
  auth: authRouter,
  wants: wantsRouter,
  tickets: ticketsRouter,
  market: marketRouter,
  proposals: proposalsRouter,
  trades: tradesRouter,
  payments: paymentsRouter,
  admin: adminRouter,
  notifications: notificationsRouter,
  valuation: valuationRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
