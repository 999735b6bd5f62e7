// Loads the real market data (venues, the 2025 college-football season, one concert, market
// prices and comparable prices) into the catalogue tables. Safe to run again: venues and events
// are upserted on their ids, and the prices this seed owns are replaced, not appended.
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import {
  CONCERT_EXTERNAL_ID,
  CONCERT_LISTINGS_SOURCE,
  CONCERT_NAME,
  concertComparables,
  concertStartsAt,
  findConcertVenue,
} from './concert.ts';
import { cell, optionalInt, optionalNumber, readCsv, type CsvRecord } from './csv.ts';
import { matchSnapshots, TICKPICK_SOURCE, type ComparableRow } from './market-prices.ts';
import { GameFinder, normaliseTeam } from './teams.ts';
import {
  normaliseCountry,
  resolveVenueTimezones,
  type TimezoneSource,
  type VenueLocation,
} from './timezones.ts';

export const CATALOGUE_FILES = {
  venues: 'cfb-venues.csv',
  schedule: 'cfb-2025-schedule.csv',
  priceSnapshots: 'tickpick-cfb-2025-price-snapshots.csv',
  concertListings: 'vividseats-concert-listings.csv',
} as const;

export const FOOTBALL_SUBCATEGORY = 'college-football';

/** The subset of a pino logger that the seeds write to. */
export interface SeedLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface SeedCatalogueOptions {
  /** Folder holding the CSV files named in CATALOGUE_FILES. */
  dataDir: string;
  logger?: SeedLogger;
}

export interface CatalogueSummary {
  venues: number;
  games: number;
  concertEventId: string;
  marketPrices: number;
  comparablePrices: number;
  venueTimezoneSources: Record<TimezoneSource, number>;
  /** Venues given America/New_York for want of any location data that implies a zone. */
  defaultTimezoneVenueIds: number[];
  unmatchedSnapshots: number;
  unmatchedGames: number;
  durationMs: number;
}

type VenueRow = Prisma.VenueCreateManyInput & { id: number; timezone: string };
type EventRow = Prisma.EventCreateManyInput;

const INSERT_CHUNK_ROWS = 2_000;

const silentLogger: SeedLogger = { info: () => {}, warn: () => {} };

/** Seeds the catalogue from the CSVs in `dataDir` and returns what it wrote. */
export async function seedCatalogue(
  prisma: PrismaClient,
  options: SeedCatalogueOptions,
): Promise<CatalogueSummary> {
  const started = performance.now();
  const logger = options.logger ?? silentLogger;

  const [venueRecords, gameRecords, snapshots, listings] = await Promise.all([
    readCsv(options.dataDir, CATALOGUE_FILES.venues),
    readCsv(options.dataDir, CATALOGUE_FILES.schedule),
    readCsv(options.dataDir, CATALOGUE_FILES.priceSnapshots),
    readCsv(options.dataDir, CATALOGUE_FILES.concertListings),
  ]);

  const { venues, timezoneSources, defaultedIds } = toVenues(venueRecords);
  const games = gameRecords.map(toGame);
  const matched = matchSnapshots(snapshots, gameFinderFor(games));
  for (const game of games) {
    game.isRivalry = matched.rivalryExternalIds.has(game.externalId);
  }

  const concertVenue = findConcertVenue(venues);
  const concert: EventRow = {
    externalId: CONCERT_EXTERNAL_ID,
    name: CONCERT_NAME,
    category: 'CONCERT',
    subcategory: 'pop',
    startsAt: concertStartsAt(concertVenue.timezone),
    venueId: concertVenue.id,
  };

  await upsertVenues(prisma, venues);
  const eventIds = await upsertEvents(prisma, [...games, concert]);
  const concertEventId = requireId(eventIds, CONCERT_EXTERNAL_ID);

  const concertRows = concertComparables(listings, concert.startsAt as Date).map((row) => ({
    ...row,
    externalId: CONCERT_EXTERNAL_ID,
  }));
  const footballEventIds = games.map((game) => requireId(eventIds, game.externalId));
  await replacePrices(prisma, eventIds, {
    footballEventIds,
    concertEventId,
    marketPrices: matched.marketPrices,
    footballComparables: matched.comparables,
    concertComparables: concertRows,
  });

  const summary: CatalogueSummary = {
    venues: venues.length,
    games: games.length,
    concertEventId,
    marketPrices: matched.marketPrices.length,
    comparablePrices: matched.comparables.length + concertRows.length,
    venueTimezoneSources: timezoneSources,
    defaultTimezoneVenueIds: [...defaultedIds],
    unmatchedSnapshots: matched.unmatchedSnapshots,
    unmatchedGames: matched.unmatchedGames,
    durationMs: Math.round(performance.now() - started),
  };
  logger.info(summary, 'catalogue seeded');
  if (summary.defaultTimezoneVenueIds.length > 0) {
    logger.warn(
      { venueIds: summary.defaultTimezoneVenueIds },
      'venues without a usable state or country were given America/New_York',
    );
  }
  if (matched.unmatchedGames > 0) {
    logger.warn(
      { unmatchedGames: matched.unmatchedGames, unmatchedSnapshots: matched.unmatchedSnapshots },
      'price snapshots of games missing from the schedule were skipped',
    );
  }

  return summary;
}

