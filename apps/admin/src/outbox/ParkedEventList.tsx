import {
  Datagrid,
  DateField,
  FunctionField,
  List,
  NumberField,
  TextField,
} from 'react-admin';

import type { ParkedEventRecord } from '../dataProvider.ts';
import { shortId, utcDateTime } from '../fields/dates.ts';
import { ShowLink } from '../fields/ShowLink.tsx';
import { RequeueButton } from './RequeueButton.tsx';

// Aggregate types that have a page in this console, by the name the outbox records.
const aggregateResources: Record<string, string> = {
  User: 'users',
  Ticket: 'tickets',
  Trade: 'trades',
};

function AggregateCell({ event }: { event: ParkedEventRecord }) {
  const label = `${event.aggregateType} ${shortId(event.aggregateId)}`;
  const resource = aggregateResources[event.aggregateType];

  return resource ? (
    <ShowLink resource={resource} id={event.aggregateId}>
      {label}
    </ShowLink>
  ) : (
    <span>{label}</span>
  );
}

function NoParkedEvents() {
  return (
    <p style={{ margin: '1rem' }}>
      No parked events. The relay parks an event here when its last publish attempt fails.
    </p>
  );
}

/**
 * Lists the outbox events the relay gave up on, most recently parked first, with a button to
 * requeue each. Payloads are not shown because the API leaves them out. The API sorts by parking
 * time only, so no column is sortable.
 */
export function ParkedEventList() {
  return (
    <List
      sort={{ field: 'parkedAt', order: 'DESC' }}
      perPage={25}
      exporter={false}
      empty={<NoParkedEvents />}
    >
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <TextField source="id" label="ID" sortable={false} />
        <TextField source="type" label="Type" sortable={false} />
        <FunctionField<ParkedEventRecord>
          label="Aggregate"
          render={(event) => <AggregateCell event={event} />}
        />
        <NumberField source="attempts" label="Attempts" sortable={false} />
        <TextField source="lastError" label="Last error" sortable={false} emptyText="—" />
        <DateField
          source="parkedAt"
          label="Parked at"
          showTime
          options={utcDateTime}
          sortable={false}
        />
        <FunctionField<ParkedEventRecord> label="Action" render={() => <RequeueButton />} />
      </Datagrid>
    </List>
  );
}
