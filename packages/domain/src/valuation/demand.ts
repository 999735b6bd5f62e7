// Platform demand for an event (views, wants, listings): model features and the part of the
// valuation cache key that moves when demand moves.
import { createHash } from 'node:crypto';

import type { Tx } from '@ts/db';

import type { Services } from '../context.ts';
import type { Demand } from './model/features.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Views older than this no longer count as demand. */
export const VIEW_WINDOW_DAYS = 7;

export const revalueJobName = 'valuation.revalue';
/** Seconds a demand change waits before revaluing, so a burst of views costs one job. */
const REVALUE_DELAY_SECONDS = 30;

/** Counts the demand for one event as of `now`. */
export async function loadDemand(tx: Tx, eventId: string, now: Date): Promise<Demand> {
  const windowStart = new Date(now.getTime() - VIEW_WINDOW_DAYS * DAY_MS);
  const [views, wants, listings] = await Promise.all([
    tx.eventView.count({ where: { eventId, viewedAt: { gt: windowStart, lte: now } } }),
    tx.want.count({ where: { eventId } }),
    tx.ticket.count({ where: { eventId, state: 'LISTED' } }),
  ]);

  return { views, wants, listings };
}

/** Hashes whatever a cached valuation depends on into a short, stable fingerprint. */
export function fingerprintOf(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);
}

/**
 * Records that someone looked at an event's listings and queues a revaluation of its listed
 * tickets; an unknown event records nothing. The job waits 30 seconds and, because its
 * queue has the 'short' policy and the event is the singleton key, is queued at most once per
 * event at a time, so many views cost one revaluation. Queueing is best effort: a
 * view must not fail a page because the job queue is busy, so a failure is logged and dropped.
 */
export async function recordEventView(
  services: Services,
  eventId: string,
  viewerId: string | undefined,
): Promise<void> {
  const event = await services.prisma.event.findUnique({
    where: { id: eventId },
    select: { id: true },
  });
  if (!event) return;

  await services.prisma.eventView.create({
    data: { eventId, viewerId: viewerId ?? null, viewedAt: services.now() },
    select: { id: true },
  });

  try {
    await services.jobs.send(revalueJobName, { eventId }, {
      singletonKey: `event:${eventId}`,
      startAfter: new Date(Date.now() + REVALUE_DELAY_SECONDS * 1000),
    });
  } catch (err) {
    services.logger.warn({ err, eventId }, 'could not queue the revaluation after a view');
  }
}
