import { describe, expect, it } from 'vitest';

import { shiftIntoFuture } from './demo-events.ts';
import { toWallClock } from './timezones.ts';

function weekday(instant: Date, timezone: string): number {
  const wall = toWallClock(instant, timezone);

  return new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay();
}

describe('shiftIntoFuture', () => {
  const now = new Date('2026-12-04T12:00:00Z');

  it('moves a 2025 game by the fewest whole years past now', () => {
    // Saturday 2025-11-08, 12:00 in State College (winter time).
    const start = new Date('2025-11-08T17:00:00Z');
    const shifted = shiftIntoFuture(start, 'America/New_York', now);

    expect(shifted.years).toBe(2);
    expect(shifted.startsAt > now).toBe(true);
  });

  it('keeps the weekday and local time across a daylight-saving change', () => {
    const start = new Date('2025-11-08T17:00:00Z');
    const shifted = shiftIntoFuture(start, 'America/New_York', now);
    const wall = toWallClock(shifted.startsAt, 'America/New_York');

    expect(weekday(shifted.startsAt, 'America/New_York')).toBe(6);
    expect([wall.hour, wall.minute]).toEqual([12, 0]);
    // 2027-11-06 is still summer time in New York, so the UTC hour differs from 2025's.
    expect(shifted.startsAt.toISOString()).toBe('2027-11-06T16:00:00.000Z');
  });

  it('stays within three days of the same date', () => {
    const start = new Date('2025-12-13T20:00:00Z');
    const shifted = shiftIntoFuture(start, 'America/New_York', now);
    const sameDate = Date.UTC(2025 + shifted.years, 11, 13, 20);

    expect(shifted.years).toBe(1);
    expect(Math.abs(shifted.startsAt.getTime() - sameDate)).toBeLessThanOrEqual(3 * 86_400_000);
    expect(weekday(shifted.startsAt, 'America/New_York')).toBe(weekday(start, 'America/New_York'));
  });
});
