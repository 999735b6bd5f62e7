import type { Logger } from 'pino';

import type { Tx } from '@ts/db';

import type { Services } from '../context.ts';
import { MailSendError, type MailTransport } from './mailer.ts';

export const notificationsDeliverJob = 'notifications.deliver';

export interface DeliveryPolicy {
  /** Attempts before a notification is marked FAILED. */
  maxAttempts: number;
  /** Wait before the second attempt; each later wait doubles, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  batchSize: number;
}

export const defaultDeliveryPolicy: DeliveryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 30_000,
  maxDelayMs: 3_600_000,
  batchSize: 50,
};

/** Milliseconds to wait after the given failed attempt (1-based) before trying again. */
export function retryDelayMs(attempt: number, policy: DeliveryPolicy): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}

export interface DeliveryResult {
  sent: number;
  retried: number;
  failed: number;
}

const appBaseUrl = 'http://127.0.0.1:3000';

/**
 * Locks the next pending notification of `channel` that is due, skipping rows another worker
 * has locked, so each delivery attempt runs once. Returns undefined when none is due.
 */
export async function claimDueNotification(
  tx: Tx,
  channel: 'EMAIL' | 'PUSH',
  now: Date,
): Promise<{ id: string } | undefined> {
  const [due] = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "Notification"
    WHERE channel = ${channel}::"NotificationChannel" AND state = 'PENDING'
      AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= ${now})
    ORDER BY "nextAttemptAt" NULLS FIRST, id
    LIMIT 1
    FOR UPDATE SKIP LOCKED`;

  return due;
}

/**
 * Sends due PENDING e-mail notifications through the transport. Each row is locked with SKIP
 * LOCKED for the duration of its send, so parallel workers never send the same row. A failed
 * send is retried with exponential backoff and marked FAILED after `maxAttempts`, or at once
 * when the transport throws a permanent MailSendError (the mail server refused the message).
 *
 * Delivery is at least once: a crash after the transport accepted the message but before the
 * commit sends it again, with the same Message-ID. Logs name notification and user ids and the
 * recipient's domain, and a logged error message has the recipient's address replaced.
 */
export async function deliverPendingEmails(
  services: Services,
  transport: MailTransport,
  options: { policy?: DeliveryPolicy; logger?: Logger; baseUrl?: string } = {},
): Promise<DeliveryResult> {
  const policy = options.policy ?? defaultDeliveryPolicy;
  const logger = options.logger ?? services.logger;
  const baseUrl = options.baseUrl ?? appBaseUrl;
  const result: DeliveryResult = { sent: 0, retried: 0, failed: 0 };

  for (let i = 0; i < policy.batchSize; i += 1) {
    const outcome = await services.prisma.$transaction(
      async (tx) => {
        const now = services.now();
        const due = await claimDueNotification(tx, 'EMAIL', now);
        if (!due) {
          return 'none' as const;
        }

        const notification = await tx.notification.findUniqueOrThrow({
          where: { id: due.id },
          select: {
            id: true,
            userId: true,
            title: true,
            body: true,
            data: true,
            attempts: true,
            user: { select: { email: true, erasedAt: true } },
          },
        });
        const attempt = notification.attempts + 1;
        const link = (notification.data as { link?: unknown } | null)?.link;
        try {
          if (notification.user.erasedAt) {
            throw new Error('the user asked for erasure; no address to send to');
          }
          await transport.send({
            messageId: notification.id,
            to: notification.user.email,
            subject: notification.title,
            text: typeof link === 'string'
              ? `${notification.body}\n\nOpen it: ${baseUrl}${link}\n`
              : `${notification.body}\n`,
          });
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          const email = notification.user.email;
          // The transport's message could quote the address, so it is replaced before it is stored
          // or logged.
          const lastError = message.replaceAll(email, '<recipient>').slice(0, 500);
          // A server's permanent refusal would come back on every try, so it ends delivery now.
          const permanent = err instanceof MailSendError && err.permanent;
          const failed = permanent || attempt >= policy.maxAttempts;
          await tx.notification.update({
            where: { id: notification.id },
            data: {
              attempts: attempt,
              lastError,
              state: failed ? 'FAILED' : 'PENDING',
              nextAttemptAt: failed
                ? null
                : new Date(now.getTime() + retryDelayMs(attempt, policy)),
            },
          });
          logger.warn(
            {
              notificationId: notification.id,
              userId: notification.userId,
              recipientDomain: email.slice(email.lastIndexOf('@') + 1),
              transport: transport.name,
              responseCode: err instanceof MailSendError ? err.responseCode : undefined,
              attempt,
              failed,
              permanent,
              reason: lastError,
            },
            failed ? 'e-mail notification failed for good' : 'e-mail notification failed; retrying',
          );

          return failed ? ('failed' as const) : ('retried' as const);
        }

        await tx.notification.update({
          where: { id: notification.id },
          data: { attempts: attempt, state: 'SENT', lastError: null, nextAttemptAt: null },
        });
        logger.info(
          {
            notificationId: notification.id,
            userId: notification.userId,
            transport: transport.name,
          },
          'e-mail notification sent',
        );

        return 'sent' as const;
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
