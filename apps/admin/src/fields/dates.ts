/**
 * Date-time options for react-admin's DateField. Instants are shown in UTC with the zone named,
 * so staff comparing timestamps with logs and with each other read the same value.
 */
export const utcDateTime: Intl.DateTimeFormatOptions = {
  timeZone: 'UTC',
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
};

/** Formats an event's start in its venue's IANA time zone, e.g. "Mar 3, 2026, 7:30 PM EST". */
export function formatEventStart(startsAt: Date, timeZone: string | null | undefined): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: timeZone || 'UTC',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(startsAt);
}

/** Shortens a UUID or hash for a table cell. Show pages display the full value. */
export function shortId(value: string, length = 8): string {
  return value.length > length ? value.slice(0, length) : value;
}
