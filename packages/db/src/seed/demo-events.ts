// Future copies of real events for demo trading. The catalogue is the 2025 season, which is
// over, and tickets for past events cannot be listed, so the demo trades copies of a few real
// games and the concert moved forward by whole years. The real rows stay untouched.
import type { PrismaClient } from '../generated/prisma/client.ts';
import { fromWallClock, toWallClock } from './timezones.ts';

export const DEMO_EXTERNAL_ID_PREFIX = 'demo:';
/** Prefix of the `source` of prices copied from the real event to its demo copy. */
export const DEMO_COPY_SOURCE_PREFIX = 'demo-copy:';

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_YEARS_SHIFTED = 10;

/**
 * Moves an event forward by the fewest whole years that put it after `notBefore`. A date one
 * year on falls on another weekday, so the copy then moves by at most three days to land on
 * the original weekday. It keeps the original wall-clock time in the venue's zone, because
 * the same UTC time would drift by an hour across a daylight-saving change.
 */
export function shiftIntoFuture(
  startsAt: Date,
  timezone: string,
  notBefore: Date,
): { startsAt: Date; years: number } {
  const wall = toWallClock(startsAt, timezone);
  const weekday = new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay();

  for (let years = 1; years <= MAX_YEARS_SHIFTED; years += 1) {
    const sameDate = Date.UTC(wall.year + years, wall.month - 1, wall.day);
    const drift = (weekday - new Date(sameDate).getUTCDay() + 7) % 7;
    const dayShift = drift > 3 ? drift - 7 : drift;
    const target = new Date(sameDate + dayShift * DAY_MS);
    const shifted = fromWallClock(
      {
        ...wall,
        year: target.getUTCFullYear(),
        month: target.getUTCMonth() + 1,
        day: target.getUTCDate(),
      },
      timezone,
    );
    if (shifted > notBefore) return { startsAt: shifted, years };
  }

  throw new Error(
    `event at ${startsAt.toISOString()} stays before ${notBefore.toISOString()} even ` +
      `${MAX_YEARS_SHIFTED} years on; check the clock passed to the demo seed`,
  );
}

export interface DemoEvent {
  id: string;
  sourceExternalId: string;
  name: string;
  city: string;
  startsAt: Date;
}

const GAME_COUNT = 4;

/**
 * Picks the games worth trading in a demo: the strongest matchups by summed pre-game Elo
 * among games that have comparable prices, one per city, none in the concert's city.
 */
export async function pickDemoGames(prisma: PrismaClient, excludeCity: string) {
  const games = await prisma.event.findMany({
    where: {
      category: 'SPORTS',
      externalId: { startsWith: 'cfb:' },
      homeElo: { not: null },
      awayElo: { not: null },
      comparables: { some: {} },
    },
    select: { externalId: true, homeElo: true, awayElo: true, venue: { select: { city: true } } },
  });
  games.sort(
    (a, b) =>
      (b.homeElo ?? 0) + (b.awayElo ?? 0) - ((a.homeElo ?? 0) + (a.awayElo ?? 0)) ||
      a.externalId.localeCompare(b.externalId),
  );

  const cities = new Set([excludeCity]);
  const picked: string[] = [];
  for (const game of games) {
    if (picked.length === GAME_COUNT) break;
    if (cities.has(game.venue.city)) continue;
    cities.add(game.venue.city);
    picked.push(game.externalId);
  }
  if (picked.length < GAME_COUNT) {
    throw new Error(
      `found ${picked.length} priced games for the demo, need ${GAME_COUNT}; ` +
        'run seedCatalogue first',
    );
  }

  return picked;
}

/**
 * Upserts the demo copy of a real event (externalId prefixed with "demo:") and replaces its
 * copied market and comparable prices, shifted in time by as much as the event itself.
 */
export async function upsertDemoCopy(
  prisma: PrismaClient,
  sourceExternalId: string,
  notBefore: Date,
): Promise<DemoEvent> {
  const source = await prisma.event.findUnique({
    where: { externalId: sourceExternalId },
    include: {
      venue: { select: { city: true, timezone: true } },
      marketPrices: true,
      comparables: true,
    },
  });
  if (!source) {
    throw new Error(`event ${sourceExternalId} not found; run seedCatalogue first`);
  }

  const shifted = shiftIntoFuture(source.startsAt, source.venue.timezone, notBefore);
  const offsetMs = shifted.startsAt.getTime() - source.startsAt.getTime();
  const externalId = `${DEMO_EXTERNAL_ID_PREFIX}${sourceExternalId}`;
  const fields = {
    name: source.name,
    category: source.category,
    subcategory: source.subcategory,
    startsAt: shifted.startsAt,
    venueId: source.venueId,
    homeTeam: source.homeTeam,
    awayTeam: source.awayTeam,
    homeRank: source.homeRank,
    awayRank: source.awayRank,
    homeElo: source.homeElo,
    awayElo: source.awayElo,
    isRivalry: source.isRivalry,
  };

  const copy = await prisma.$transaction(async (tx) => {
    const event = await tx.event.upsert({
      where: { externalId },
      create: { externalId, ...fields },
      update: fields,
    });
    await tx.marketPrice.deleteMany({
      where: { eventId: event.id, source: { startsWith: DEMO_COPY_SOURCE_PREFIX } },
    });
    await tx.comparablePrice.deleteMany({
      where: { eventId: event.id, source: { startsWith: DEMO_COPY_SOURCE_PREFIX } },
    });
    await tx.marketPrice.createMany({
      data: source.marketPrices.map(({ id: _id, eventId: _eventId, ...price }) => ({
        ...price,
        eventId: event.id,
        source: `${DEMO_COPY_SOURCE_PREFIX}${price.source}`,
        collectedAt: new Date(price.collectedAt.getTime() + offsetMs),
      })),
    });
    await tx.comparablePrice.createMany({
      data: source.comparables.map(({ id: _id, eventId: _eventId, ...price }) => ({
        ...price,
        eventId: event.id,
        source: `${DEMO_COPY_SOURCE_PREFIX}${price.source}`,
        observedAt: new Date(price.observedAt.getTime() + offsetMs),
      })),
    });

    return event;
  }, { timeout: 60_000 });

  return {
    id: copy.id,
    sourceExternalId,
    name: copy.name,
    city: source.venue.city,
    startsAt: copy.startsAt,
  };
}