function toVenues(records: CsvRecord[]) {
  const locations: VenueLocation[] = records.map((record) => {
    const state = cell(record, 'state') || null;

    return {
      id: Number(cell(record, 'id')),
      state,
      country: normaliseCountry(cell(record, 'countryCode'), state),
      timezone: cell(record, 'timezone') || null,
      latitude: optionalNumber(cell(record, 'latitude')),
      longitude: optionalNumber(cell(record, 'longitude')),
    };
  });
  const zones = resolveVenueTimezones(locations);

  const timezoneSources: Record<TimezoneSource, number> = {
    csv: 0,
    'nearest-venue-in-state': 0,
    state: 0,
    country: 0,
    default: 0,
  };
  const defaultedIds = new Set<number>();
  const venues = records.map((record, index): VenueRow => {
    const location = locations[index]!;
    const zone = zones.get(location.id)!;
    timezoneSources[zone.source] += 1;
    if (zone.source === 'default') defaultedIds.add(location.id);

    return {
      id: location.id,
      name: cell(record, 'name'),
      city: cell(record, 'city'),
      state: location.state,
      country: location.country,
      timezone: zone.timezone,
      capacity: optionalInt(cell(record, 'capacity')),
      latitude: location.latitude,
      longitude: location.longitude,
    };
  });

  return { venues, timezoneSources, defaultedIds };
}

function toGame(record: CsvRecord): EventRow & { isRivalry: boolean } {
  const homeTeam = cell(record, 'homeTeam');
  const awayTeam = cell(record, 'awayTeam');
  const neutralSite = cell(record, 'neutralSite') === 'True';

  return {
    externalId: `cfb:${cell(record, 'id')}`,
    name: neutralSite ? `${awayTeam} vs ${homeTeam}` : `${awayTeam} at ${homeTeam}`,
    category: 'SPORTS',
    subcategory: FOOTBALL_SUBCATEGORY,
    // "2025-08-23 16:00:00+00:00": the UTC column, made ISO 8601 for Date.
    startsAt: new Date(cell(record, 'startDate').replace(' ', 'T')),
    venueId: Number(cell(record, 'venueId')),
    homeTeam,
    awayTeam,
    homeRank: optionalInt(cell(record, 'homeTeamRank')),
    awayRank: optionalInt(cell(record, 'awayTeamRank')),
    homeElo: optionalNumber(cell(record, 'homePregameElo')),
    awayElo: optionalNumber(cell(record, 'awayPregameElo')),
    isRivalry: false,
  };
}

function gameFinderFor(games: EventRow[]): GameFinder {
  return new GameFinder(
    games.map((game) => ({
      externalId: game.externalId,
      startsAtMs: (game.startsAt as Date).getTime(),
      home: normaliseTeam(game.homeTeam ?? ''),
      away: normaliseTeam(game.awayTeam ?? ''),
    })),
  );
}

