const groupedWholeNumber = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * Formats an integer amount in minor units (hundredths) as a decimal, e.g. 123456 as
 * "1,234.56". Whole and fractional parts are split with integer arithmetic so no floating-point
 * rounding reaches the screen.
 */
export function formatMinorUnits(minor: number): string {
  if (!Number.isSafeInteger(minor)) {
    throw new RangeError(`Amounts must be integers in minor units, got ${minor}.`);
  }

  const sign = minor < 0 ? '-' : '';
  const absolute = Math.abs(minor);
  const whole = groupedWholeNumber.format(Math.trunc(absolute / 100));
  const fraction = String(absolute % 100).padStart(2, '0');

  return `${sign}${whole}.${fraction}`;
}
