// Summary statistics of comparable prices, in integer minor units.

/** How far valuation had to widen its search to find comparable prices. */
export type ComparablesBasis = 'tier' | 'event' | 'category';

// Confidence is scaled down when the comparables are less specific than the ticket's own
// event and seat tier.
const BASIS_WEIGHT: Record<ComparablesBasis, number> = { tier: 1, event: 0.8, category: 0.5 };

// The number of comparables at which the count factor reaches 1 - 1/e (about 0.63).
const COUNT_SCALE = 10;

function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Returns the value at quantile q (0..1) of sorted values, interpolating linearly. */
function quantileOfSorted(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower]!;
  const high = sorted[upper]!;

  return low + (high - low) * (position - lower);
}

/**
 * Returns the median of integer prices, rounded to a whole minor unit when the count is even.
 * Raises on an empty list, since a median of nothing has no value to fall back to.
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');

  return Math.round(quantileOfSorted(sortedCopy(values), 0.5));
}

/**
 * Returns the quartile coefficient of dispersion: the interquartile range divided by the
 * median. Unlike the standard deviation it ignores the few absurd listings (a 66,715 USD seat
 * in an upper section) that resale data contains. Zero for fewer than two values.
 */
export function relativeSpread(values: readonly number[]): number {
  if (values.length < 2) return 0;

  const sorted = sortedCopy(values);
  const middle = quantileOfSorted(sorted, 0.5);
  if (middle <= 0) return Infinity;

  return (quantileOfSorted(sorted, 0.75) - quantileOfSorted(sorted, 0.25)) / middle;
}

/**
 * Returns the confidence (0..1) of a median of comparables:
 *
 *   (1 - exp(-n / 10)) × 1 / (1 + IQR / median) × basis weight
 *
 * The first factor grows with the number n of comparables (1 → 0.10, 10 → 0.63, 30 → 0.95).
 * The second shrinks as prices disagree (IQR equal to the median halves it). The basis weight
 * is 1 for the ticket's own event and tier, 0.8 for the event's other tiers and 0.5 for the
 * category's market averages. Rounded to three decimals.
 */
export function comparablesConfidence(
  values: readonly number[],
  basis: ComparablesBasis,
): number {
  if (values.length === 0) return 0;

  const countFactor = 1 - Math.exp(-values.length / COUNT_SCALE);
  const spreadFactor = 1 / (1 + relativeSpread(values));
  const confidence = countFactor * spreadFactor * BASIS_WEIGHT[basis];

  return Math.round(Math.min(1, Math.max(0, confidence)) * 1000) / 1000;
}
