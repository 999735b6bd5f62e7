import { describe, expect, it } from 'vitest';

import {
  formatConfidence,
  formatCredits,
  formatCurrency,
  formatEventTime,
  humanizeState,
  parseAmountToMinor,
} from './format.ts';

describe('formatCredits', () => {
  it('groups thousands and keeps two decimals', () => {
    expect(formatCredits(123450)).toBe('1,234.50 credits');
  });

  it('shows zero and single cents', () => {
    expect(formatCredits(0)).toBe('0.00 credits');
    expect(formatCredits(1)).toBe('0.01 credits');
  });
});

describe('formatCurrency', () => {
  it('formats dollars from cents', () => {
    expect(formatCurrency(1200)).toBe('$12.00');
    expect(formatCurrency(-550)).toBe('-$5.50');
  });

  it('uses the given currency symbol', () => {
    expect(formatCurrency(1000, 'EUR')).toBe('€10.00');
  });
});

describe('parseAmountToMinor', () => {
  it.each([
    ['12', 1200],
    ['12.5', 1250],
    ['12.50', 1250],
    [' 0.07 ', 7],
    ['1,234.56', 123456],
    ['19.99', 1999],
    ['0', 0],
  ])('parses %j as %d cents', (text, minor) => {
    expect(parseAmountToMinor(text)).toBe(minor);
  });

  it.each(['', '-5', '1.234', 'abc', '12,34', '1e3', '.5', '12.'])(
    'rejects %j',
    (text) => {
      expect(parseAmountToMinor(text)).toBeNull();
    },
  );

  it('rejects amounts beyond safe integers', () => {
    expect(parseAmountToMinor('99999999999999999')).toBeNull();
  });
});

describe('formatEventTime', () => {
  const start = new Date('2026-07-04T23:30:00Z');

  it('shows the venue local time, not UTC', () => {
    const text = formatEventTime(start, 'America/New_York');

    expect(text).toContain('7:30');
    expect(text).toContain('PM');
    expect(text).toContain('EDT');
    expect(text).toContain('Jul 4');
  });

  it('moves to the next day east of UTC', () => {
    expect(formatEventTime(start, 'Asia/Tokyo')).toContain('Jul 5');
  });

  it('falls back to UTC for an unknown zone', () => {
    expect(formatEventTime(start, 'Nowhere/Special')).toContain('UTC');
  });
});

describe('formatConfidence', () => {
  it('rounds to a whole percentage', () => {
    expect(formatConfidence(0.824)).toBe('82%');
  });
});

describe('humanizeState', () => {
  it('turns enum values into words', () => {
    expect(humanizeState('IN_TRADE')).toBe('In trade');
    expect(humanizeState('LISTED')).toBe('Listed');
  });
});
