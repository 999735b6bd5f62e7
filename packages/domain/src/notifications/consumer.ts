import type { Tx } from '@ts/db';

import type { NotificationKind, TemplateVars } from './templates.ts';
import { notifyUsers } from './write.ts';

/** An outbox row as the relay hands it to consumers. */
export interface PublishedEvent {
  id: bigint;
  type: string;
  schemaVersion: number;
  payload: Record<string, unknown>;
}

/** A consumer of outbox events; it runs inside the relay's transaction. */
export interface OutboxConsumer {
  name: string;
  /** Event type → payload versions this consumer understands; other types are ignored. */
  versions: Readonly<Record<string, readonly number[]>>;
  consume(tx: Tx, event: PublishedEvent, now: Date): Promise<void>;
}

interface Recipients {
  userIds: string[];
  kind: NotificationKind;
  vars: TemplateVars;
}

function text(payload: Record<string, unknown>, key: string): string | undefined {
  const value = payload[key];

  return typeof value === 'string' ? value : undefined;
}

function ids(payload: Record<string, unknown>): string[] {
  const value = payload.userIds;

  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

async function proposalParties(tx: Tx, proposalId: string): Promise<string[]> {
  const legs = await tx.proposalLeg.findMany({
    where: { proposalId },
    select: { fromUserId: true, toUserId: true },
  });

  return [...new Set(legs.flatMap((leg) => [leg.fromUserId, leg.toUserId]))];
}

async function transferParty(tx: Tx, transferId: string, side: 'sender' | 'receiver') {
  const transfer = await tx.transfer.findUnique({
    where: { id: transferId },
    select: { deposit: { select: { fromUserId: true, toUserId: true } } },
  });
  if (!transfer) {
    return [];
  }

  return [side === 'sender' ? transfer.deposit.fromUserId : transfer.deposit.toUserId];
}

/** Works out who hears about an event and with which template; null means nobody. */
async function recipientsOf(tx: Tx, event: PublishedEvent): Promise<Recipients | null> {
  const p = event.payload;
  const tradeId = text(p, 'tradeId');
  const proposalId = text(p, 'proposalId');

  switch (event.type) {
    case 'proposal.created':
      return { userIds: ids(p), kind: 'proposal.created', vars: { proposalId } };
    case 'proposal.accepted': {
      // The trader who accepted knows; everyone else in the proposal hears about it.
      const accepter = text(p, 'userId');
      const parties = proposalId ? await proposalParties(tx, proposalId) : [];

      return {
        userIds: parties.filter((id) => id !== accepter),
        kind: 'proposal.accepted',
        vars: { proposalId },
      };
    }
    case 'proposal.expired': {
      const parties = proposalId ? await proposalParties(tx, proposalId) : [];

      return { userIds: parties, kind: 'proposal.expired', vars: { proposalId } };
    }
    case 'topup.hold_released':
    case 'trade.escrowed':
    case 'trade.completed':
    case 'trade.timed_out':
    case 'dispute.opened':
      return { userIds: ids(p), kind: event.type, vars: { tradeId } };
    case 'dispute.resolved':
      return {
        userIds: ids(p),
        kind: 'dispute.resolved',
        vars: { tradeId, outcome: text(p, 'outcome') },
      };
    case 'transfer.sent':
    case 'transfer.confirmed': {
      const transferId = text(p, 'transferId');
      // The receiver is told a ticket is coming; the sender that it arrived.
      const side = event.type === 'transfer.sent' ? 'receiver' : 'sender';
      const userIds = transferId ? await transferParty(tx, transferId, side) : [];

      return { userIds, kind: event.type, vars: { tradeId } };
    }
    case 'debt.recorded':
      return { userIds: ids(p), kind: 'debt.recorded', vars: { tradeId } };
    case 'user.kyc_changed': {
      const userId = text(p, 'userId');

      return userId
        ? { userIds: [userId], kind: 'kyc.changed', vars: { kycStatus: text(p, 'kycStatus') } }
        : null;
    }
    default:
      return null;
  }
}

/** Turns domain events into in-app, e-mail and push notifications for the traders involved. */
export const notificationConsumer: OutboxConsumer = {
  name: 'notifications',
  versions: {
    'proposal.created': [1],
    'proposal.accepted': [1],
    'proposal.expired': [1],
    'trade.escrowed': [1],
    'transfer.sent': [1],
    'transfer.confirmed': [1],
    'trade.completed': [1],
    'trade.timed_out': [1],
    'dispute.opened': [1],
    'dispute.resolved': [1],
    'user.kyc_changed': [1],
    'debt.recorded': [1],
    'topup.hold_released': [1],
  },
  async consume(tx, event, now) {
    const recipients = await recipientsOf(tx, event);
    if (!recipients || recipients.userIds.length === 0) {
      return;
    }

    await notifyUsers(tx, { ...recipients, eventId: event.id.toString() }, now);
  },
};
