import { z } from 'zod';

import { publicProcedure, router } from '../trpc.ts';
import { browseMarketplace, searchEvents } from './browse.ts';

export const marketRouter = router({
  browse: publicProcedure
    .input(z.object({
      eventId: z.uuid().optional(),
      category: z.enum(['SPORTS', 'CONCERT', 'THEATRE', 'FESTIVAL', 'OTHER']).optional(),
      city: z.string().trim().max(80).optional(),
      search: z.string().trim().max(100).optional(),
      dateFrom: z.date().optional(),
      dateTo: z.date().optional(),
      minValueMinor: z.int().min(0).optional(),
      maxValueMinor: z.int().min(0).optional(),
      cursor: z.string().max(200).optional(),
      limit: z.int().min(1).max(100).default(24),
    }))
    .query(({ ctx, input }) => browseMarketplace(ctx.services, input, ctx.actor?.userId)),

  events: publicProcedure
    .input(z.object({ search: z.string().trim().max(100).optional(), limit: z.int().min(1).max(50).default(20) }))
    .query(({ ctx, input }) => searchEvents(ctx.services, input)),
});
