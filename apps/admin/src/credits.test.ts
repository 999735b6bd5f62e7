import { describe, expect, it } from 'vitest';

import { formatMinorUnits } from './credits.ts';

describe('formatMinorUnits', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [1250, '12.50'],
    [123456, '1,234.56'],
    [-1999, '-19.99'],
  ])('formats %i minor units as %s', (minor, expected) => {
    expect(formatMinorUnits(minor)).toBe(expected);
  });

  it('keeps the last cent of the largest safe integer', () => {
    expect(formatMinorUnits(Number.MAX_SAFE_INTEGER)).toBe('90,071,992,547,409.91');
  });

  it('rejects fractional minor units', () => {
    expect(() => formatMinorUnits(12.5)).toThrow(RangeError);
  });
});
