import { formatEventTime } from '@ts/ui';

import type { MyTicket } from '../trpc.ts';

type EventSummary = NonNullable<MyTicket['event']>;

/** "Section 104, Row F, Seat 12", leaving out the parts the ticket does not name. */
export function describeSeat(ticket: {
  section: string | null;
  row: string | null;
  seat: string | null;
}): string {
  const parts = [
    labelled('Section', ticket.section),
    labelled('Row', ticket.row),
    labelled('Seat', ticket.seat),
  ].filter(Boolean);

  return parts.length > 0 ? parts.join(', ') : 'Seat not given';
}

/** Puts the word in front of the value unless text read from a ticket already starts with it. */
function labelled(word: string, value: string | null): string | null {
  if (!value) {
    return null;
  }

  return value.toLowerCase().startsWith(word.toLowerCase()) ? value : `${word} ${value}`;
}

/** Term and description rows for an event: when (in the venue's time zone) and where. */
export function EventFacts({ event }: { event: EventSummary | null }) {
  if (!event) {
    return (
      <>
        <dt>Event</dt>
        <dd>Not set yet</dd>
      </>
    );
  }
  const place = [event.venue.city, event.venue.state].filter(Boolean).join(', ');

  return (
    <>
      <dt>When</dt>
      <dd>
        <time dateTime={event.startsAt.toISOString()}>
          {formatEventTime(event.startsAt, event.venue.timezone)}
        </time>
      </dd>
      <dt>Where</dt>
      <dd>
        {event.venue.name}, {place}
      </dd>
    </>
  );
}
