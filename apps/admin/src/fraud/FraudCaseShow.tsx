import {
  DateField,
  FunctionField,
  SelectField,
  Show,
  SimpleShowLayout,
  TextField,
  TopToolbar,
} from 'react-admin';

import type { FraudCaseRecord } from '../dataProvider.ts';
import { DebtTable } from '../debts/fields.tsx';
import { AuditTable } from '../fields/AuditTable.tsx';
import { utcDateTime } from '../fields/dates.ts';
import { UserLink } from '../fields/ShowLink.tsx';
import { kycStatusChoices } from '../users/choices.ts';
import {
  describeCaseAction,
  formatScore,
  fraudCaseStateChoices,
  ScoredSignals,
  SignalTable,
} from './fields.tsx';
import { FraudDecisionButton } from './FraudDecisionButton.tsx';

function FraudCaseActions() {
  return (
    <TopToolbar>
      <FraudDecisionButton decision="CLEARED" />
      <FraudDecisionButton decision="CONFIRMED" />
    </TopToolbar>
  );
}

function TraderSummary({ fraudCase }: { fraudCase: FraudCaseRecord }) {
  const kyc = kycStatusChoices.find((choice) => choice.id === fraudCase.user.kycStatus);

  return (
    <span>
      <UserLink user={fraudCase.user} /> (KYC {kyc?.name.toLowerCase() ?? fraudCase.user.kycStatus})
    </span>
  );
}

// react-admin first renders the list's cached row, which has no signals, debts or audit
// entries, so the fields below read those parts with optional chaining.
export function FraudCaseShow() {
  return (
    <Show actions={<FraudCaseActions />}>
      <SimpleShowLayout>
        <TextField source="id" label="ID" />
        <SelectField source="state" label="State" choices={fraudCaseStateChoices} />
        <FunctionField<FraudCaseRecord>
          label="Trader"
          render={(fraudCase) => <TraderSummary fraudCase={fraudCase} />}
        />
        <FunctionField<FraudCaseRecord>
          label="Opened because"
          render={(fraudCase) => describeCaseAction(fraudCase.action)}
        />
        <DateField source="createdAt" label="Opened" showTime options={utcDateTime} />
        <FunctionField<FraudCaseRecord>
          label="Score (sum of signal weights, at most 1)"
          render={(fraudCase) => formatScore(fraudCase.score)}
        />
        <FunctionField<FraudCaseRecord>
          label="Signals in the score"
          render={(fraudCase) => <ScoredSignals fraudCase={fraudCase} />}
        />
        <FunctionField<FraudCaseRecord>
          label="Decided by"
          render={(fraudCase) => <UserLink user={fraudCase.reviewedBy} />}
        />
        <DateField
          source="reviewedAt"
          label="Decided"
          showTime
          options={utcDateTime}
          emptyText="not decided"
        />
        <TextField source="decisionNote" label="Decision note" emptyText="—" />
        <FunctionField<FraudCaseRecord>
          label="All fraud signals of the trader"
          render={(fraudCase) => <SignalTable signals={fraudCase.signals} />}
        />
        <FunctionField<FraudCaseRecord>
          label="Open debts of the trader"
          render={(fraudCase) => <DebtTable debts={fraudCase.openDebts} />}
        />
        <FunctionField<FraudCaseRecord>
          label="Audit trail of the trader, their payouts and this case, newest first"
          render={(fraudCase) => <AuditTable rows={fraudCase.audit} />}
        />
      </SimpleShowLayout>
    </Show>
  );
}
