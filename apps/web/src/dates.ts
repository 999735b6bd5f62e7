/**
 * Conversions between `<input type="date">` values ("2026-07-04") and instants. A typed day
 * means that calendar day in the viewer's own time zone.
 */

function parseDay(text: string): [number, number, number] | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) {
    return null;
  }

  return [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
}

/** Returns the first instant of the typed day, or undefined for an empty or invalid value. */
export function startOfDay(text: string): Date | undefined {
  const day = parseDay(text);

  return day ? new Date(day[0], day[1], day[2]) : undefined;
}

/** Returns the last millisecond of the typed day, so that "to July 4" includes July 4. */
export function endOfDay(text: string): Date | undefined {
  const day = parseDay(text);

  return day ? new Date(day[0], day[1], day[2], 23, 59, 59, 999) : undefined;
}

const dayFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' });

/** Formats a date without time, e.g. "Jul 4, 2026", in the viewer's time zone. */
export function formatDay(date: Date): string {
  return dayFormat.format(date);
}
