import type { Tx } from '@ts/db';

import type { Services } from '../context.ts';
import { notifyUsers } from './write.ts';

export const escrowReminderJob = 'escrow.reminder';

/** Hours before the release deadline at which traders with open transfers are reminded. */
export const reminderHoursBefore = [24, 2] as const;

/**
 * Enqueues the reminder jobs of a new trade inside the transaction that opens it. Reminders
 * whose time has already passed (a short escrow) are not enqueued.
 */
export async function scheduleEscrowReminders(
  tx: Tx,
  services: Services,
  tradeId: string,
  releaseDeadline: Date,
): Promise<number> {
  const now = services.now().getTime();
  let scheduled = 0;
  for (const hoursBefore of reminderHoursBefore) {
    const at = new Date(releaseDeadline.getTime() - hoursBefore * 3_600_000);
    if (at.getTime() <= now) {
      continue;
    }
    await services.jobs.send(escrowReminderJob, { tradeId, hoursBefore }, {
      tx,
      startAfter: at,
      singletonKey: `${tradeId}:${hoursBefore}`,
    });
    scheduled += 1;
  }

  return scheduled;
}

export type ReminderOutcome =
  | 'sent'
  | 'already_sent'
  | 'trade_closed'
  | 'nothing_open'
  | 'deadline_passed'
  | 'superseded';

/**
 * Reminds each trader who still has to send or confirm a ticket that the escrow deadline is
 * near. The trade row is locked and the notice carries a dedupe key, so a job that runs twice
 * writes one reminder. A job that runs after the trade ended, after the deadline, or so late
 * that the next reminder is already due writes none.
 */
export async function sendEscrowReminder(
  services: Services,
  input: { tradeId: string; hoursBefore: number },
): Promise<ReminderOutcome> {
  return services.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Trade" WHERE id = ${input.tradeId}::uuid FOR UPDATE`;
    const trade = await tx.trade.findUnique({
      where: { id: input.tradeId },
      select: {
        state: true,
        releaseDeadline: true,
        transfers: {
          select: { state: true, deposit: { select: { fromUserId: true, toUserId: true } } },
        },
      },
    });
    if (!trade || trade.state !== 'ESCROWED') {
      return 'trade_closed';
    }

    const now = services.now();
    const msLeft = trade.releaseDeadline.getTime() - now.getTime();
    if (msLeft <= 0) {
      return 'deadline_passed';
    }
    const later = reminderHoursBefore.filter((h) => h < input.hoursBefore);
    if (later.some((h) => msLeft <= h * 3_600_000)) {
      return 'superseded';
    }

    const dedupeKey = `escrow.reminder:${input.tradeId}:${input.hoursBefore}`;
    const existing = await tx.notification.count({
      where: { kind: 'escrow.reminder', data: { path: ['dedupeKey'], equals: dedupeKey } },
    });
    if (existing > 0) {
      return 'already_sent';
    }

    const actions = new Map<string, Set<'send' | 'confirm'>>();
    const add = (userId: string, action: 'send' | 'confirm') => {
      const set = actions.get(userId) ?? new Set();
      set.add(action);
      actions.set(userId, set);
    };
    for (const transfer of trade.transfers) {
      if (transfer.state === 'PENDING') {
        add(transfer.deposit.fromUserId, 'send');
      } else if (transfer.state === 'SENT') {
        add(transfer.deposit.toUserId, 'confirm');
      }
    }
    if (actions.size === 0) {
      return 'nothing_open';
    }

    const hoursLeft = Math.max(1, Math.round(msLeft / 3_600_000));
    for (const [userId, todo] of actions) {
      await notifyUsers(tx, {
        userIds: [userId],
        kind: 'escrow.reminder',
        vars: { tradeId: input.tradeId, hoursLeft, actions: [...todo].sort() },
        dedupeKey,
      }, now);
    }

    return 'sent';
  });
}
