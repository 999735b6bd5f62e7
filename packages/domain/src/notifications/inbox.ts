import type { NotificationChannel } from '@ts/db';

import type { OperationOptions } from '../context.ts';
import { notificationKinds, type NotificationKind } from './templates.ts';
import { writtenChannels } from './write.ts';

/** The latest in-app notifications of the caller and how many of all of them are unread. */
export async function listMyNotifications({ services, actor }: OperationOptions, limit: number) {
  const where = { userId: actor.userId, channel: 'IN_APP' as const };
  const [items, unread] = await Promise.all([
    services.prisma.notification.findMany({
      where,
      select: {
        id: true,
        kind: true,
        title: true,
        body: true,
        data: true,
        readAt: true,
        createdAt: true,
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    }),
    services.prisma.notification.count({ where: { ...where, readAt: null } }),
  ]);

  return {
    unread,
    items: items.map(({ data, ...item }) => {
      const link = (data as { link?: unknown } | null)?.link;

      return { ...item, link: typeof link === 'string' ? link : null };
    }),
  };
}

/** Marks the given in-app notifications of the caller as read, or all of them without ids. */
export async function markNotificationsRead(
  { services, actor }: OperationOptions,
  input: { ids?: string[] },
) {
  const updated = await services.prisma.notification.updateMany({
    where: {
      userId: actor.userId,
      channel: 'IN_APP',
      readAt: null,
      ...(input.ids ? { id: { in: input.ids } } : {}),
    },
    data: { readAt: services.now() },
  });

  return { marked: updated.count };
}

export interface PreferenceRow {
  kind: NotificationKind;
  channel: NotificationChannel;
  enabled: boolean;
}

/**
 * Every kind and channel with the caller's setting; a missing preference means on. A PUSH
 * setting that is on reaches only browsers the caller subscribed, so with none it does nothing.
 */
export async function getMyPreferences(
  { services, actor }: OperationOptions,
): Promise<PreferenceRow[]> {
  const stored = await services.prisma.notificationPreference.findMany({
    where: { userId: actor.userId },
    select: { kind: true, channel: true, enabled: true },
  });

  return notificationKinds.flatMap((kind) =>
    writtenChannels.map((channel) => ({
      kind,
      channel,
      enabled: stored.find((p) => p.kind === kind && p.channel === channel)?.enabled ?? true,
    })));
}

export async function setMyPreference(
  { services, actor }: OperationOptions,
  input: { kind: NotificationKind; channel: NotificationChannel; enabled: boolean },
) {
  const key = { userId: actor.userId, kind: input.kind, channel: input.channel };
  await services.prisma.notificationPreference.upsert({
    where: { userId_kind_channel: key },
    create: { ...key, enabled: input.enabled },
    update: { enabled: input.enabled },
  });

  return getMyPreferences({ services, actor } as OperationOptions);
}
