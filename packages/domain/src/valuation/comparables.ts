// Valuation v0: a ticket is worth the median price of comparable seats. The model-based
// valuation falls back to this when its own confidence is low.
import type { EventCategory, Tx } from '@ts/db';
import { sectionTierOf, type SectionTier } from '@ts/db/seed';

import { comparablesConfidence, median, type ComparablesBasis } from './statistics.ts';

export { sectionTierOf, type SectionTier };

export const COMPARABLES_MODEL_VERSION = 'comparables-v0';

// A tier with fewer comparables than this is too thin on its own, so the event's other tiers
// are used instead.
const MIN_TIER_COMPARABLES = 3;
// How many of the category's latest market averages stand in when an event has no prices.
const CATEGORY_SAMPLE_SIZE = 200;

const comparableSelect = {
  priceMinor: true,
  sectionTier: true,
  source: true,
  observedAt: true,
} as const;

/** One price a comparables valuation used. */
export interface ComparableUsed {
  priceMinor: number;
  /** The seat tier of an event's own price; null for another event's market average. */
  sectionTier: number | null;
  source: string;
  observedAt: Date;
}

export interface ComparablesResult {
  comparables: ComparableUsed[];
  basis: ComparablesBasis;
  medianMinor: number;
  confidence: number;
}

/**
 * Finds the comparable prices of a ticket and their median. The search widens in circles: the
 * event's prices for the ticket's seat tier, then all of the event's prices, then the latest
 * market averages of events in the same category collected by `now`. Returns null when no
 * circle has any price.
 */
export async function valueByComparables(
  tx: Tx,
  event: { id: string; category: EventCategory },
  sectionTier: SectionTier | null,
  now: Date,
): Promise<ComparablesResult | null> {
  const found = await findComparables(tx, event, sectionTier, now);
  if (!found) return null;

  const prices = found.comparables.map((comparable) => comparable.priceMinor);

  return {
    ...found,
    medianMinor: median(prices),
    confidence: comparablesConfidence(prices, found.basis),
  };
}

async function findComparables(
  tx: Tx,
  event: { id: string; category: EventCategory },
  sectionTier: SectionTier | null,
  now: Date,
): Promise<{ comparables: ComparableUsed[]; basis: ComparablesBasis } | null> {
  if (sectionTier !== null) {
    const tierRows = await tx.comparablePrice.findMany({
      where: { eventId: event.id, sectionTier },
      select: comparableSelect,
      orderBy: [{ observedAt: 'asc' }, { id: 'asc' }],
    });
    if (tierRows.length >= MIN_TIER_COMPARABLES) {
      return { comparables: tierRows, basis: 'tier' };
    }
  }

  const eventRows = await tx.comparablePrice.findMany({
    where: { eventId: event.id },
    select: comparableSelect,
    orderBy: [{ observedAt: 'asc' }, { id: 'asc' }],
  });
  if (eventRows.length > 0) {
    return { comparables: eventRows, basis: 'event' };
  }

  const marketRows = await tx.marketPrice.findMany({
    where: {
      event: { category: event.category },
      averageMinor: { not: null },
      collectedAt: { lte: now },
    },
    select: { averageMinor: true, source: true, collectedAt: true },
    orderBy: [{ collectedAt: 'desc' }, { id: 'asc' }],
    take: CATEGORY_SAMPLE_SIZE,
  });
  const averages = marketRows.flatMap((row) =>
    row.averageMinor === null
      ? []
      : [{
          priceMinor: row.averageMinor,
          sectionTier: null,
          source: row.source,
          observedAt: row.collectedAt,
        }],
  );

  return averages.length > 0 ? { comparables: averages, basis: 'category' } : null;
}
