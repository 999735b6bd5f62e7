import { Datagrid, DateField, List, SelectField, SelectInput } from 'react-admin';

import { CreditsField } from '../fields/CreditsField.tsx';
import { utcDateTime } from '../fields/dates.ts';
import {
  ConfidenceField,
  EventField,
  OwnerField,
  SeatField,
  ticketStateChoices,
} from './fields.tsx';

const ticketFilters = [
  <SelectInput key="state" source="state" label="State" choices={ticketStateChoices} alwaysOn />,
];

export function TicketList() {
  return (
    <List
      filters={ticketFilters}
      sort={{ field: 'createdAt', order: 'DESC' }}
      perPage={25}
      exporter={false}
    >
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <EventField label="Event" />
        <SeatField label="Seat" />
        <OwnerField label="Owner" />
        <SelectField source="state" label="State" choices={ticketStateChoices} />
        <CreditsField source="valueMinor" label="Value" />
        <ConfidenceField label="Confidence" sortable={false} />
        <DateField source="createdAt" label="Uploaded" showTime options={utcDateTime} />
      </Datagrid>
    </List>
  );
}
