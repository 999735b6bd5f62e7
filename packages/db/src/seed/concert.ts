// The one concert of the catalogue, built from the Vivid Seats listings scrape. The scrape
// names neither the artist nor the date. It states a 65,000-seat stadium in Las Vegas and a
// scrape 60 days before the show, so the event gets a neutral name and a chosen Saturday.
import { cell, dollarsToMinor, type CsvRecord } from './csv.ts';
import { sectionTierOf } from './section-tier.ts';
import { fromWallClock } from './timezones.ts';

export const CONCERT_EXTERNAL_ID = 'vividseats:stadium-pop-2025-10-25';
export const CONCERT_NAME = 'Stadium Pop Concert';
export const CONCERT_CITY = 'Las Vegas';
export const CONCERT_CAPACITY = 65_000;
export const CONCERT_LISTINGS_SOURCE = 'vividseats';

// A Saturday 20:00 show. The date is a choice, not data: no college game is played at the
// stadium that day.
const CONCERT_WALL_CLOCK = { year: 2025, month: 10, day: 25, hour: 20, minute: 0, second: 0 };
const DAYS_BEFORE_SHOW_SCRAPED = 60;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface ConcertVenue {
  id: number;
  city: string;
  capacity?: number | null;
  timezone: string;
}

/** Finds the 65,000-seat Las Vegas stadium among the venues, raising when it is absent. */
export function findConcertVenue(venues: ConcertVenue[]): ConcertVenue {
  const venue = venues.find(
    (candidate) => candidate.city === CONCERT_CITY && candidate.capacity === CONCERT_CAPACITY,
  );
  if (!venue) {
    throw new Error(
      `no venue in ${CONCERT_CITY} with ${CONCERT_CAPACITY} seats in the venues CSV; ` +
        'the concert listings need it',
    );
  }

  return venue;
}

export function concertStartsAt(timezone: string): Date {
  return fromWallClock(CONCERT_WALL_CLOCK, timezone);
}

export interface ConcertComparable {
  sectionTier: number;
  priceMinor: number;
  observedAt: Date;
}

/**
 * Turns each listing into one comparable price: its all-in price per ticket in cents, filed
 * under the tier of its section. Listings without a price are skipped.
 */
export function concertComparables(listings: CsvRecord[], startsAt: Date): ConcertComparable[] {
  const observedAt = new Date(startsAt.getTime() - DAYS_BEFORE_SHOW_SCRAPED * DAY_MS);
  const comparables: ConcertComparable[] = [];

  for (const listing of listings) {
    const priceMinor = dollarsToMinor(cell(listing, 'all_in_price_per_ticket'));
    if (priceMinor === null) continue;

    comparables.push({
      sectionTier: sectionTierOf(cell(listing, 'section'), 'CONCERT'),
      priceMinor,
      observedAt,
    });
  }

  return comparables;
}
