// The model's input row, built from a ticket, its event and the platform's demand. It must
// match what ml/features.py builds from the market data; the Python cross-check test compares
// the section score of both sides.
import type { EventCategory } from '@ts/db';
import { sectionTierOf, type SectionTier } from '@ts/db/seed';

import type { FeatureSpec } from './served-model.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const LEADING_NUMBER = /^(\d+)/;

/** Platform demand for one event. */
export interface Demand {
  /** Views of the event's listings in the last 7 days. */
  views: number;
  wants: number;
  /** Tickets of the event listed on the marketplace now. */
  listings: number;
}

export interface FeatureInputs {
  section: string | null;
  row: string | null;
  sectionTier: number | null;
  category: EventCategory;
  startsAt: Date;
  timezone: string;
  capacity: number | null;
  homeRank: number | null;
  awayRank: number | null;
  homeElo: number | null;
  awayElo: number | null;
  isRivalry: boolean;
  demand: Demand;
  now: Date;
}

export interface FeatureRow {
  /** The model input in the spec's feature order; NaN marks a missing value. */
  vector: number[];
  /** The same values by feature name, with null for missing, as stored with a valuation. */
  named: Record<string, number | null>;
  sectionTier: SectionTier | null;
}

/** Returns the seat tier stored on the ticket, else the tier of its section label. */
export function ticketTier(
  storedTier: number | null,
  section: string | null,
  category: EventCategory,
): SectionTier | null {
  if (storedTier === 1 || storedTier === 2 || storedTier === 3) return storedTier;
  if (section) return sectionTierOf(section, category);

  return null;
}

/**
 * Scores a seat between 0 and 1 from its tier, lowered within the tier by a known row number
 * (front rows sell dearer). The spec contains the constants training used. Returns NaN without a
 * tier, which the model treats as missing.
 */
export function sectionScore(
  spec: FeatureSpec,
  tier: SectionTier | null,
  row: string | null,
): number {
  if (tier === null) return Number.NaN;

  const { tier_base: tierBase, row_penalty: rowPenalty, row_scale: rowScale } =
    spec.encodings.section_score;
  const base = tierBase[String(tier)]!;
  const match = LEADING_NUMBER.exec((row ?? '').trim());
  if (!match) return base;

  const score = base - (rowPenalty * Math.min(Number(match[1]), rowScale)) / rowScale;

  return Math.round(score * 1e6) / 1e6;
}

/** Returns the weekday (0 = Sunday) of an instant in a time zone. */
export function localWeekday(instant: Date, timezone: string): number {
  const name = new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone: timezone })
    .format(instant);

  return WEEKDAYS.indexOf(name);
}

function orMissing(value: number | null): number {
  return value === null ? Number.NaN : value;
}

/** Builds the model input for one ticket; raises when the spec names an unknown feature. */
export function buildFeatureRow(spec: FeatureSpec, inputs: FeatureInputs): FeatureRow {
  const sectionTier = ticketTier(inputs.sectionTier, inputs.section, inputs.category);
  const ranks = [inputs.homeRank, inputs.awayRank].filter((rank) => rank !== null);
  const elos = [inputs.homeElo, inputs.awayElo].filter((elo) => elo !== null);
  const values: Record<string, number> = {
    section_score: sectionScore(spec, sectionTier, inputs.row),
    // Whole days, as the market scrapes count them; an event already under way counts as 0.
    days_to_event: Math.max(
      0,
      Math.floor((inputs.startsAt.getTime() - inputs.now.getTime()) / DAY_MS),
    ),
    platform_views: inputs.demand.views,
    platform_wants: inputs.demand.wants,
    platform_listings: inputs.demand.listings,
    team_rank: ranks.length > 0 ? Math.min(...ranks) : Number.NaN,
    elo_mean: elos.length > 0 ? elos.reduce((sum, elo) => sum + elo, 0) / elos.length : Number.NaN,
    venue_capacity: orMissing(inputs.capacity),
    category: spec.encodings.category[inputs.category] ?? Number.NaN,
    day_of_week: localWeekday(inputs.startsAt, inputs.timezone),
    is_rivalry: inputs.isRivalry ? 1 : 0,
  };

  const vector = spec.features.map((name) => {
    const value = values[name];
    if (value === undefined) {
      throw new Error(`feature ${name} in the model spec has no builder; update features.ts`);
    }

    return value;
  });
  const named = Object.fromEntries(
    spec.features.map((name, index) => [name, Number.isNaN(vector[index]) ? null : vector[index]!]),
  );

  return { vector, named, sectionTier };
}
