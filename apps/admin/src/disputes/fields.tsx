import type { CSSProperties } from 'react';

import { formatCredits } from '@ts/ui';

import type { DisputeRecord } from '../dataProvider.ts';
import { AuditActor } from '../fields/AuditTable.tsx';
import { utcDateTime } from '../fields/dates.ts';
import { ShowLink, UserLink } from '../fields/ShowLink.tsx';
import { formatSeat } from '../tickets/fields.tsx';
import { transferStateChoices } from '../trades/fields.tsx';
import { roleChoices } from '../users/choices.ts';

type Transfer = DisputeRecord['trade']['transfers'][number];
type AuditRow = DisputeRecord['audit'][number];

// The console has no stylesheet of its own, so the two plain tables here carry their styles.
const tableStyle: CSSProperties = { borderCollapse: 'collapse', fontSize: '0.875rem' };
const cellStyle: CSSProperties = {
  borderBottom: '1px solid rgba(0, 0, 0, 0.12)',
  padding: '6px 12px 6px 0',
  textAlign: 'left',
  verticalAlign: 'top',
};

function formatInstant(value: Date | null | undefined): string {
  return value ? value.toLocaleString('en-US', utcDateTime) : '—';
}

function roleName(role: string | null | undefined): string {
  return roleChoices.find((choice) => choice.id === role)?.name ?? 'System';
}

/** Maps each user id the dispute mentions to a display name, for rows that carry only ids. */
export function namesOf(dispute: DisputeRecord): Map<string, string> {
  const names = new Map<string, string>();
  const add = (user: { id: string; displayName: string } | null | undefined) => {
    if (user) {
      names.set(user.id, user.displayName);
    }
  };
  add(dispute.openedBy);
  add(dispute.decidedBy);
  for (const item of dispute.evidence ?? []) {
    add(item.uploadedBy);
  }
  for (const transfer of dispute.trade?.transfers ?? []) {
    add(transfer.deposit.fromUser);
    add(transfer.deposit.toUser);
  }

  return names;
}

/** Renders the notes of both traders and of staff, oldest first, with author and role. */
export function EvidenceTimeline({ dispute }: { dispute: DisputeRecord }) {
  const items = [...(dispute.evidence ?? [])].sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime(),
  );
  if (items.length === 0) {
    return <span>No evidence yet.</span>;
  }

  return (
    <ol style={{ margin: 0, paddingLeft: '1.2em' }}>
      {items.map((item) => (
        <li key={item.id} style={{ marginBottom: '0.75em' }}>
          <div>
            <UserLink user={item.uploadedBy} /> ({roleName(item.uploadedBy.role)}
            {item.uploadedBy.id === dispute.openedBy.id ? ', opened the dispute' : ''}) ·{' '}
            {formatInstant(item.createdAt)}
          </div>
          <div style={{ whiteSpace: 'pre-wrap' }}>{item.note}</div>
          {item.storageKey ? (
            <a href={`/api/dispute-evidence/${item.id}/file`} target="_blank" rel="noreferrer">
              Open the attached file
            </a>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

function TransferEvidence({ transfer, names }: { transfer: Transfer; names: Map<string, string> }) {
  if (transfer.evidence.length === 0) {
    return <span>No notes.</span>;
  }
  const items = [...transfer.evidence].sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime(),
  );

  return (
    <ul style={{ margin: 0, paddingLeft: '1.2em' }}>
      {items.map((item) => (
        <li key={item.id}>
          {names.get(item.uploadedById) ?? 'Unknown user'}, {formatInstant(item.createdAt)}:{' '}
          {item.note}
        </li>
      ))}
    </ul>
  );
}

/** Renders one row per transfer: ticket, sender, receiver, value, state, times and notes. */
export function TransferTable({ dispute }: { dispute: DisputeRecord }) {
  const transfers = dispute.trade?.transfers ?? [];
  const names = namesOf(dispute);
  if (transfers.length === 0) {
    return <span>No transfers.</span>;
  }

  return (
    <table style={tableStyle}>
      <thead>
        <tr>
          <th scope="col" style={cellStyle}>Ticket</th>
          <th scope="col" style={cellStyle}>From</th>
          <th scope="col" style={cellStyle}>To</th>
          <th scope="col" style={cellStyle}>Value</th>
          <th scope="col" style={cellStyle}>State</th>
          <th scope="col" style={cellStyle}>Sent</th>
          <th scope="col" style={cellStyle}>Confirmed</th>
          <th scope="col" style={cellStyle}>Sender's notes</th>
        </tr>
      </thead>
      <tbody>
        {transfers.map((transfer) => {
          const { ticket } = transfer.deposit;
          const state = transferStateChoices.find((choice) => choice.id === transfer.state);

          return (
            <tr key={transfer.id}>
              <td style={cellStyle}>
                <ShowLink resource="tickets" id={ticket.id}>
                  {ticket.event?.name ?? 'Ticket'} ({formatSeat(ticket)})
                </ShowLink>
              </td>
              <td style={cellStyle}>
                <UserLink user={transfer.deposit.fromUser} />
              </td>
              <td style={cellStyle}>
                <UserLink user={transfer.deposit.toUser} />
              </td>
              <td style={cellStyle}>{formatCredits(transfer.deposit.valueMinor)}</td>
              <td style={cellStyle}>{state?.name ?? transfer.state}</td>
              <td style={cellStyle}>{formatInstant(transfer.sentAt)}</td>
              <td style={cellStyle}>{formatInstant(transfer.confirmedAt)}</td>
              <td style={cellStyle}>
                <TransferEvidence transfer={transfer} names={names} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function describeAuditData(row: AuditRow): string {
  if (row.data === null || row.data === undefined) {
    return '';
  }

  return JSON.stringify(row.data);
}

/** Renders the trade's audit entries, oldest first, with the actor's name where it is known. */
export function AuditTrail({ dispute }: { dispute: DisputeRecord }) {
  const rows = dispute.audit ?? [];
  const names = namesOf(dispute);
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
              <AuditActor
                actorId={row.actorId}
                actorRole={row.actorRole}
                name={row.actorId ? names.get(row.actorId) : undefined}
              />
            </td>
            <td style={cellStyle}>
              <code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                {describeAuditData(row)}
              </code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
