import {
  BooleanField,
  Datagrid,
  DateField,
  FunctionField,
  List,
  NumberField,
  SelectField,
  SelectInput,
} from 'react-admin';

import type { DisputeListRecord } from '../dataProvider.ts';
import { utcDateTime } from '../fields/dates.ts';
import { UserLink } from '../fields/ShowLink.tsx';
import { disputeOutcomeChoices, disputeReasonChoices, disputeStateChoices } from './choices.ts';

const disputeFilters = [
  <SelectInput key="state" source="state" label="State" choices={disputeStateChoices} alwaysOn />,
];

/**
 * Lists disputes with open ones first: the API sorts the state column in the order the states
 * are declared (open, under review, resolved).
 * NOTE: the API sorts by one field only, so disputes in the same state come in no set order.
 */
export function DisputeList() {
  return (
    <List
      filters={disputeFilters}
      sort={{ field: 'state', order: 'ASC' }}
      perPage={25}
      exporter={false}
    >
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <DateField source="createdAt" label="Opened" showTime options={utcDateTime} />
        <SelectField source="state" label="State" choices={disputeStateChoices} />
        <SelectField
          source="reason"
          label="Reason"
          choices={disputeReasonChoices}
          sortable={false}
        />
        <FunctionField<DisputeListRecord>
          label="Opened by"
          render={(dispute) => <UserLink user={dispute.openedBy} />}
        />
        <BooleanField
          source="afterCompletion"
          label="After completion"
          sortable={false}
          looseValue
        />
        <NumberField source="_count.evidence" label="Evidence" sortable={false} />
        <SelectField
          source="outcome"
          label="Outcome"
          choices={disputeOutcomeChoices}
          emptyText="—"
          sortable={false}
        />
      </Datagrid>
    </List>
  );
}
