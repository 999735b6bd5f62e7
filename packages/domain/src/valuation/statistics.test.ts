import { describe, expect, it } from 'vitest';

import { comparablesConfidence, median, relativeSpread } from './statistics.ts';

describe('median', () => {
  it('takes the middle of an odd count, whatever the order', () => {
    expect(median([30_000, 10_000, 20_000])).toBe(20_000);
  });

  it('rounds the mean of the two middle values of an even count', () => {
    expect(median([100, 201])).toBe(151);
    expect(median([1, 2, 3, 4])).toBe(3);
  });

  it('ignores an absurd outlier', () => {
    expect(median([17_860, 18_335, 18_810, 6_671_500])).toBe(18_573);
  });

  it('rejects an empty list', () => {
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('relativeSpread', () => {
  it('is zero for identical or single prices', () => {
    expect(relativeSpread([5_000, 5_000, 5_000])).toBe(0);
    expect(relativeSpread([5_000])).toBe(0);
  });

  it('divides the interquartile range by the median', () => {
    // Quartiles of 100..500 by steps of 100 are 200 and 400, the median 300.
    expect(relativeSpread([100, 200, 300, 400, 500])).toBeCloseTo(200 / 300, 10);
  });
});

describe('comparablesConfidence', () => {
  const tight = (count: number) => Array.from({ length: count }, () => 10_000);

  it('grows with the number of comparables', () => {
    expect(comparablesConfidence(tight(1), 'tier')).toBe(0.095);
    expect(comparablesConfidence(tight(10), 'tier')).toBe(0.632);
    expect(comparablesConfidence(tight(40), 'tier')).toBe(0.982);
  });

  it('falls as prices spread', () => {
    const spread = Array.from({ length: 10 }, (_, index) => 5_000 + index * 1_000);

    expect(comparablesConfidence(spread, 'tier')).toBeLessThan(
      comparablesConfidence(tight(10), 'tier'),
    );
  });

  it('weights the fallback circles lower', () => {
    expect(comparablesConfidence(tight(10), 'event')).toBe(0.506);
    expect(comparablesConfidence(tight(10), 'category')).toBe(0.316);
  });

  it('is zero without comparables and stays within 0..1', () => {
    expect(comparablesConfidence([], 'tier')).toBe(0);
    expect(comparablesConfidence(tight(500), 'tier')).toBeLessThanOrEqual(1);
  });
});
