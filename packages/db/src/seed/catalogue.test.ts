import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestDatabase, type TestDatabase } from '../testing.ts';
import { seedCatalogue, type CatalogueSummary } from './catalogue.ts';
import { CONCERT_EXTERNAL_ID } from './concert.ts';

const dataDir = fileURLToPath(new URL('../../../../data/', import.meta.url));

// Row counts of the CSV files in data/ (without headers).
const VENUE_ROWS = 840;
const GAME_ROWS = 934;
const CONCERT_LISTING_ROWS = 1046;

let database: TestDatabase;
let first: CatalogueSummary;

beforeAll(async () => {
  database = await createTestDatabase();
  first = await seedCatalogue(database.prisma, { dataDir });
}, 120_000);

afterAll(async () => {
  await database?.drop();
});

async function tableCounts() {
  const { prisma } = database;

  return {
    venues: await prisma.venue.count(),
    events: await prisma.event.count(),
    marketPrices: await prisma.marketPrice.count(),
    comparables: await prisma.comparablePrice.count(),
  };
}

describe('seedCatalogue', () => {
  it('loads every venue and game plus one concert', async () => {
    const { prisma } = database;
    const games = await prisma.event.count({ where: { subcategory: 'college-football' } });

    expect(await prisma.venue.count()).toBe(VENUE_ROWS);
    expect(games).toBe(GAME_ROWS);
    expect(await prisma.event.count({ where: { category: 'CONCERT' } })).toBe(1);
    expect(first.games).toBe(GAME_ROWS);
  });

  it('places the concert in the 65,000-seat Las Vegas stadium', async () => {
    const concert = await database.prisma.event.findUniqueOrThrow({
      where: { externalId: CONCERT_EXTERNAL_ID },
      include: { venue: true, comparables: true },
    });

    expect(concert.venue.city).toBe('Las Vegas');
    expect(concert.venue.capacity).toBe(65_000);
    expect(concert.venue.timezone).toBe('America/Los_Angeles');
    expect(concert.comparables).toHaveLength(CONCERT_LISTING_ROWS);
    // First listing of the file: Section 347 at 178.60 USD all-in.
    expect(concert.comparables.some((c) => c.priceMinor === 17_860 && c.sectionTier === 3)).toBe(
      true,
    );
  });

  it('gives every venue a time zone', async () => {
    expect(await database.prisma.venue.count({ where: { timezone: '' } })).toBe(0);
    expect(first.venueTimezoneSources.csv).toBe(314);
    expect(first.defaultTimezoneVenueIds.length).toBeLessThan(5);
  });

  it('stores a game from the UTC column with ranks and Elo', async () => {
    const game = await database.prisma.event.findUniqueOrThrow({
      where: { externalId: 'cfb:401752759' },
    });

    expect(game.startsAt.toISOString()).toBe('2025-11-09T00:30:00.000Z');
    expect(game.homeTeam).toBe('Alabama Crimson Tide');
    expect(game.awayTeam).toBe('LSU Tigers');
    expect(game.homeElo).toBe(1978);
    expect(game.category).toBe('SPORTS');
  });

  it('turns TickPick snapshots into cents', async () => {
    // Air Force vs Army on 2025-11-01: lowest 43.00 USD, highest 515.00 USD on 2025-08-27.
    const prices = await database.prisma.marketPrice.findMany({
      where: {
        event: { homeTeam: 'Air Force Falcons', awayTeam: 'Army West Point Black Knights' },
      },
    });

    expect(prices.length).toBeGreaterThan(0);
    expect(prices.some((p) => p.lowestMinor === 4_300 && p.highestMinor === 51_500)).toBe(true);
  });

  it('matches nearly all snapshots to games', () => {
    expect(first.marketPrices).toBeGreaterThan(8_500);
    expect(first.unmatchedGames).toBeLessThan(15);
  });

  it('creates no duplicates on a second run', async () => {
    const before = await tableCounts();
    const second = await seedCatalogue(database.prisma, { dataDir });

    expect(await tableCounts()).toEqual(before);
    expect(second.concertEventId).toBe(first.concertEventId);
    expect(before.comparables).toBe(first.comparablePrices);
  });
});
