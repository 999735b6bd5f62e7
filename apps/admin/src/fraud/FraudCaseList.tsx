import {
  Datagrid,
  DateField,
  FunctionField,
  List,
  SelectField,
  SelectInput,
} from 'react-admin';

import type { FraudCaseListRecord } from '../dataProvider.ts';
import { utcDateTime } from '../fields/dates.ts';
import { UserLink } from '../fields/ShowLink.tsx';
import { kycStatusChoices } from '../users/choices.ts';
import { describeCaseAction, formatScore, fraudCaseStateChoices } from './fields.tsx';

const fraudCaseFilters = [
  <SelectInput
    key="state"
    source="state"
    label="State"
    choices={fraudCaseStateChoices}
    alwaysOn
  />,
];

/**
 * Lists fraud cases with open ones first: the API sorts the state column in the order the
 * states are declared (open, cleared, confirmed), and newest first within a state.
 */
export function FraudCaseList() {
  return (
    <List
      filters={fraudCaseFilters}
      sort={{ field: 'state', order: 'ASC' }}
      perPage={25}
      exporter={false}
    >
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <DateField source="createdAt" label="Opened" showTime options={utcDateTime} />
        <SelectField source="state" label="State" choices={fraudCaseStateChoices} />
        <FunctionField<FraudCaseListRecord>
          source="score"
          label="Score"
          render={(fraudCase) => formatScore(fraudCase.score)}
        />
        <FunctionField<FraudCaseListRecord>
          label="Trader"
          render={(fraudCase) => <UserLink user={fraudCase.user} />}
        />
        <FunctionField<FraudCaseListRecord>
          label="KYC"
          render={(fraudCase) =>
            kycStatusChoices.find((choice) => choice.id === fraudCase.user.kycStatus)?.name ??
            fraudCase.user.kycStatus}
        />
        <FunctionField<FraudCaseListRecord>
          label="Action"
          render={(fraudCase) => describeCaseAction(fraudCase.action)}
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
    </List>
  );
}
