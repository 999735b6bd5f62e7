import { describe, expect, it } from 'vitest';

import {
  fromWallClock,
  normaliseCountry,
  resolveVenueTimezones,
  toWallClock,
  type VenueLocation,
} from './timezones.ts';

function venue(fields: Partial<VenueLocation> & { id: number }): VenueLocation {
  return {
    state: null,
    country: 'US',
    timezone: null,
    latitude: null,
    longitude: null,
    ...fields,
  };
}

describe('resolveVenueTimezones', () => {
  it('keeps a zone stated in the CSV', () => {
    const zones = resolveVenueTimezones([
      venue({ id: 1, state: 'TX', timezone: 'America/Denver' }),
    ]);

    expect(zones.get(1)).toEqual({ timezone: 'America/Denver', source: 'csv' });
  });

  it('takes the nearest venue of the same state', () => {
    // El Paso (Mountain time) and Houston (Central time); the venue sits near El Paso.
    const zones = resolveVenueTimezones([
      venue({ id: 1, state: 'TX', timezone: 'America/Denver', latitude: 31.8, longitude: -106.5 }),
      venue({ id: 2, state: 'TX', timezone: 'America/Chicago', latitude: 29.8, longitude: -95.4 }),
      venue({ id: 3, state: 'TX', latitude: 31.9, longitude: -106.4 }),
    ]);

    expect(zones.get(3)).toEqual({ timezone: 'America/Denver', source: 'nearest-venue-in-state' });
  });

  it('falls back to the state, the country, then New York', () => {
    const zones = resolveVenueTimezones([
      venue({ id: 1, state: 'NV' }),
      venue({ id: 2, country: 'IE' }),
      venue({ id: 3, country: 'US' }),
    ]);

    expect(zones.get(1)).toEqual({ timezone: 'America/Los_Angeles', source: 'state' });
    expect(zones.get(2)).toEqual({ timezone: 'Europe/Dublin', source: 'country' });
    expect(zones.get(3)).toEqual({ timezone: 'America/New_York', source: 'default' });
  });
});

describe('normaliseCountry', () => {
  it('maps USA and empty cells with a US state to US', () => {
    expect(normaliseCountry('USA', 'RI')).toBe('US');
    expect(normaliseCountry('', 'CT')).toBe('US');
    expect(normaliseCountry('AU', 'NSW')).toBe('AU');
  });
});

describe('wall-clock conversion', () => {
  it('round-trips a Pacific evening through UTC', () => {
    const instant = new Date('2025-10-26T03:00:00Z');
    const wall = toWallClock(instant, 'America/Los_Angeles');

    expect(wall).toEqual({ year: 2025, month: 10, day: 25, hour: 20, minute: 0, second: 0 });
    expect(fromWallClock(wall, 'America/Los_Angeles').toISOString()).toBe(instant.toISOString());
  });

  it('applies winter time after the autumn change', () => {
    const wall = { year: 2027, month: 11, day: 13, hour: 12, minute: 0, second: 0 };

    expect(fromWallClock(wall, 'America/New_York').toISOString()).toBe('2027-11-13T17:00:00.000Z');
  });

  it('moves a time inside the spring gap to after it', () => {
    const wall = { year: 2026, month: 3, day: 8, hour: 2, minute: 30, second: 0 };

    expect(fromWallClock(wall, 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z');
  });

  it('picks the first of a repeated autumn hour', () => {
    const wall = { year: 2026, month: 11, day: 1, hour: 1, minute: 30, second: 0 };

    expect(fromWallClock(wall, 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });
});
