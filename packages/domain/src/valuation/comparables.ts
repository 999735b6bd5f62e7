// Valuation v0: a ticket is worth the median price of comparable seats. The model-based
// valuation falls back to this when its own confidence is low.
import type { EventCategory, Tx } from '@ts/db';
import { sectionTierOf, type SectionTier } from '@ts/db/seed';

import { DomainError } from '../errors.ts';
import { capToFaceValue } from './face-value-cap.ts';
import { comparablesConfidence, median, type ComparablesBasis } from './statistics.ts';

export { sectionTierOf, type SectionTier };

export const COMPARABLES_MODEL_VERSION = 'comparables-v0';

// A tier with fewer comparables than this is too thin on its own, so the event's other tiers
// are used instead.
const MIN_TIER_COMPARABLES = 3;
// How many of the category's latest market averages stand in when an event has no prices.
const CATEGORY_SAMPLE_SIZE = 200;

export interface ValueTicketOptions {
  ticketId: string;
  /** The valuation time; only market prices collected by then are used. Defaults to now. */
  now?: Date;
}

export interface TicketValuation {
  valuationId: string;
  /** Credit minor units: 1 credit is 1 USD, so this equals the price in cents. */
  valueMinor: number;
  confidence: number;
  comparables: number;
  basis: ComparablesBasis;
  sectionTier: SectionTier | null;
  /** The uncapped median when the face-value cap lowered the value, else the value itself. */
  medianMinor: number;
  capped: boolean;
}

/**
 * Values a ticket from comparable prices and records the result: a Valuation row (method
 * COMPARABLES) and the ticket's valueMinor and valueConfidence. Comparables are searched in
 * widening circles: the event's prices for the ticket's seat tier, then all of the event's
 * prices, then the latest market averages of events in the same category. The value is their
 * median, capped by the owner's jurisdiction at a percentage of face value.
 *
 * Raises NOT_FOUND for an unknown ticket or when no circle has any price, and INVALID_INPUT
 * for a ticket without an event.
 */
export async function valueTicket(tx: Tx, options: ValueTicketOptions): Promise<TicketValuation> {
  const now = options.now ?? new Date();
  const ticket = await tx.ticket.findUnique({
    where: { id: options.ticketId },
    select: {
      id: true,
      section: true,
      sectionTier: true,
      faceValueMinor: true,
      owner: { select: { jurisdiction: true } },
      event: { select: { id: true, category: true } },
    },
  });
  if (!ticket) {
    throw new DomainError('NOT_FOUND', 'Ticket not found.', { ticketId: options.ticketId });
  }
  if (!ticket.event) {
    throw new DomainError('INVALID_INPUT', 'Choose the event of this ticket before valuing it.', {
      ticketId: ticket.id,
    });
  }

  const sectionTier = ticketTier(ticket.sectionTier, ticket.section, ticket.event.category);
  const found = await findComparables(tx, ticket.event, sectionTier, now);
  if (!found) {
    throw new DomainError('NOT_FOUND', 'No market prices are known for this event yet.', {
      ticketId: ticket.id,
      eventId: ticket.event.id,
    });
  }

  const medianMinor = median(found.prices);
  const confidence = comparablesConfidence(found.prices, found.basis);
  const rule = await tx.jurisdictionRule.findUnique({
    where: { code: ticket.owner.jurisdiction },
    select: { maxPercentOfFace: true },
  });
  const cap = capToFaceValue({
    valueMinor: medianMinor,
    faceValueMinor: ticket.faceValueMinor,
    maxPercentOfFace: rule?.maxPercentOfFace ?? null,
  });

  const valuation = await tx.valuation.create({
    data: {
      ticketId: ticket.id,
      method: 'COMPARABLES',
      modelVersion: COMPARABLES_MODEL_VERSION,
      valueMinor: cap.valueMinor,
      confidence,
      comparables: found.prices.length,
    },
    select: { id: true },
  });
  await tx.ticket.update({
    where: { id: ticket.id },
    data: { valueMinor: cap.valueMinor, valueConfidence: confidence },
  });

  return {
    valuationId: valuation.id,
    valueMinor: cap.valueMinor,
    confidence,
    comparables: found.prices.length,
    basis: found.basis,
    sectionTier,
    medianMinor,
    capped: cap.capped,
  };
}

function ticketTier(
  storedTier: number | null,
  section: string | null,
  category: EventCategory,
): SectionTier | null {
  if (storedTier === 1 || storedTier === 2 || storedTier === 3) return storedTier;
  if (section) return sectionTierOf(section, category);

  return null;
}

async function findComparables(
  tx: Tx,
  event: { id: string; category: EventCategory },
  sectionTier: SectionTier | null,
  now: Date,
): Promise<{ prices: number[]; basis: ComparablesBasis } | null> {
  if (sectionTier !== null) {
    const tierRows = await tx.comparablePrice.findMany({
      where: { eventId: event.id, sectionTier },
      select: { priceMinor: true },
    });
    if (tierRows.length >= MIN_TIER_COMPARABLES) {
      return { prices: tierRows.map((row) => row.priceMinor), basis: 'tier' };
    }
  }

  const eventRows = await tx.comparablePrice.findMany({
    where: { eventId: event.id },
    select: { priceMinor: true },
  });
  if (eventRows.length > 0) {
    return { prices: eventRows.map((row) => row.priceMinor), basis: 'event' };
  }

  const marketRows = await tx.marketPrice.findMany({
    where: {
      event: { category: event.category },
      averageMinor: { not: null },
      collectedAt: { lte: now },
    },
    select: { averageMinor: true },
    orderBy: [{ collectedAt: 'desc' }, { id: 'asc' }],
    take: CATEGORY_SAMPLE_SIZE,
  });
  const averages = marketRows.flatMap((row) =>
    row.averageMinor === null ? [] : [row.averageMinor],
  );

  return averages.length > 0 ? { prices: averages, basis: 'category' } : null;
}
