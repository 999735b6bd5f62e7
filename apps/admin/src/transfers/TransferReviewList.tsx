import {
  Datagrid,
  DateField,
  FunctionField,
  List,
  SelectField,
  SelectInput,
  TextField,
} from 'react-admin';

import type { TransferReviewListRecord } from '../dataProvider.ts';
import { shortId, utcDateTime } from '../fields/dates.ts';
import { ShowLink, UserLink } from '../fields/ShowLink.tsx';
import { transferStateChoices } from '../trades/fields.tsx';
import { queuedTradeStateChoices, TicketSummary, transferMethodChoices } from './fields.tsx';

const reviewFilters = [
  <SelectInput
    key="tradeState"
    source="tradeState"
    label="Trade state"
    choices={queuedTradeStateChoices}
    alwaysOn
  />,
];

/**
 * Lists the transfers that neither the partner nor a manual hand-over could finish, oldest
 * first. Transfers of disputed trades stay listed but are decided from their dispute.
 */
export function TransferReviewList() {
  return (
    <List
      filters={reviewFilters}
      sort={{ field: 'staffReviewAt', order: 'ASC' }}
      perPage={25}
      exporter={false}
      empty={false}
    >
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <DateField source="staffReviewAt" label="Waiting since" showTime options={utcDateTime} />
        <FunctionField<TransferReviewListRecord>
          label="Trade"
          render={(review) => (
            <ShowLink resource="trades" id={review.tradeId}>
              {shortId(review.tradeId)}
            </ShowLink>
          )}
        />
        <SelectField
          source="tradeState"
          label="Trade state"
          choices={queuedTradeStateChoices}
          sortable={false}
        />
        <DateField
          source="releaseDeadline"
          label="Deadline"
          showTime
          options={utcDateTime}
          sortable={false}
        />
        <FunctionField<TransferReviewListRecord>
          label="Ticket"
          render={(review) => <TicketSummary review={review} />}
        />
        <FunctionField<TransferReviewListRecord>
          label="From"
          render={(review) => <UserLink user={review.sender} />}
        />
        <FunctionField<TransferReviewListRecord>
          label="To"
          render={(review) => <UserLink user={review.receiver} />}
        />
        <SelectField
          source="method"
          label="Method"
          choices={transferMethodChoices}
          sortable={false}
        />
        <SelectField
          source="state"
          label="Transfer state"
          choices={transferStateChoices}
          sortable={false}
        />
        <TextField source="reason" label="Reason" sortable={false} />
      </Datagrid>
    </List>
  );
}
