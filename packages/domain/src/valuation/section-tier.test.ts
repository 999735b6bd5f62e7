import { describe, expect, it } from 'vitest';

import { sectionTierOf } from './index.ts';

describe('sectionTierOf', () => {
  it.each([
    ['Field A3', 1],
    ['Floor GA', 1],
    ['Lower Level 105', 1],
    ['Section 112', 1],
    ['Section 12', 1],
    ['E1504', 1],
    ['Section C114', 2],
    ['Club 210', 2],
    ['Mezzanine Goal 220', 2],
    ['Section 216', 2],
    ['Section 347', 3],
    ['Section 431', 3],
    ['Upper Deck 5', 3],
    ['Balcony', 3],
    ['Standing room', 2],
  ] as const)('puts "%s" in tier %i', (section, tier) => {
    expect(sectionTierOf(section, 'CONCERT')).toBe(tier);
  });

  // General admission is the floor at a concert but the cheapest seating at a game.
  it('places general admission by category', () => {
    expect(sectionTierOf('GA', 'CONCERT')).toBe(1);
    expect(sectionTierOf('General Admission', 'FESTIVAL')).toBe(1);
    expect(sectionTierOf('General Admission', 'SPORTS')).toBe(3);
  });
});
