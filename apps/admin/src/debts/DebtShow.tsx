import {
  DateField,
  FunctionField,
  SelectField,
  Show,
  SimpleShowLayout,
  TextField,
  TopToolbar,
} from 'react-admin';

import type { DebtRecord } from '../dataProvider.ts';
import { AuditTable, formatInstant } from '../fields/AuditTable.tsx';
import { utcDateTime } from '../fields/dates.ts';
import { UserLink } from '../fields/ShowLink.tsx';
import { payoutStateChoices } from '../trades/fields.tsx';
import { CashField, debtStateChoices, formatCash, TradeIdLink } from './fields.tsx';
import { WriteOffButton } from './WriteOffButton.tsx';

function DebtActions() {
  return (
    <TopToolbar>
      <WriteOffButton />
    </TopToolbar>
  );
}

/** Describes the payout whose reversal left the debt. */
function PayoutSummary({ debt }: { debt: DebtRecord }) {
  const { payout } = debt;
  if (!payout) {
    return <span>—</span>;
  }
  const state = payoutStateChoices.find((choice) => choice.id === payout.state)?.name;
  const reversal = payout.providerReversalId
    ? `reversal ${payout.providerReversalId}`
    : 'reversal refused by the processor';

  return (
    <span>
      {formatCash(payout.amountMinor, debt.currency)}, {state?.toLowerCase() ?? payout.state}
      {payout.withheldMinor > 0
        ? `, ${formatCash(payout.withheldMinor, debt.currency)} withheld for earlier debts`
        : ''}
      {payout.reversedAt ? `, ${reversal} on ${formatInstant(payout.reversedAt)}` : ''}
    </span>
  );
}

// react-admin first renders the list's cached row, which has no payout or audit entries, so
// the fields below read those parts with optional chaining.
export function DebtShow() {
  return (
    <Show actions={<DebtActions />}>
      <SimpleShowLayout>
        <TextField source="id" label="ID" />
        <SelectField source="state" label="State" choices={debtStateChoices} />
        <FunctionField<DebtRecord>
          label="Trader"
          render={(debt) => <UserLink user={debt.user} />}
        />
        <CashField source="amountMinor" label="Amount" />
        <CashField source="recoveredMinor" label="Repaid from later payouts" />
        <CashField source="outstandingMinor" label="Outstanding" />
        <TextField source="reason" label="Reason" />
        <FunctionField<DebtRecord>
          label="Trade"
          render={(debt) => <TradeIdLink tradeId={debt.tradeId} />}
        />
        <FunctionField<DebtRecord>
          label="Payout"
          render={(debt) => <PayoutSummary debt={debt} />}
        />
        <DateField source="createdAt" label="Recorded" showTime options={utcDateTime} />
        <DateField
          source="settledAt"
          label="Repaid in full"
          showTime
          options={utcDateTime}
          emptyText="—"
        />
        <FunctionField<DebtRecord>
          label="Audit trail of the debt, newest first"
          render={(debt) => <AuditTable rows={debt.audit} />}
        />
      </SimpleShowLayout>
    </Show>
  );
}
