import {
  ArrayField,
  Datagrid,
  DateField,
  FunctionField,
  SelectField,
  Show,
  SimpleShowLayout,
  TextField,
} from 'react-admin';

import type { DepositRecord, TradeRecord } from '../dataProvider.ts';
import { CreditsField } from '../fields/CreditsField.tsx';
import { utcDateTime } from '../fields/dates.ts';
import { UserLink } from '../fields/ShowLink.tsx';
import {
  DepositTicketLink,
  depositStateChoices,
  describeTransfer,
  tradeStateChoices,
} from './fields.tsx';
import { PayoutTable } from './PayoutTable.tsx';

function formatOptionalInstant(value: Date | null | undefined): string {
  return value ? value.toLocaleString('en-US', utcDateTime) : '—';
}

export function TradeShow() {
  return (
    <Show>
      <SimpleShowLayout>
        <TextField source="id" label="ID" />
        <SelectField source="state" label="State" choices={tradeStateChoices} />
        <DateField source="createdAt" label="Opened" showTime options={utcDateTime} />
        <DateField
          source="releaseDeadline"
          label="Transfer deadline"
          showTime
          options={utcDateTime}
        />
        <DateField
          source="completedAt"
          label="Completed"
          showTime
          options={utcDateTime}
          emptyText="not completed"
        />
        <ArrayField source="deposits" label="Deposits">
          <Datagrid bulkActionButtons={false} rowClick={false}>
            <FunctionField<DepositRecord>
              label="From"
              render={(deposit) => <UserLink user={deposit.fromUser} />}
            />
            <FunctionField<DepositRecord>
              label="To"
              render={(deposit) => <UserLink user={deposit.toUser} />}
            />
            <FunctionField<DepositRecord>
              label="Ticket"
              render={(deposit) => <DepositTicketLink deposit={deposit} />}
            />
            <CreditsField source="valueMinor" label="Value" />
            <SelectField source="state" label="Deposit" choices={depositStateChoices} />
            <FunctionField<DepositRecord>
              label="Transfer"
              render={(deposit) => describeTransfer(deposit)}
            />
            <FunctionField<DepositRecord>
              label="Sent"
              render={(deposit) => formatOptionalInstant(deposit.transfer?.sentAt)}
            />
            <FunctionField<DepositRecord>
              label="Confirmed"
              render={(deposit) => formatOptionalInstant(deposit.transfer?.confirmedAt)}
            />
          </Datagrid>
        </ArrayField>
        {/* The list's cached row has no payouts; PayoutTable reads them with a fallback. */}
        <FunctionField<TradeRecord>
          label="Payouts"
          render={(trade) => <PayoutTable trade={trade} />}
        />
      </SimpleShowLayout>
    </Show>
  );
}
