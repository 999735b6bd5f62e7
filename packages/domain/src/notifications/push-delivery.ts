import type { Logger } from 'pino';

import type { Prisma, Tx } from '@ts/db';

import type { Services } from '../context.ts';
import {
  claimDueNotification,
  defaultDeliveryPolicy,
  retryDelayMs,
  type DeliveryPolicy,
  type DeliveryResult,
} from './delivery.ts';
import type { PushMessage, PushOutcome, PushSender } from './push.ts';

interface DueNotification {
  id: string;
  userId: string;
  title: string;
  body: string;
  data: Prisma.JsonValue;
  attempts: number;
}

interface SubscriptionOutcome {
  subscriptionId: string;
  pushService: string;
  outcome: PushOutcome;
}

type RowOutcome = 'sent' | 'retried' | 'failed';

/** Ids of the subscriptions that already accepted this notification, kept in its `data`. */
function sentTo(data: Prisma.JsonValue): string[] {
  const value = (data as { pushSentTo?: unknown } | null)?.pushSentTo;

  return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
}

function messageOf(notification: DueNotification): PushMessage {
  const link = (notification.data as { link?: unknown } | null)?.link;

  return {
    title: notification.title,
    body: notification.body,
    url: typeof link === 'string' && link.startsWith('/') ? link : '/',
    tag: notification.id,
  };
}

async function sendToSubscriptions(
  tx: Tx,
  sender: PushSender,
  notification: DueNotification,
  skip: string[],
): Promise<SubscriptionOutcome[]> {
  // Read at send time, so a browser that moved to another user since the notice was written
  // no longer gets it.
  const subscriptions = await tx.pushSubscription.findMany({
    where: { userId: notification.userId, id: { notIn: skip } },
    select: { id: true, endpoint: true, p256dh: true, auth: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  const message = messageOf(notification);

  return Promise.all(subscriptions.map(async (subscription) => {
    let outcome: PushOutcome;
    try {
      outcome = await sender.send(subscription, message);
    } catch (error) {
      // A sender returns push service responses as outcomes, so a throw is a local fault, such
      // as a key the encryption rejects, which another try would repeat.
      outcome = {
        kind: 'rejected',
        reason: error instanceof Error ? error.message.slice(0, 200) : 'sending failed',
      };
    }

    return {
      subscriptionId: subscription.id,
      pushService: new URL(subscription.endpoint).origin,
      outcome,
    };
  }));
}

function summarize(outcomes: SubscriptionOutcome[], knownSent: number): string | null {
  const reasons: string[] = [];
  for (const { outcome } of outcomes) {
    if (outcome.kind === 'gone') {
      reasons.push(`subscription gone (HTTP ${outcome.status})`);
    } else if (outcome.kind === 'retry' || outcome.kind === 'rejected') {
      reasons.push(outcome.reason);
    }
  }
  if (outcomes.length === 0 && knownSent === 0) {
    reasons.push('the user has no push subscription');
  }

  return reasons.length > 0 ? reasons.join('; ').slice(0, 500) : null;
}

/** Delivers one locked notification to the user's browsers and records the result. */
async function deliverOne(
  tx: Tx,
  sender: PushSender,
  notification: DueNotification,
  now: Date,
  policy: DeliveryPolicy,
  logger: Logger,
): Promise<RowOutcome> {
  const alreadySent = sentTo(notification.data);
  const outcomes = await sendToSubscriptions(tx, sender, notification, alreadySent);
  const sent = [...alreadySent];
  const retries: number[] = [];
  for (const { subscriptionId, pushService, outcome } of outcomes) {
    if (outcome.kind === 'sent') {
      sent.push(subscriptionId);
    } else if (outcome.kind === 'gone') {
      await tx.pushSubscription.deleteMany({ where: { id: subscriptionId } });
      logger.info(
        { subscriptionId, userId: notification.userId, pushService, status: outcome.status },
        'push subscription no longer exists; removed',
      );
    } else if (outcome.kind === 'retry') {
      retries.push(outcome.retryAfterMs ?? 0);
    } else {
      logger.warn(
        { subscriptionId, notificationId: notification.id, pushService, reason: outcome.reason },
        'push service rejected a notification',
      );
    }
  }

  const attempt = notification.attempts + 1;
  const retrying = retries.length > 0 && attempt < policy.maxAttempts;
  let state: 'PENDING' | 'SENT' | 'FAILED' = 'PENDING';
  if (!retrying) {
    state = sent.length > 0 ? 'SENT' : 'FAILED';
  }
  const wait = Math.min(policy.maxDelayMs, Math.max(retryDelayMs(attempt, policy), ...retries));
  const data = { ...(notification.data as Prisma.JsonObject | null), pushSentTo: sent };
  await tx.notification.update({
    where: { id: notification.id },
    data: {
      attempts: attempt,
      state,
      data,
      lastError: summarize(outcomes, alreadySent.length),
      nextAttemptAt: retrying ? new Date(now.getTime() + wait) : null,
    },
  });
  logger[state === 'FAILED' ? 'warn' : 'info'](
    {
      notificationId: notification.id,
      userId: notification.userId,
      attempt,
      state,
      browsers: outcomes.length,
      sent: sent.length - alreadySent.length,
      retries: retries.length,
    },
    retrying
      ? 'push notification not delivered everywhere; retrying'
      : state === 'SENT' ? 'push notification sent' : 'push notification failed',
  );

  if (retrying) {
    return 'retried';
  }

  return state === 'FAILED' ? 'failed' : 'sent';
}

/**
 * Sends due PENDING push notifications to every subscription of their user through
 * `services.push`, one row at a time, each locked with SKIP LOCKED during its sends. The ids
 * of subscriptions that accepted the message are kept in the row's `data.pushSentTo`, so a
 * retry after a 429, a 5xx or a network error goes only to the browsers still missing it.
 * A 404 or 410 deletes the subscription. Without a sender every due row is marked FAILED.
 *
 * Delivery is at least once: a crash after a push service accepted the message but before
 * the commit sends it again, with the same `tag`, so the browser replaces the shown notice.
 * Logs name notification, user and subscription ids and the push service origin only.
 */
export async function deliverPendingPushes(
  services: Services,
  options: { policy?: DeliveryPolicy; logger?: Logger } = {},
): Promise<DeliveryResult> {
  const policy = options.policy ?? defaultDeliveryPolicy;
  const logger = options.logger ?? services.logger;
  const result: DeliveryResult = { sent: 0, retried: 0, failed: 0 };

  for (let i = 0; i < policy.batchSize; i += 1) {
    const outcome = await services.prisma.$transaction(
      async (tx) => {
        const now = services.now();
        const due = await claimDueNotification(tx, 'PUSH', now);
        if (!due) {
          return 'none' as const;
        }

        const notification = await tx.notification.findUniqueOrThrow({
          where: { id: due.id },
          select: { id: true, userId: true, title: true, body: true, data: true, attempts: true },
        });
        if (!services.push) {
          await tx.notification.update({
            where: { id: notification.id },
            data: {
              attempts: notification.attempts + 1,
              state: 'FAILED',
              lastError: 'push notifications are turned off on this server',
              nextAttemptAt: null,
            },
          });

          return 'failed' as const;
        }

        return deliverOne(tx, services.push, notification, now, policy, logger);
      },
      { timeout: 30_000 },
    );
    if (outcome === 'none') {
      break;
    }
    result[outcome] += 1;
  }

  return result;
}
