// IANA time zones for venues, and conversions between UTC instants and venue wall-clock time.

export const DEFAULT_TIMEZONE = 'America/New_York';

// The zone that covers most of each state's population. A venue in a state split between two
// zones (TX, FL, TN, KY, IN, MI, ND, SD, NE, KS, ID, OR) first takes the zone of the nearest
// venue in the same state that has one in the CSV. This table is the fallback.
const STATE_TIMEZONES: Record<string, string> = {
  AL: 'America/Chicago', AK: 'America/Anchorage', AZ: 'America/Phoenix',
  AR: 'America/Chicago', CA: 'America/Los_Angeles', CO: 'America/Denver',
  CT: 'America/New_York', DC: 'America/New_York', DE: 'America/New_York',
  FL: 'America/New_York', GA: 'America/New_York', HI: 'Pacific/Honolulu',
  ID: 'America/Boise', IL: 'America/Chicago', IN: 'America/Indiana/Indianapolis',
  IA: 'America/Chicago', KS: 'America/Chicago', KY: 'America/New_York',
  LA: 'America/Chicago', ME: 'America/New_York', MD: 'America/New_York',
  MA: 'America/New_York', MI: 'America/Detroit', MN: 'America/Chicago',
  MS: 'America/Chicago', MO: 'America/Chicago', MT: 'America/Denver',
  NE: 'America/Chicago', NV: 'America/Los_Angeles', NH: 'America/New_York',
  NJ: 'America/New_York', NM: 'America/Denver', NY: 'America/New_York',
  NC: 'America/New_York', ND: 'America/Chicago', OH: 'America/New_York',
  OK: 'America/Chicago', OR: 'America/Los_Angeles', PA: 'America/New_York',
  RI: 'America/New_York', SC: 'America/New_York', SD: 'America/Chicago',
  TN: 'America/Chicago', TX: 'America/Chicago', UT: 'America/Denver',
  VT: 'America/New_York', VA: 'America/New_York', WA: 'America/Los_Angeles',
  WV: 'America/New_York', WI: 'America/Chicago', WY: 'America/Denver',
  PR: 'America/Puerto_Rico',
};

// Single-zone countries among the venues outside the US.
const COUNTRY_TIMEZONES: Record<string, string> = {
  IE: 'Europe/Dublin',
  BS: 'America/Nassau',
};

export type TimezoneSource = 'csv' | 'nearest-venue-in-state' | 'state' | 'country' | 'default';

export interface VenueLocation {
  id: number;
  state: string | null;
  country: string;
  timezone: string | null;
  latitude: number | null;
  longitude: number | null;
}

/** Normalises the country cells of the venues CSV ("US", "USA", empty) to ISO 3166 alpha-2. */
export function normaliseCountry(text: string, state: string | null): string {
  if (text === 'USA') return 'US';
  if (text === '' && state !== null && state in STATE_TIMEZONES) return 'US';

  return text === '' ? 'US' : text;
}

/**
 * Fills in the time zone of every venue that lacks one: from the nearest venue in the same
 * state and country with a stated zone, else the state's main zone, else the country's zone,
 * else America/New_York. Returns the zone and where it came from, per venue id.
 */
export function resolveVenueTimezones(
  venues: VenueLocation[],
): Map<number, { timezone: string; source: TimezoneSource }> {
  const known = venues.filter((venue) => venue.timezone !== null);
  const resolved = new Map<number, { timezone: string; source: TimezoneSource }>();

  for (const venue of venues) {
    if (venue.timezone !== null) {
      resolved.set(venue.id, { timezone: venue.timezone, source: 'csv' });
      continue;
    }

    const neighbourZone = nearestKnownInState(venue, known)?.timezone;
    const stateZone = venue.country === 'US' && venue.state ? STATE_TIMEZONES[venue.state] : null;
    const countryZone = COUNTRY_TIMEZONES[venue.country];
    if (neighbourZone) {
      resolved.set(venue.id, { timezone: neighbourZone, source: 'nearest-venue-in-state' });
    } else if (stateZone) {
      resolved.set(venue.id, { timezone: stateZone, source: 'state' });
    } else if (countryZone) {
      resolved.set(venue.id, { timezone: countryZone, source: 'country' });
    } else {
      resolved.set(venue.id, { timezone: DEFAULT_TIMEZONE, source: 'default' });
    }
  }

  return resolved;
}

function nearestKnownInState(
  venue: VenueLocation,
  known: VenueLocation[],
): VenueLocation | undefined {
  if (!venue.state || venue.latitude === null || venue.longitude === null) return undefined;

  let best: VenueLocation | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    if (candidate.state !== venue.state || candidate.country !== venue.country) continue;
    if (candidate.latitude === null || candidate.longitude === null) continue;

    // Squared degrees are enough to rank neighbours inside one state.
    const dLat = candidate.latitude - venue.latitude;
    const latitudeScale = Math.cos((venue.latitude * Math.PI) / 180);
    const dLon = (candidate.longitude - venue.longitude) * latitudeScale;
    const distance = dLat * dLat + dLon * dLon;
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }

  return best;
}

export interface WallClockTime {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, formatter);
  }

  return formatter;
}

/** Returns the wall-clock time that an instant shows in the given IANA zone. */
export function toWallClock(instant: Date, timezone: string): WallClockTime {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timezone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }

  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

// The instant at which UTC shows this wall-clock time.
function wallClockAsUtc(wall: WallClockTime): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
}

function offsetMs(instantMs: number, timezone: string): number {
  const wall = toWallClock(new Date(instantMs), timezone);
  const wallAsUtc = wallClockAsUtc(wall);

  return wallAsUtc - Math.floor(instantMs / 1000) * 1000;
}

/**
 * Returns the instant at which the given zone shows the given wall-clock time. A time inside
 * a spring-forward gap moves forward by the length of the gap (02:30 becomes 03:30), and a
 * time that occurs twice at the autumn change resolves to its first occurrence.
 */
export function fromWallClock(wall: WallClockTime, timezone: string): Date {
  const wallAsUtc = wallClockAsUtc(wall);
  const firstGuess = wallAsUtc - offsetMs(wallAsUtc, timezone);
  const secondGuess = wallAsUtc - offsetMs(firstGuess, timezone);
  const guesses = [firstGuess, secondGuess];
  const exact = guesses.filter(
    (guess) => wallClockAsUtc(toWallClock(new Date(guess), timezone)) === wallAsUtc,
  );

  // In a gap no guess shows the wall time, and the later guess is the one after the gap.
  return new Date(exact.length > 0 ? Math.min(...exact) : Math.max(...guesses));
}
