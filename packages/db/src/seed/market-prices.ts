// TickPick price snapshots of college-football games: market prices and comparables.
import {
  cell,
  dollarsToMinor,
  optionalInt,
  parseBoolean,
  parseCalendarDate,
  parseClockTime,
  type CsvRecord,
} from './csv.ts';
import type { GameFinder } from './teams.ts';

export const TICKPICK_SOURCE = 'tickpick';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface MarketPriceRow {
  externalId: string;
  collectedAt: Date;
  daysUntilEvent: number;
  lowestMinor: number | null;
  highestMinor: number | null;
  averageMinor: number | null;
  listingCount: number | null;
}

export interface ComparableRow {
  externalId: string;
  sectionTier: number;
  priceMinor: number;
  observedAt: Date;
}

export interface MatchedSnapshots {
  marketPrices: MarketPriceRow[];
  comparables: ComparableRow[];
  rivalryExternalIds: Set<string>;
  unmatchedSnapshots: number;
  unmatchedGames: number;
}

/**
 * Matches every snapshot to a schedule game by its two teams and date. Each matched snapshot
 * becomes one market price. Comparables come from the last snapshot of each collection day,
 * so repeated scrapes of the same day do not outweigh other days. The lowest price is filed
 * under seat tier 3, because a stadium's cheapest seats are usually in the upper deck. The
 * average goes under tier 2 and the highest price under tier 1, because the dearest seats are
 * usually lower-bowl or premium seats.
 */
export function matchSnapshots(snapshots: CsvRecord[], finder: GameFinder): MatchedSnapshots {
  const marketPrices: MarketPriceRow[] = [];
  const lastOfDay = new Map<string, MarketPriceRow>();
  const rivalryExternalIds = new Set<string>();
  const unmatchedGames = new Set<string>();
  let unmatchedSnapshots = 0;

  for (const snapshot of snapshots) {
    const localDateMs = parseCalendarDate(cell(snapshot, 'date_local'));
    const game = finder.find(cell(snapshot, 'homeTeam'), cell(snapshot, 'awayTeam'), localDateMs);
    if (!game) {
      unmatchedSnapshots += 1;
      unmatchedGames.add(cell(snapshot, 'event_id'));
      continue;
    }

    const row = toMarketPrice(snapshot, game.externalId, game.startsAtMs);
    marketPrices.push(row);
    if (parseBoolean(cell(snapshot, 'isRivalry'))) rivalryExternalIds.add(game.externalId);

    const dayKey = `${game.externalId}|${Math.floor(row.collectedAt.getTime() / DAY_MS)}`;
    const previous = lastOfDay.get(dayKey);
    if (!previous || previous.collectedAt < row.collectedAt) lastOfDay.set(dayKey, row);
  }

  const comparables = [...lastOfDay.values()].flatMap(toComparables);

  return {
    marketPrices,
    comparables,
    rivalryExternalIds,
    unmatchedSnapshots,
    unmatchedGames: unmatchedGames.size,
  };
}

function toMarketPrice(snapshot: CsvRecord, externalId: string, startsAtMs: number) {
  // NOTE: the file does not state the zone of the collection time. It is read as UTC, so
  // collectedAt may be off by a few hours.
  const collectedAt = new Date(
    parseCalendarDate(cell(snapshot, 'date_collected')) +
      parseClockTime(cell(snapshot, 'time_collected')),
  );
  const daysUntilEvent =
    optionalInt(cell(snapshot, 'days_until_game')) ??
    Math.round((startsAtMs - collectedAt.getTime()) / DAY_MS);

  return {
    externalId,
    collectedAt,
    daysUntilEvent,
    lowestMinor: dollarsToMinor(cell(snapshot, 'lowest_price')),
    highestMinor: dollarsToMinor(cell(snapshot, 'highest_price')),
    averageMinor: dollarsToMinor(cell(snapshot, 'average_price')),
    listingCount: optionalInt(cell(snapshot, 'listing_count')),
  } satisfies MarketPriceRow;
}

function toComparables(price: MarketPriceRow): ComparableRow[] {
  const tiers: Array<[number, number | null]> = [
    [1, price.highestMinor],
    [2, price.averageMinor],
    [3, price.lowestMinor],
  ];

  return tiers
    .filter((entry): entry is [number, number] => entry[1] !== null)
    .map(([sectionTier, priceMinor]) => ({
      externalId: price.externalId,
      sectionTier,
      priceMinor,
      observedAt: price.collectedAt,
    }));
}
