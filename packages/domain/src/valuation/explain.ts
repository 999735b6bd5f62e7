// "Why this price?": a ticket's latest valuation with its SHAP contributions, the comparables
// a fallback used, and the ticket's value history. For the ticket's owner only.
import type { OperationOptions } from '../context.ts';
import { DomainError } from '../errors.ts';

/** How many past valuations the history shows, newest kept. */
const HISTORY_LIMIT = 100;

// Names a trader understands, for the model's feature names.
const FEATURE_LABELS: Record<string, string> = {
  section_score: 'Seat location',
  days_to_event: 'Days until the event',
  platform_views: 'Views on this platform',
  platform_wants: 'Wants on this platform',
  platform_listings: 'Listings on this platform',
  team_rank: 'Team ranking',
  elo_mean: 'Team strength (Elo)',
  venue_capacity: 'Venue capacity',
  category: 'Event category',
  day_of_week: 'Day of the week',
  is_rivalry: 'Rivalry game',
};

export interface ExplainedContribution {
  feature: string;
  label: string;
  /** The feature's input value; null when it was missing. */
  input: number | null;
  valueMinor: number;
}

export interface ExplainedComparable {
  priceMinor: number;
  sectionTier: number | null;
  source: string;
  observedAt: string;
}

export interface TicketValueExplanation {
  ticket: {
    id: string;
    eventName: string | null;
    section: string | null;
    row: string | null;
    valueMinor: number | null;
    faceValueMinor: number | null;
  };
  latest: {
    createdAt: Date;
    method: string;
    modelVersion: string;
    valueMinor: number;
    confidence: number;
    fallback: boolean;
    capped: boolean;
    predictedMinor: number | null;
    baseValueMinor: number | null;
    /** Largest effect first. */
    contributions: ExplainedContribution[];
    comparablesBasis: string | null;
    comparablesCount: number;
    comparablesMedianMinor: number | null;
    /** The comparables stored with the valuation, nearest the median first. */
    comparables: ExplainedComparable[];
  } | null;
  /** Oldest first. */
  history: Array<{
    createdAt: Date;
    valueMinor: number;
    method: string;
    modelVersion: string;
    fallback: boolean;
    confidence: number;
  }>;
}

interface StoredFeatures {
  values?: Record<string, number | null> | null;
  comparablesBasis?: string | null;
  comparablesMedianMinor?: number | null;
  comparablesUsed?: ExplainedComparable[];
}

interface StoredContribution {
  feature: string;
  valueMinor: number;
}

/** Explains the value of one of the actor's tickets; NOT_FOUND for anyone else's. */
export async function explainTicketValue(
  { services, actor }: OperationOptions,
  ticketId: string,
): Promise<TicketValueExplanation> {
  const ticket = await services.prisma.ticket.findFirst({
    where: { id: ticketId, ownerId: actor.userId },
    select: {
      id: true,
      section: true,
      row: true,
      valueMinor: true,
      faceValueMinor: true,
      event: { select: { name: true } },
    },
  });
  if (!ticket) {
    throw new DomainError('NOT_FOUND', 'Ticket not found.', { ticketId });
  }

  const rows = await services.prisma.valuation.findMany({
    where: { ticketId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: HISTORY_LIMIT,
    select: {
      createdAt: true,
      method: true,
      modelVersion: true,
      valueMinor: true,
      confidence: true,
      comparables: true,
      features: true,
      contributions: true,
      baseValueMinor: true,
      predictedMinor: true,
      fallback: true,
      capped: true,
    },
  });
  const newest = rows[0];

  return {
    ticket: {
      id: ticket.id,
      eventName: ticket.event?.name ?? null,
      section: ticket.section,
      row: ticket.row,
      valueMinor: ticket.valueMinor,
      faceValueMinor: ticket.faceValueMinor,
    },
    latest: newest ? explainValuation(newest) : null,
    history: rows.reverse().map((row) => ({
      createdAt: row.createdAt,
      valueMinor: row.valueMinor,
      method: row.method,
      modelVersion: row.modelVersion,
      fallback: row.fallback,
      confidence: row.confidence,
    })),
  };
}

function explainValuation(row: {
  createdAt: Date;
  method: string;
  modelVersion: string;
  valueMinor: number;
  confidence: number;
  comparables: number;
  features: unknown;
  contributions: unknown;
  baseValueMinor: number | null;
  predictedMinor: number | null;
  fallback: boolean;
  capped: boolean;
}): NonNullable<TicketValueExplanation['latest']> {
  const features = (row.features ?? {}) as StoredFeatures;
  const stored = (
    Array.isArray(row.contributions) ? row.contributions : []
  ) as StoredContribution[];
  const contributions = stored
    .map((contribution) => ({
      feature: contribution.feature,
      label: FEATURE_LABELS[contribution.feature] ?? contribution.feature,
      input: features.values?.[contribution.feature] ?? null,
      valueMinor: contribution.valueMinor,
    }))
    .sort(
      (a, b) =>
        Math.abs(b.valueMinor) - Math.abs(a.valueMinor) || a.feature.localeCompare(b.feature),
    );

  return {
    createdAt: row.createdAt,
    method: row.method,
    modelVersion: row.modelVersion,
    valueMinor: row.valueMinor,
    confidence: row.confidence,
    fallback: row.fallback,
    capped: row.capped,
    predictedMinor: row.predictedMinor,
    baseValueMinor: row.baseValueMinor,
    contributions,
    comparablesBasis: features.comparablesBasis ?? null,
    comparablesCount: row.comparables,
    comparablesMedianMinor: features.comparablesMedianMinor ?? null,
    comparables: features.comparablesUsed ?? [],
  };
}
