// Revaluation with a Redis cache: a ticket is valued again only when the served model, the
// event's demand or the ticket's own inputs moved since its last cached valuation.
import type { Services } from '../context.ts';
import { revalueJobName } from './demand.ts';
import { loadServedModel, type ServedModel } from './model/served-model.ts';
import {
  loadValuationInputs,
  valuationFingerprint,
  valueTicket,
  type TicketValuation,
} from './value-ticket.ts';

const CACHE_TTL_SECONDS = 24 * 60 * 60;

/** Redis key of a cached valuation: ticket, model version and input fingerprint. */
export function valuationCacheKey(ticketId: string, modelVersion: string, fingerprint: string) {
  return `valuation:${ticketId}:${modelVersion}:${fingerprint}`;
}

export interface RevalueResult {
  valuation: TicketValuation;
  /** True when the cached valuation still held and nothing was stored. */
  cached: boolean;
}

/**
 * Values a ticket unless the cache contains a valuation for the same model version and inputs
 * that is still the ticket's latest. The second check matters when inputs move away and back:
 * the old key would still exist, but a newer valuation has replaced it on the ticket.
 */
export async function revalueTicket(
  services: Services,
  ticketId: string,
  model: ServedModel | null = loadServedModel(),
): Promise<RevalueResult> {
  const now = services.now();
  const inputs = await loadValuationInputs(services.prisma, ticketId, now, model);
  const key = valuationCacheKey(
    ticketId,
    model?.version ?? 'none',
    valuationFingerprint(inputs),
  );

  const hit = await services.redis.get(key);
  if (hit) {
    const cached = JSON.parse(hit) as TicketValuation;
    const latest = await services.prisma.valuation.findFirst({
      where: { ticketId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { id: true },
    });
    if (latest?.id === cached.valuationId) return { valuation: cached, cached: true };
  }

  const valuation = await services.prisma.$transaction((tx) =>
    valueTicket(tx, { ticketId, now, model }),
  );
  await services.redis.set(key, JSON.stringify(valuation), 'EX', CACHE_TTL_SECONDS);

  return { valuation, cached: false };
}

/**
 * Revalues the listed tickets of upcoming events, of one event when `eventId` is given. Safe
 * to run twice: a ticket whose model version and inputs have not moved is skipped.
 */
export async function revalueListedTickets(
  services: Services,
  scope: { eventId?: string },
  model: ServedModel | null = loadServedModel(),
): Promise<{ checked: number; revalued: number; failed: number }> {
  const tickets = await services.prisma.ticket.findMany({
    where: {
      state: 'LISTED',
      event: { id: scope.eventId, startsAt: { gt: services.now() } },
    },
    select: { id: true },
    orderBy: { id: 'asc' },
  });

  let revalued = 0;
  let failed = 0;
  for (const ticket of tickets) {
    try {
      const result = await revalueTicket(services, ticket.id, model);
      if (!result.cached) revalued += 1;
    } catch (err) {
      // One ticket without prices must not stop the others; the job logs the count.
      failed += 1;
      services.logger.warn({ err, ticketId: ticket.id }, 'revaluation of a ticket failed');
    }
  }

  return { checked: tickets.length, revalued, failed };
}

/**
 * Queues a revaluation of every listed ticket under the served model version. Call it once at
 * start-up: when the version is new the tickets get new valuations, and otherwise every ticket
 * is a cache hit.
 */
export async function queueModelRevalue(services: Services, model = loadServedModel()) {
  return services.jobs.send(revalueJobName, { modelVersion: model.version }, {
    singletonKey: `model:${model.version}`,
  });
}