async function upsertVenues(prisma: PrismaClient, venues: VenueRow[]): Promise<void> {
  await prisma.venue.createMany({ data: venues, skipDuplicates: true });

  const existing = await prisma.venue.findMany({ where: { id: { in: venues.map((v) => v.id) } } });
  const byId = new Map(existing.map((venue) => [venue.id, venue]));
  const changed = venues.filter((venue) => differs(venue, byId.get(venue.id)));
  for (const venue of changed) {
    await prisma.venue.update({ where: { id: venue.id }, data: venue });
  }
}

/** Upserts events on externalId and returns their ids by externalId. */
async function upsertEvents(
  prisma: PrismaClient,
  events: EventRow[],
): Promise<Map<string, string>> {
  await prisma.event.createMany({ data: events, skipDuplicates: true });

  const existing = await prisma.event.findMany({
    where: { externalId: { in: events.map((event) => event.externalId) } },
  });
  const byExternalId = new Map(existing.map((event) => [event.externalId, event]));
  const changed = events.filter((event) => differs(event, byExternalId.get(event.externalId)));
  for (const event of changed) {
    await prisma.event.update({ where: { externalId: event.externalId }, data: event });
  }

  return new Map(existing.map((event) => [event.externalId, event.id]));
}

/** Returns true when no row is stored or a field of the stored row differs from the new one. */
function differs(next: object, stored: object | undefined): boolean {
  if (!stored) return true;

  return Object.entries(next).some(([key, value]) => {
    const current: unknown = (stored as Record<string, unknown>)[key];
    if (value instanceof Date && current instanceof Date) {
      return value.getTime() !== current.getTime();
    }

    return (value ?? null) !== (current ?? null);
  });
}

function requireId(ids: Map<string, string>, externalId: string): string {
  const id = ids.get(externalId);
  if (!id) throw new Error(`event ${externalId} was not stored; the upsert lost it`);

  return id;
}

interface PriceSets {
  footballEventIds: string[];
  concertEventId: string;
  marketPrices: ReturnType<typeof matchSnapshots>['marketPrices'];
  footballComparables: ComparableRow[];
  concertComparables: ComparableRow[];
}

/**
 * Replaces, in one transaction, the prices that earlier runs of this seed wrote for the seeded
 * events. Rows have no natural key, so delete-then-insert is what keeps a rerun from
 * duplicating them. Prices from other sources are left alone.
 */
async function replacePrices(
  prisma: PrismaClient,
  eventIds: Map<string, string>,
  prices: PriceSets,
): Promise<void> {
  const withEventId = <T extends { externalId: string }>(rows: T[]) =>
    rows.map(({ externalId, ...rest }) => ({ ...rest, eventId: requireId(eventIds, externalId) }));

  const comparables = [
    ...withEventId(prices.footballComparables).map((row) => ({ ...row, source: TICKPICK_SOURCE })),
    ...withEventId(prices.concertComparables).map((row) => ({
      ...row,
      source: CONCERT_LISTINGS_SOURCE,
    })),
  ];
  const marketPrices = withEventId(prices.marketPrices).map((row) => ({
    ...row,
    source: TICKPICK_SOURCE,
  }));

  await prisma.$transaction(
    async (tx) => {
      await tx.marketPrice.deleteMany({
        where: { source: TICKPICK_SOURCE, eventId: { in: prices.footballEventIds } },
      });
      await tx.comparablePrice.deleteMany({
        where: {
          OR: [
            { source: TICKPICK_SOURCE, eventId: { in: prices.footballEventIds } },
            { source: CONCERT_LISTINGS_SOURCE, eventId: prices.concertEventId },
          ],
        },
      });
      // Sequential chunks keep each INSERT under Postgres's 65,535 bind parameters. Prisma
      // would otherwise split the batch itself and send the parts concurrently on the one
      // transaction connection, which node-postgres 8.23 warns is deprecated.
      for (const chunk of chunks(marketPrices, INSERT_CHUNK_ROWS)) {
        await tx.marketPrice.createMany({ data: chunk });
      }
      for (const chunk of chunks(comparables, INSERT_CHUNK_ROWS)) {
        await tx.comparablePrice.createMany({ data: chunk });
      }
    },
    { timeout: 120_000 },
  );
}

function chunks<T>(rows: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < rows.length; start += size) {
    result.push(rows.slice(start, start + size));
  }

  return result;
}
