import {
  DateField,
  FunctionField,
  SelectField,
  Show,
  SimpleShowLayout,
  TextField,
  TopToolbar,
} from 'react-admin';

import type { TransferReviewRecord } from '../dataProvider.ts';
import { CreditsField } from '../fields/CreditsField.tsx';
import { utcDateTime } from '../fields/dates.ts';
import { UserLink } from '../fields/ShowLink.tsx';
import { tradeStateChoices, transferStateChoices } from '../trades/fields.tsx';
import {
  EvidenceNotes,
  OtherTransfers,
  TicketSummary,
  TradeLink,
  TransferAuditTrail,
  transferMethodChoices,
} from './fields.tsx';
import { TransferDecisionButton } from './TransferDecisionButton.tsx';

function TransferReviewActions() {
  return (
    <TopToolbar>
      <TransferDecisionButton decision="confirmDelivered" />
      <TransferDecisionButton decision="returnToManual" />
    </TopToolbar>
  );
}

// react-admin first renders the list's cached row, which has no other transfers or audit
// entries, so the fields below read those parts with optional chaining.
export function TransferReviewShow() {
  return (
    <Show actions={<TransferReviewActions />}>
      <SimpleShowLayout>
        <TextField source="id" label="Transfer ID" />
        <TextField source="reason" label="Why it needs staff" emptyText="—" />
        <DateField
          source="staffReviewAt"
          label="Waiting since"
          showTime
          options={utcDateTime}
          emptyText="decided, no longer waiting"
        />
        <FunctionField<TransferReviewRecord>
          label="Trade"
          render={(review) => <TradeLink review={review} />}
        />
        <SelectField source="tradeState" label="Trade state" choices={tradeStateChoices} />
        <DateField
          source="releaseDeadline"
          label="Escrow deadline"
          showTime
          options={utcDateTime}
        />
        <FunctionField<TransferReviewRecord>
          label="Ticket"
          render={(review) => <TicketSummary review={review} />}
        />
        <CreditsField source="valueMinor" label="Value" />
        <FunctionField<TransferReviewRecord>
          label="From"
          render={(review) => <UserLink user={review.sender} />}
        />
        <FunctionField<TransferReviewRecord>
          label="To"
          render={(review) => <UserLink user={review.receiver} />}
        />
        <SelectField source="method" label="Method" choices={transferMethodChoices} />
        <SelectField source="state" label="Transfer state" choices={transferStateChoices} />
        <TextField source="partnerRef" label="Partner reference" emptyText="none" />
        <FunctionField<TransferReviewRecord>
          label="Traders' notes"
          render={(review) => <EvidenceNotes review={review} />}
        />
        <FunctionField<TransferReviewRecord>
          label="Other transfers of the trade"
          render={(review) => <OtherTransfers review={review} />}
        />
        <FunctionField<TransferReviewRecord>
          label="Audit trail of the transfer"
          render={(review) => <TransferAuditTrail review={review} />}
        />
      </SimpleShowLayout>
    </Show>
  );
}
