import { z } from 'zod';

import { authedProcedure, router } from '../trpc.ts';
import {
  getMyPreferences,
  listMyNotifications,
  markNotificationsRead,
  setMyPreference,
} from './inbox.ts';
import { getPushConfig, subscribeToPush, unsubscribeFromPush } from './push-subscriptions.ts';
import { notificationKinds } from './templates.ts';
import { writtenChannels } from './write.ts';

export const notificationsRouter = router({
  mine: authedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(50).default(10) }).default({ limit: 10 }))
    .query(({ ctx, input }) => listMyNotifications(ctx, input.limit)),

  markRead: authedProcedure
    .input(z.object({ ids: z.array(z.uuid()).min(1).max(100).optional() }))
    .mutation(({ ctx, input }) => markNotificationsRead(ctx, input)),

  preferences: authedProcedure.query(({ ctx }) => getMyPreferences(ctx)),

  setPreference: authedProcedure
    .input(z.object({
      kind: z.enum(notificationKinds),
      channel: z.enum(writtenChannels),
      enabled: z.boolean(),
    }))
    .mutation(({ ctx, input }) => setMyPreference(ctx, input)),

  /** The VAPID public key browsers subscribe with, or null when push is turned off. */
  pushConfig: authedProcedure.query(({ ctx }) => getPushConfig(ctx)),

  subscribePush: authedProcedure
    .input(z.object({
      endpoint: z.string().min(1).max(2048),
      keys: z.object({ p256dh: z.string().min(1).max(200), auth: z.string().min(1).max(100) }),
    }))
    .mutation(({ ctx, input }) => subscribeToPush(ctx, input)),

  unsubscribePush: authedProcedure
    .input(z.object({ endpoint: z.string().min(1).max(2048) }))
    .mutation(({ ctx, input }) => unsubscribeFromPush(ctx, input)),
});
