/**
 * Display helpers for money, credits and times. Amounts arrive as integers in minor units
 * (cents): 100 minor units are one credit, and one credit is worth one US dollar.
 */

const MINOR_PER_UNIT = 100;

const creditNumber = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

const currencyFormats = new Map<string, Intl.NumberFormat>();

/** Formats credits held in minor units, e.g. 123450 as "1,234.50 credits". */
export function formatCredits(minor: number): string {
  return `${creditNumber.format(minor / MINOR_PER_UNIT)} credits`;
}

/** Formats a cash amount held in minor units, e.g. 1200 as "$12.00". */
export function formatCurrency(minor: number, currency = 'USD'): string {
  let format = currencyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    currencyFormats.set(currency, format);
  }

  return format.format(minor / MINOR_PER_UNIT);
}

/**
 * Parses an amount typed in whole units ("12", "12.5", "1,234.50") into integer minor units.
 * Returns null for anything else, including negative amounts and more than two decimals.
 * Works on the digits as text so that no binary floating-point rounding reaches the result.
 */
export function parseAmountToMinor(text: string): number | null {
  const match = /^(\d{1,3}(?:,\d{3})*|\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) {
    return null;
  }
  const whole = Number((match[1] ?? '').replaceAll(',', ''));
  const fraction = Number((match[2] ?? '').padEnd(2, '0'));
  const minor = whole * MINOR_PER_UNIT + fraction;

  return Number.isSafeInteger(minor) ? minor : null;
}

const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 0 });

/** Formats a confidence between 0 and 1 as a whole percentage, e.g. 0.824 as "82%". */
export function formatConfidence(confidence: number): string {
  return percent.format(confidence);
}

const eventFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * Formats an event's start in its venue's IANA time zone, with the zone's short name, so a
 * trader in another city reads the time printed on the ticket. An unknown zone falls back to UTC.
 */
export function formatEventTime(instant: Date | string, timeZone: string): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;

  return eventFormat(timeZone).format(date);
}

function eventFormat(timeZone: string): Intl.DateTimeFormat {
  const cached = eventFormats.get(timeZone);
  if (cached) {
    return cached;
  }

  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', { ...eventParts, timeZone });
  } catch (error) {
    if (!(error instanceof RangeError)) {
      throw error;
    }
    format = new Intl.DateTimeFormat('en-US', { ...eventParts, timeZone: 'UTC' });
  }
  eventFormats.set(timeZone, format);

  return format;
}

const eventParts: Intl.DateTimeFormatOptions = {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
};

const localFormat = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
});

/** Formats an instant such as a deadline in the viewer's own time zone. */
export function formatLocalTime(instant: Date | string): string {
  return localFormat.format(typeof instant === 'string' ? new Date(instant) : instant);
}

/** Turns an enum value such as "IN_TRADE" into "In trade". */
export function humanizeState(state: string): string {
  const words = state.toLowerCase().replaceAll('_', ' ');

  return words.charAt(0).toUpperCase() + words.slice(1);
}
