import type { NotificationChannel, Prisma, Tx } from '@ts/db';

import { renderNotification, type NotificationKind, type TemplateVars } from './templates.ts';

/** Channels a notification is written to; PUSH only for users with a push subscription. */
export const writtenChannels = [
  'IN_APP',
  'EMAIL',
  'PUSH',
] as const satisfies readonly NotificationChannel[];

export interface NotifyInput {
  userIds: readonly string[];
  kind: NotificationKind;
  vars: TemplateVars;
  /** Stored in `data` so a caller can check whether this notice was already written. */
  dedupeKey?: string;
  /** The outbox event that caused the notification, for tracing. */
  eventId?: string;
}

/**
 * Writes one notification per user and enabled channel inside the caller's transaction.
 * A channel is on unless the user stored a preference turning it off for this kind, and PUSH
 * also needs at least one subscribed browser. In-app notices are SENT on creation because
 * writing the row delivers them; e-mails and pushes start PENDING for the delivery job.
 * Returns the number of rows written.
 */
export async function notifyUsers(tx: Tx, input: NotifyInput, now: Date): Promise<number> {
  const userIds = [...new Set(input.userIds)];
  if (userIds.length === 0) {
    return 0;
  }

  const disabled = await tx.notificationPreference.findMany({
    where: { userId: { in: userIds }, kind: input.kind, enabled: false },
    select: { userId: true, channel: true },
  });
  const subscribed = await tx.pushSubscription.findMany({
    where: { userId: { in: userIds } },
    select: { userId: true },
    distinct: ['userId'],
  });
  const isDisabled = (userId: string, channel: NotificationChannel) =>
    disabled.some((pref) => pref.userId === userId && pref.channel === channel) ||
    (channel === 'PUSH' && !subscribed.some((s) => s.userId === userId));

  const rendered = renderNotification(input.kind, input.vars);
  const data: Prisma.InputJsonObject = {
    link: rendered.link,
    ...(input.vars.tradeId ? { tradeId: input.vars.tradeId } : {}),
    ...(input.vars.proposalId ? { proposalId: input.vars.proposalId } : {}),
    ...(input.dedupeKey ? { dedupeKey: input.dedupeKey } : {}),
    ...(input.eventId ? { eventId: input.eventId } : {}),
  };

  const rows: Prisma.NotificationCreateManyInput[] = [];
  for (const userId of userIds) {
    for (const channel of writtenChannels) {
      if (isDisabled(userId, channel)) {
        continue;
      }
      rows.push({
        userId,
        kind: input.kind,
        channel,
        title: rendered.title,
        body: rendered.body,
        data,
        state: channel === 'IN_APP' ? 'SENT' : 'PENDING',
        nextAttemptAt: channel === 'IN_APP' ? null : now,
        createdAt: now,
      });
    }
  }
  if (rows.length === 0) {
    return 0;
  }

  const created = await tx.notification.createMany({ data: rows });

  return created.count;
}
