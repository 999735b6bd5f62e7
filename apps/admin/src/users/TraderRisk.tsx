import {
  Datagrid,
  DateField,
  FunctionField,
  Pagination,
  ReferenceManyField,
  SelectField,
  SimpleShowLayout,
  TextField,
  useCanAccess,
} from 'react-admin';

import type { DebtListRecord, FraudCaseListRecord } from '../dataProvider.ts';
import { CashField, debtStateChoices, TradeIdLink } from '../debts/fields.tsx';
import { shortId, utcDateTime } from '../fields/dates.ts';
import { ShowLink } from '../fields/ShowLink.tsx';
import { describeCaseAction, formatScore, fraudCaseStateChoices } from '../fraud/fields.tsx';

/**
 * Lists what the trader owes the platform after refused payout reversals, newest first, with
 * links to each debt and its trade. Every staff role may read debts.
 */
export function TraderDebts() {
  const { canAccess } = useCanAccess({ resource: 'debts', action: 'list' });
  if (!canAccess) {
    return null;
  }

  return (
    <SimpleShowLayout>
      <ReferenceManyField
        label="Trader debts"
        reference="debts"
        target="userId"
        sort={{ field: 'createdAt', order: 'DESC' }}
        perPage={10}
        pagination={<Pagination rowsPerPageOptions={[10]} />}
        empty={<span>No debts.</span>}
      >
        <Datagrid bulkActionButtons={false} rowClick="show">
          <FunctionField<DebtListRecord>
            label="Debt"
            render={(debt) => (
              <ShowLink resource="debts" id={debt.id}>
                {shortId(debt.id)}
              </ShowLink>
            )}
          />
          <SelectField source="state" label="State" choices={debtStateChoices} sortable={false} />
          <CashField source="amountMinor" label="Amount" sortable={false} />
          <CashField source="outstandingMinor" label="Outstanding" sortable={false} />
          <FunctionField<DebtListRecord>
            label="Trade"
            render={(debt) => <TradeIdLink tradeId={debt.tradeId} />}
          />
          <DateField
            source="createdAt"
            label="Recorded"
            showTime
            options={utcDateTime}
            sortable={false}
          />
        </Datagrid>
      </ReferenceManyField>
    </SimpleShowLayout>
  );
}

/**
 * Lists the trader's fraud cases, open ones first and newest first within a state. Shown only
 * to roles that may read fraud cases, because the API refuses the others.
 */
export function TraderFraudCases() {
  const { canAccess } = useCanAccess({ resource: 'fraudCases', action: 'list' });
  if (!canAccess) {
    return null;
  }

  return (
    <SimpleShowLayout>
      <ReferenceManyField
        label="Fraud cases"
        reference="fraudCases"
        target="userId"
        sort={{ field: 'state', order: 'ASC' }}
        perPage={10}
        pagination={<Pagination rowsPerPageOptions={[10]} />}
        empty={<span>No fraud cases.</span>}
      >
        <Datagrid bulkActionButtons={false} rowClick="show">
          <FunctionField<FraudCaseListRecord>
            label="Case"
            render={(fraudCase) => (
              <ShowLink resource="fraudCases" id={fraudCase.id}>
                {shortId(fraudCase.id)}
              </ShowLink>
            )}
          />
          <SelectField
            source="state"
            label="State"
            choices={fraudCaseStateChoices}
            sortable={false}
          />
          <FunctionField<FraudCaseListRecord>
            label="Score"
            render={(fraudCase) => formatScore(fraudCase.score)}
          />
          <FunctionField<FraudCaseListRecord>
            label="Opened because"
            render={(fraudCase) => describeCaseAction(fraudCase.action)}
          />
          <DateField
            source="createdAt"
            label="Opened"
            showTime
            options={utcDateTime}
            sortable={false}
          />
          <DateField
            source="reviewedAt"
            label="Decided"
            showTime
            options={utcDateTime}
            emptyText="—"
            sortable={false}
          />
        </Datagrid>
      </ReferenceManyField>
    </SimpleShowLayout>
  );
}
