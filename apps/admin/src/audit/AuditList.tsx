import {
  Datagrid,
  DateField,
  FunctionField,
  List,
  TextField,
  TextInput,
  useRecordContext,
} from 'react-admin';

import type { AuditRecord } from '../dataProvider.ts';
import { AuditActor } from '../fields/AuditTable.tsx';
import { shortId, utcDateTime } from '../fields/dates.ts';
import { ShowLink } from '../fields/ShowLink.tsx';

// Entity types that have a page in this console, by the name the audit log records.
const entityResources: Record<string, string> = {
  User: 'users',
  Ticket: 'tickets',
  Trade: 'trades',
};

const auditFilters = [
  <TextInput key="entityType" source="entityType" label="Entity type" />,
  <TextInput key="entityId" source="entityId" label="Entity ID" />,
  <TextInput key="actorId" source="actorId" label="Actor ID" />,
];

function EntityCell({ entry }: { entry: AuditRecord }) {
  const label = `${entry.entityType} ${shortId(entry.entityId)}`;
  const resource = entityResources[entry.entityType];

  return resource ? (
    <ShowLink resource={resource} id={entry.entityId}>
      {label}
    </ShowLink>
  ) : (
    <span>{label}</span>
  );
}

/** Renders the full entry under an expanded row: its data, request ID and chain hashes. */
function AuditDetails() {
  const entry = useRecordContext<AuditRecord>();
  if (!entry) {
    return null;
  }

  return (
    <dl style={{ margin: 0, fontSize: '0.875rem' }}>
      <dt>Request ID</dt>
      <dd>{entry.requestId ?? '—'}</dd>
      <dt>Hash</dt>
      <dd><code>{entry.hash}</code></dd>
      <dt>Previous hash</dt>
      <dd><code>{entry.prevHash}</code></dd>
      <dt>Data</dt>
      <dd>
        <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
          {JSON.stringify(entry.data, null, 2)}
        </pre>
      </dd>
    </dl>
  );
}

/**
 * Lists the append-only audit log, newest first. The list is read-only because the API has no
 * call that changes an entry. The API sorts by entry id only, so other columns are not sortable.
 */
export function AuditList() {
  return (
    <List
      filters={auditFilters}
      sort={{ field: 'id', order: 'DESC' }}
      perPage={50}
      exporter={false}
    >
      <Datagrid bulkActionButtons={false} rowClick="expand" expand={<AuditDetails />}>
        <TextField source="id" label="ID" />
        <DateField source="at" label="At" showTime options={utcDateTime} sortable={false} />
        <FunctionField<AuditRecord>
          label="Actor"
          render={(entry) => <AuditActor actorId={entry.actorId} actorRole={entry.actorRole} />}
        />
        <TextField source="action" label="Action" sortable={false} />
        <FunctionField<AuditRecord>
          label="Entity"
          render={(entry) => <EntityCell entry={entry} />}
        />
        <FunctionField<AuditRecord>
          label="Hash"
          render={(entry) => <code>{shortId(entry.hash, 12)}</code>}
        />
      </Datagrid>
    </List>
  );
}
