import { FunctionField, NumberField, type FieldProps } from 'react-admin';

import type { TicketListRecord } from '../dataProvider.ts';
import { formatEventStart } from '../fields/dates.ts';
import { UserLink } from '../fields/ShowLink.tsx';

type TicketState = TicketListRecord['state'];

/** Props a Datagrid or show layout reads from a field: label, sortable and the like. */
type FieldLayoutProps = Omit<FieldProps, 'source' | 'record'>;

export const ticketStateChoices: { id: TicketState; name: string }[] = [
  { id: 'DRAFT', name: 'Draft' },
  { id: 'LISTED', name: 'Listed' },
  { id: 'IN_TRADE', name: 'In trade' },
  { id: 'ESCROWED', name: 'Escrowed' },
  { id: 'TRANSFERRED', name: 'Transferred' },
  { id: 'WITHDRAWN', name: 'Withdrawn' },
  { id: 'EXPIRED', name: 'Expired' },
];

/**
 * Formats section, row and seat as "Section 112 · Row F · Seat 7", leaving out missing parts. The
 * section is shown as read from the ticket because it often carries its own word ("Floor A").
 */
export function formatSeat(ticket: Pick<TicketListRecord, 'section' | 'row' | 'seat'>): string {
  const parts = [
    ticket.section,
    ticket.row && `Row ${ticket.row}`,
    ticket.seat && `Seat ${ticket.seat}`,
  ].filter(Boolean);

  return parts.join(' · ') || '—';
}

/** Renders the ticket's event with its start in the venue's local time. */
export function EventField(props: FieldLayoutProps) {
  return (
    <FunctionField<TicketListRecord>
      {...props}
      render={(ticket) => {
        if (!ticket.event) {
          return 'Not matched to an event';
        }
        const start = formatEventStart(ticket.event.startsAt, ticket.event.venue?.timezone);

        return `${ticket.event.name}, ${start}`;
      }}
    />
  );
}

export function OwnerField(props: FieldLayoutProps) {
  return (
    <FunctionField<TicketListRecord>
      {...props}
      render={(ticket) => <UserLink user={ticket.owner} />}
    />
  );
}

export function SeatField(props: FieldLayoutProps) {
  return <FunctionField<TicketListRecord> {...props} render={(ticket) => formatSeat(ticket)} />;
}

/** Renders the valuation model's confidence, stored as a fraction from 0 to 1, as a percent. */
export function ConfidenceField(props: FieldLayoutProps) {
  return (
    <NumberField
      source="valueConfidence"
      {...props}
      options={{ style: 'percent', maximumFractionDigits: 0 }}
      emptyText="—"
    />
  );
}
