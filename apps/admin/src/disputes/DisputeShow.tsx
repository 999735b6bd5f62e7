import {
  DateField,
  FunctionField,
  SelectField,
  Show,
  SimpleShowLayout,
  TextField,
  TopToolbar,
  useRecordContext,
} from 'react-admin';

import type { DisputeRecord } from '../dataProvider.ts';
import { utcDateTime } from '../fields/dates.ts';
import { ShowLink, UserLink } from '../fields/ShowLink.tsx';
import { formatSeat } from '../tickets/fields.tsx';
import { tradeStateChoices } from '../trades/fields.tsx';
import { AddNoteForm } from './AddNoteForm.tsx';
import { AfterCompletionBanner, reportedTransfer } from './afterCompletion.tsx';
import { disputeOutcomeChoices, disputeReasonChoices, disputeStateChoices } from './choices.ts';
import { DisputeDecisionButton } from './DisputeDecisionButton.tsx';
import { AuditTrail, EvidenceTimeline, TransferTable } from './fields.tsx';

function DisputeActions() {
  return (
    <TopToolbar>
      <DisputeDecisionButton outcome="COMPLETE" />
      <DisputeDecisionButton outcome="RETURN_BOTH" />
      <DisputeDecisionButton outcome="SPLIT" />
    </TopToolbar>
  );
}

function TradeSummary({ dispute }: { dispute: DisputeRecord }) {
  const state = tradeStateChoices.find((choice) => choice.id === dispute.trade?.state);

  return (
    <span>
      <ShowLink resource="trades" id={dispute.tradeId}>
        {dispute.tradeId}
      </ShowLink>
      {state ? ` (${state.name.toLowerCase()})` : ''}
    </span>
  );
}

function AfterCompletionNotice() {
  const dispute = useRecordContext<DisputeRecord>();

  return <AfterCompletionBanner dispute={dispute} />;
}

function ReportedTicketSummary({ dispute }: { dispute: DisputeRecord }) {
  if (!dispute.afterCompletion) {
    return <span>None: the dispute was opened in escrow.</span>;
  }
  const transfer = reportedTransfer(dispute);

  return transfer ? (
    <ShowLink resource="tickets" id={transfer.deposit.ticket.id}>
      {transfer.deposit.ticket.event?.name ?? 'Ticket'} ({formatSeat(transfer.deposit.ticket)})
    </ShowLink>
  ) : (
    <span>{dispute.ticketId ?? '—'}</span>
  );
}

// react-admin first renders the list's cached row, which has no evidence, trade or audit, so
// the fields below read those parts with optional chaining.
export function DisputeShow() {
  return (
    <Show actions={<DisputeActions />}>
      <AfterCompletionNotice />
      <SimpleShowLayout>
        <TextField source="id" label="ID" />
        <FunctionField<DisputeRecord>
          label="Trade"
          render={(dispute) => <TradeSummary dispute={dispute} />}
        />
        <SelectField source="state" label="State" choices={disputeStateChoices} />
        <SelectField source="reason" label="Reason" choices={disputeReasonChoices} />
        <FunctionField<DisputeRecord>
          label="Reported ticket"
          render={(dispute) => <ReportedTicketSummary dispute={dispute} />}
        />
        <DateField source="createdAt" label="Opened" showTime options={utcDateTime} />
        <FunctionField<DisputeRecord>
          label="Opened by"
          render={(dispute) => <UserLink user={dispute.openedBy} />}
        />
        <SelectField
          source="outcome"
          label="Outcome"
          choices={disputeOutcomeChoices}
          emptyText="not decided"
        />
        <FunctionField<DisputeRecord>
          label="Decided by"
          render={(dispute) => <UserLink user={dispute.decidedBy} />}
        />
        <DateField
          source="decidedAt"
          label="Decided"
          showTime
          options={utcDateTime}
          emptyText="—"
        />
        <TextField source="decisionNote" label="Decision note" emptyText="—" />
        <FunctionField<DisputeRecord>
          label="Evidence"
          render={(dispute) => <EvidenceTimeline dispute={dispute} />}
        />
        <AddNoteForm />
        <FunctionField<DisputeRecord>
          label="Transfers"
          render={(dispute) => <TransferTable dispute={dispute} />}
        />
        <FunctionField<DisputeRecord>
          label="Audit trail of the trade"
          render={(dispute) => <AuditTrail dispute={dispute} />}
        />
      </SimpleShowLayout>
    </Show>
  );
}
