import type { Prisma, Tx } from '@ts/db';

/** Versioned domain events published to consumers through the outbox. */
export type DomainEvent =
  | { type: 'ticket.uploaded'; version: 1; ticketId: string; ownerId: string }
  | { type: 'ticket.listed'; version: 1; ticketId: string; valueMinor: number | null }
  | { type: 'ticket.withdrawn'; version: 1; ticketId: string }
  | { type: 'ticket.valued'; version: 1; ticketId: string; valueMinor: number }
  | { type: 'proposal.created'; version: 1; proposalId: string; userIds: string[] }
  | { type: 'proposal.accepted'; version: 1; proposalId: string; userId: string }
  | { type: 'proposal.rejected'; version: 1; proposalId: string; userId: string }
  | { type: 'proposal.expired'; version: 1; proposalId: string }
  | { type: 'trade.escrowed'; version: 1; tradeId: string; userIds: string[] }
  | { type: 'transfer.sent'; version: 1; tradeId: string; transferId: string }
  | { type: 'transfer.confirmed'; version: 1; tradeId: string; transferId: string }
  | { type: 'trade.completed'; version: 1; tradeId: string; userIds: string[] }
  | { type: 'trade.timed_out'; version: 1; tradeId: string; userIds: string[] }
  | { type: 'dispute.opened'; version: 1; disputeId: string; tradeId: string; userIds: string[] }
  | {
      type: 'dispute.resolved';
      version: 1;
      disputeId: string;
      tradeId: string;
      outcome: string;
      userIds: string[];
    }
  | { type: 'user.kyc_changed'; version: 1; userId: string; kycStatus: string }
  | { type: 'topup.hold_released'; version: 1; tradeId: string; payerId: string; userIds: string[] }
  | {
      type: 'debt.recorded';
      version: 1;
      debtId: string;
      tradeId: string;
      amountMinor: number;
      userIds: string[];
    };

/** Writes a domain event to the outbox inside the transaction that caused it. */
export async function emitEvent(
  tx: Tx,
  aggregate: { type: string; id: string },
  event: DomainEvent,
): Promise<void> {
  const { type, version, ...payload } = event;

  await tx.outboxEvent.create({
    data: {
      type,
      schemaVersion: version,
      aggregateType: aggregate.type,
      aggregateId: aggregate.id,
      payload: payload as Prisma.InputJsonObject,
    },
  });
}
