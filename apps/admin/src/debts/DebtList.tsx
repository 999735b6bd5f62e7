import {
  Datagrid,
  DateField,
  FunctionField,
  List,
  SelectField,
  SelectInput,
  TextField,
} from 'react-admin';

import type { DebtListRecord } from '../dataProvider.ts';
import { utcDateTime } from '../fields/dates.ts';
import { UserLink } from '../fields/ShowLink.tsx';
import { CashField, debtStateChoices, TradeIdLink } from './fields.tsx';

const debtFilters = [
  <SelectInput key="state" source="state" label="State" choices={debtStateChoices} alwaysOn />,
];

/** Lists what traders owe the platform after refused payout reversals, newest first. */
export function DebtList() {
  return (
    <List
      filters={debtFilters}
      filterDefaultValues={{ state: 'OPEN' }}
      sort={{ field: 'createdAt', order: 'DESC' }}
      perPage={25}
      exporter={false}
    >
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <DateField source="createdAt" label="Recorded" showTime options={utcDateTime} />
        <SelectField source="state" label="State" choices={debtStateChoices} />
        <FunctionField<DebtListRecord>
          label="Trader"
          render={(debt) => <UserLink user={debt.user} />}
        />
        <CashField source="amountMinor" label="Amount" />
        <CashField source="recoveredMinor" label="Repaid" sortable={false} />
        <CashField source="outstandingMinor" label="Outstanding" sortable={false} />
        <FunctionField<DebtListRecord>
          label="Trade"
          render={(debt) => <TradeIdLink tradeId={debt.tradeId} />}
        />
        <TextField source="reason" label="Reason" sortable={false} />
      </Datagrid>
    </List>
  );
}
