import type { CSSProperties } from 'react';

import type { TransferReviewListRecord, TransferReviewRecord } from '../dataProvider.ts';
import { AuditActor } from '../fields/AuditTable.tsx';
import { formatEventStart, utcDateTime } from '../fields/dates.ts';
import { ShowLink, UserLink } from '../fields/ShowLink.tsx';
import { formatSeat } from '../tickets/fields.tsx';
import { transferStateChoices } from '../trades/fields.tsx';

type TransferMethod = TransferReviewListRecord['method'];
type QueuedTradeState = Extract<TransferReviewListRecord['tradeState'], 'ESCROWED' | 'DISPUTED'>;

export const transferMethodChoices: { id: TransferMethod; name: string }[] = [
  { id: 'PARTNER_API', name: 'Ticketing partner' },
  { id: 'MANUAL', name: 'Manual hand-over' },
];

/** The trade states a queued transfer can be in. Only escrowed ones can be decided here. */
export const queuedTradeStateChoices: { id: QueuedTradeState; name: string }[] = [
  { id: 'ESCROWED', name: 'Escrowed' },
  { id: 'DISPUTED', name: 'Disputed' },
];

function formatInstant(value: Date | null | undefined): string {
  return value ? value.toLocaleString('en-US', utcDateTime) : '—';
}

function choiceName(choices: readonly { id: string; name: string }[], id: string): string {
  return choices.find((choice) => choice.id === id)?.name ?? id;
}

/** Returns true while the transfer is queued and its trade is in escrow, so staff may decide. */
export function isDecidable(record: TransferReviewListRecord | undefined): boolean {
  return record !== undefined && record.staffReviewAt !== null && record.tradeState === 'ESCROWED';
}

/** Renders the ticket as a link: event name, local start time and seat. */
export function TicketSummary({ review }: { review: TransferReviewListRecord }) {
  const { ticket } = review;
  const start = ticket.event
    ? formatEventStart(ticket.event.startsAt, ticket.event.venue?.timezone)
    : null;

  return (
    <ShowLink resource="tickets" id={ticket.id}>
      {ticket.event?.name ?? 'Ticket'}
      {start ? `, ${start}` : ''} ({formatSeat(ticket)})
    </ShowLink>
  );
}

export function TradeLink({ review }: { review: TransferReviewListRecord }) {
  return (
    <ShowLink resource="trades" id={review.tradeId}>
      {review.tradeId}
    </ShowLink>
  );
}

/** Renders the sender's and receiver's notes on the transfer, oldest first. */
export function EvidenceNotes({ review }: { review: TransferReviewListRecord }) {
  const notes = review.evidence ?? [];
  if (notes.length === 0) {
    return <span>No notes from the traders.</span>;
  }

  return (
    <ul style={{ margin: 0, paddingLeft: '1.2em' }}>
      {notes.map((note) => (
        <li key={note.id}>
          <UserLink user={note.uploadedBy} />, {formatInstant(note.createdAt)}:{' '}
          <span style={{ whiteSpace: 'pre-wrap' }}>{note.note}</span>
        </li>
      ))}
    </ul>
  );
}

/** Renders the trade's other transfers, which decide whether a confirmation completes it. */
export function OtherTransfers({ review }: { review: TransferReviewRecord }) {
  const transfers = review.otherTransfers ?? [];
  if (transfers.length === 0) {
    return <span>None.</span>;
  }

  return (
    <ul style={{ margin: 0, paddingLeft: '1.2em' }}>
      {transfers.map((transfer) => (
        <li key={transfer.id}>
          {choiceName(transferMethodChoices, transfer.method)},{' '}
          {choiceName(transferStateChoices, transfer.state).toLowerCase()}
          {transfer.staffReviewAt ? ', also waiting for staff review' : ''}
        </li>
      ))}
    </ul>
  );
}

// The console has no stylesheet of its own, so the plain table here carries its styles.
const tableStyle: CSSProperties = { borderCollapse: 'collapse', fontSize: '0.875rem' };
const cellStyle: CSSProperties = {
  borderBottom: '1px solid rgba(0, 0, 0, 0.12)',
  padding: '6px 12px 6px 0',
  textAlign: 'left',
  verticalAlign: 'top',
};

/** Renders the transfer's audit entries, oldest first, including staff decisions. */
export function TransferAuditTrail({ review }: { review: TransferReviewRecord }) {
  const rows = review.audit ?? [];
  if (rows.length === 0) {
    return <span>No audit entries.</span>;
  }

  return (
    <table style={tableStyle}>
      <thead>
        <tr>
          <th scope="col" style={cellStyle}>At</th>
          <th scope="col" style={cellStyle}>Action</th>
          <th scope="col" style={cellStyle}>Actor</th>
          <th scope="col" style={cellStyle}>Data</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id}>
            <td style={cellStyle}>{formatInstant(row.at)}</td>
            <td style={cellStyle}>{row.action}</td>
            <td style={cellStyle}>
              <AuditActor actorId={row.actorId} actorRole={row.actorRole} />
            </td>
            <td style={cellStyle}>
              <code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                {row.data === null || row.data === undefined ? '' : JSON.stringify(row.data)}
              </code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
