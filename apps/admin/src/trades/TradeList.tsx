import {
  Datagrid,
  DateField,
  FunctionField,
  List,
  SelectField,
  SelectInput,
} from 'react-admin';

import type { TradeRecord } from '../dataProvider.ts';
import { shortId, utcDateTime } from '../fields/dates.ts';
import { DepositsSummaryField, tradeStateChoices } from './fields.tsx';

const tradeFilters = [
  <SelectInput key="state" source="state" label="State" choices={tradeStateChoices} alwaysOn />,
];

export function TradeList() {
  return (
    <List
      filters={tradeFilters}
      sort={{ field: 'createdAt', order: 'DESC' }}
      perPage={25}
      exporter={false}
    >
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <FunctionField<TradeRecord> label="Trade" render={(trade) => shortId(trade.id)} />
        <SelectField source="state" label="State" choices={tradeStateChoices} />
        <DepositsSummaryField label="Deposits" />
        <DateField
          source="releaseDeadline"
          label="Deadline"
          showTime
          options={utcDateTime}
          sortable={false}
        />
        <DateField source="createdAt" label="Opened" showTime options={utcDateTime} />
      </Datagrid>
    </List>
  );
}
