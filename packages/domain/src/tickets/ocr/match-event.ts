import type { PrismaClient } from '@ts/db';

import { nameTokens, tokenSimilarity } from './text.ts';
import type { TicketFields } from './types.ts';

export interface EventMatch {
  eventId: string;
  /** Between 0 and 1: 0.6 from the name, 0.2 from the venue, 0.2 from the date. */
  score: number;
}

// A match needs a name at least this similar and this total score.
const MIN_NAME_SIMILARITY = 0.5;
const MIN_SCORE = 0.55;
const DAY_MS = 86_400_000;
// Without a date on the ticket, only events from a day ago on are candidates, at most this
// many, soonest first.
const MAX_UNDATED_CANDIDATES = 5000;

/**
 * Finds the catalogue event a ticket is for. Names are compared word by word (tolerating one
 * misread letter per long word), venues by name and city. When the ticket shows a date, only
 * events on that local date or one day either side count, with the local date taken in the
 * venue's IANA time zone. Returns null when nothing is close enough.
 */
export async function matchEvent(
  prisma: PrismaClient,
  fields: TicketFields,
  now: Date,
): Promise<EventMatch | null> {
  const name = fields.eventName ? String(fields.eventName.value) : '';
  const nameWords = nameTokens(name);
  if (nameWords.length === 0) {
    return null;
  }
  const start = parseStart(fields.startsAt?.value);
  const venueWords = fields.venue ? nameTokens(String(fields.venue.value)) : [];

  // Two days either side of the printed date cover every time zone and the one-day margin.
  const window = start
    ? { gte: new Date(start.approximateMillis - 2 * DAY_MS),
      lte: new Date(start.approximateMillis + 2 * DAY_MS) }
    : { gte: new Date(now.getTime() - DAY_MS) };
  const candidates = await prisma.event.findMany({
    where: { startsAt: window },
    select: {
      id: true,
      name: true,
      startsAt: true,
      venue: { select: { name: true, city: true, timezone: true } },
    },
    orderBy: { startsAt: 'asc' },
    take: start ? undefined : MAX_UNDATED_CANDIDATES,
  });

  let best: EventMatch | null = null;
  for (const event of candidates) {
    let dateScore = 0;
    if (start) {
      const days = localDayDifference(start, event.startsAt, event.venue.timezone);
      if (days > 1) {
        continue;
      }
      dateScore = days === 0 ? 1 : 0.5;
    }
    const nameScore = tokenSimilarity(nameWords, nameTokens(event.name));
    if (nameScore < MIN_NAME_SIMILARITY) {
      continue;
    }
    const venueScore = venueWords.length === 0
      ? 0
      : tokenSimilarity(venueWords, nameTokens(`${event.venue.name} ${event.venue.city}`));
    const score = Math.round((0.6 * nameScore + 0.2 * venueScore + 0.2 * dateScore) * 1000) /
      1000;
    if (score >= MIN_SCORE && (!best || score > best.score)) {
      best = { eventId: event.id, score };
    }
  }

  return best;
}

interface PrintedStart {
  /** A UTC instant, when the ticket printed a time zone. */
  instant?: Date;
  /** The printed local date, YYYY-MM-DD, when it did not. */
  localDate?: string;
  approximateMillis: number;
}

function parseStart(value: string | number | undefined): PrintedStart | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  if (/(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    const instant = new Date(value);

    return Number.isNaN(instant.getTime())
      ? undefined
      : { instant, approximateMillis: instant.getTime() };
  }
  const localDate = /^(\d{4}-\d{2}-\d{2})/.exec(value)?.[1];
  const millis = localDate ? Date.parse(`${localDate}T12:00:00Z`) : Number.NaN;

  return localDate && !Number.isNaN(millis) ? { localDate, approximateMillis: millis } : undefined;
}

function localDayDifference(start: PrintedStart, eventStart: Date, timeZone: string): number {
  const eventDay = localDate(eventStart, timeZone);
  const ticketDay = start.localDate ?? localDate(start.instant!, timeZone);

  return Math.abs(Date.parse(`${eventDay}T00:00:00Z`) - Date.parse(`${ticketDay}T00:00:00Z`)) /
    DAY_MS;
}

function localDate(instant: Date, timeZone: string): string {
  // The en-CA locale formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit',
  }).format(instant);
}
