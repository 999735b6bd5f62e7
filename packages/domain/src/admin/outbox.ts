import { z } from 'zod';

import type { Prisma } from '@ts/db';

import { appendAudit } from '../audit/audit.ts';
import type { OperationOptions, Services } from '../context.ts';
import { DomainError } from '../errors.ts';
import { router, staffProcedure } from '../trpc.ts';

// Payloads are left out of these views because they carry trader ids and amounts, which the
// trade and user pages already show to the staff allowed to see them.
const parkedEventSelect = {
  id: true,
  type: true,
  schemaVersion: true,
  aggregateType: true,
  aggregateId: true,
  attempts: true,
  lastError: true,
  createdAt: true,
  parkedAt: true,
} as const satisfies Prisma.OutboxEventSelect;

type ParkedEventRow = Prisma.OutboxEventGetPayload<{ select: typeof parkedEventSelect }>;

/** A parked event as the console shows it; the id is a decimal string, as react-admin needs. */
export type ParkedOutboxEvent = Omit<ParkedEventRow, 'id'> & { id: string };

function toView(row: ParkedEventRow): ParkedOutboxEvent {
  return { ...row, id: row.id.toString() };
}

/** Lists events the relay parked after their last failed attempt, most recently parked first. */
export async function listParkedOutboxEvents(
  services: Services,
  request: { page: number; perPage: number },
): Promise<{ data: ParkedOutboxEvent[]; total: number }> {
  const where: Prisma.OutboxEventWhereInput = { parkedAt: { not: null }, publishedAt: null };
  const [rows, total] = await Promise.all([
    services.prisma.outboxEvent.findMany({
      where,
      select: parkedEventSelect,
      orderBy: [{ parkedAt: 'desc' }, { id: 'desc' }],
      skip: (request.page - 1) * request.perPage,
      take: request.perPage,
    }),
    services.prisma.outboxEvent.count({ where }),
  ]);

  return { data: rows.map(toView), total };
}

/**
 * Puts a parked event back in the relay's queue with a fresh set of attempts and audits who did
 * it. `lastError` stays until a later failure replaces it.
 */
export async function requeueOutboxEvent(
  { services, actor, meta }: OperationOptions,
  input: { id: string },
): Promise<ParkedOutboxEvent> {
  const id = BigInt(input.id);

  return services.prisma.$transaction(async (tx) => {
    const event = await tx.outboxEvent.findUnique({
      where: { id },
      select: { ...parkedEventSelect, publishedAt: true },
    });
    if (!event) {
      throw new DomainError('NOT_FOUND', 'Outbox event not found.', { eventId: input.id });
    }

    // Guarded by the parked state, so a second or stale requeue changes nothing.
    const requeued = await tx.outboxEvent.updateMany({
      where: { id, parkedAt: { not: null }, publishedAt: null },
      data: { parkedAt: null, attempts: 0, nextAttemptAt: null },
    });
    if (requeued.count === 0) {
      throw new DomainError('CONFLICT', 'Only a parked event can be requeued; reload the list.', {
        eventId: input.id,
      });
    }
    await appendAudit(tx, {
      actorId: actor.userId,
      actorRole: actor.role,
      action: 'outbox.requeued',
      entityType: 'OutboxEvent',
      entityId: input.id,
      data: {
        type: event.type,
        aggregateType: event.aggregateType,
        aggregateId: event.aggregateId,
        attempts: event.attempts,
        lastError: event.lastError,
      },
      requestId: meta.requestId,
    });

    const { publishedAt: _publishedAt, ...row } = event;

    return toView({ ...row, attempts: 0, parkedAt: null });
  });
}

const admin = staffProcedure('ADMIN');

const eventId = z
  .string()
  .regex(/^[1-9]\d{0,17}$/, 'Use the event id shown in the console.');

export const outboxAdminRouter = router({
  parked: admin
    .input(z.object({
      page: z.int().min(1).default(1),
      perPage: z.int().min(1).max(200).default(25),
    }))
    .query(({ ctx, input }) => listParkedOutboxEvents(ctx.services, input)),
  requeue: admin
    .input(z.object({ id: eventId }))
    .mutation(({ ctx, input }) => {
      ctx.services.logger.info(
        { requestId: ctx.meta.requestId, eventId: input.id },
        'outbox event requeue',
      );

      return requeueOutboxEvent(ctx, input);
    }),
});
