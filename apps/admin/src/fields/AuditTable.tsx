import type { CSSProperties, ReactNode } from 'react';
import { useGetManyAggregate } from 'react-admin';

import type { UserRecord } from '../dataProvider.ts';
import { labelAuditActor } from './auditActor.ts';
import { utcDateTime } from './dates.ts';
import { ShowLink } from './ShowLink.tsx';

/** One audit entry as the admin API returns it inside a record; ids are decimal strings. */
export interface AuditEntry {
  id: string;
  at: Date;
  action: string;
  entityType?: string;
  actorId: string | null;
  actorRole: string | null;
  data: unknown;
}

// The console has no stylesheet of its own, so plain tables carry their styles.
export const tableStyle: CSSProperties = { borderCollapse: 'collapse', fontSize: '0.875rem' };
export const cellStyle: CSSProperties = {
  borderBottom: '1px solid rgba(0, 0, 0, 0.12)',
  padding: '6px 12px 6px 0',
  textAlign: 'left',
  verticalAlign: 'top',
};

export function formatInstant(value: Date | null | undefined): string {
  return value ? value.toLocaleString('en-US', utcDateTime) : '—';
}

interface AuditActorProps {
  actorId: string | null;
  actorRole: string | null;
  /** Display name of the actor when the page already has it. Without it, the name is fetched. */
  name?: string | undefined;
}

/**
 * Renders who made an audit entry (see `labelAuditActor`), with the actor's name linked to their
 * page. Names the page does not have are fetched with react-admin's useGetManyAggregate, which
 * merges the calls of one tick into one getMany, and httpBatchLink sends that as one request. Until it returns, and for an id the API does not find,
 * the cell shows "User" and the id's first 8 characters.
 */
export function AuditActor({ actorId, actorRole, name }: AuditActorProps) {
  const users = useGetManyAggregate<UserRecord>(
    'users',
    { ids: actorId === null ? [] : [actorId] },
    { enabled: actorId !== null && name === undefined },
  );
  const label = labelAuditActor({ actorId, actorRole }, name ?? users.data?.[0]?.displayName);
  if (actorId === null || label === null) {
    return <>(System)</>;
  }

  return (
    <>
      <ShowLink resource="users" id={actorId}>
        {label.name}
      </ShowLink>
      {label.staffRole ? ` (${label.staffRole})` : null}
    </>
  );
}

/** Renders a table whose first row names the columns. */
export function PlainTable(props: { columns: string[]; children: ReactNode }) {
  return (
    <table style={tableStyle}>
      <thead>
        <tr>
          {props.columns.map((column) => (
            <th key={column} scope="col" style={cellStyle}>
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{props.children}</tbody>
    </table>
  );
}

/** Renders audit entries in the order given, with the entity type when the rows carry it. */
export function AuditTable({ rows }: { rows: readonly AuditEntry[] | undefined }) {
  if (!rows || rows.length === 0) {
    return <span>No audit entries.</span>;
  }

  return (
    <PlainTable columns={['At', 'Action', 'On', 'Actor', 'Data']}>
      {rows.map((row) => (
        <tr key={row.id}>
          <td style={cellStyle}>{formatInstant(row.at)}</td>
          <td style={cellStyle}>{row.action}</td>
          <td style={cellStyle}>{row.entityType ?? '—'}</td>
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
    </PlainTable>
  );
}
