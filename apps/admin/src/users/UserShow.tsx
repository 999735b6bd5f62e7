import {
  Datagrid,
  DateField,
  EmailField,
  FunctionField,
  NumberField,
  ReferenceManyField,
  SelectField,
  Show,
  SimpleShowLayout,
  TextField,
  TopToolbar,
  useCanAccess,
} from 'react-admin';

import type { AuditRecord, TicketListRecord, UserRecord } from '../dataProvider.ts';
import { CreditsField } from '../fields/CreditsField.tsx';
import { shortId, utcDateTime } from '../fields/dates.ts';
import { kycStatusChoices, roleChoices } from './choices.ts';
import { KycDecisionButton } from './KycDecisionButton.tsx';
import { TraderDebts, TraderFraudCases } from './TraderRisk.tsx';

function UserActions() {
  return (
    <TopToolbar>
      <KycDecisionButton decision="VERIFIED" />
      <KycDecisionButton decision="REJECTED" />
    </TopToolbar>
  );
}

/** Lists the user's audit entries for roles that may read the audit log. */
function UserAuditTrail() {
  const { canAccess } = useCanAccess({ resource: 'audit', action: 'list' });
  if (!canAccess) {
    return null;
  }

  return (
    <SimpleShowLayout>
      <ReferenceManyField
        label="Audit trail"
        reference="audit"
        target="entityId"
        filter={{ entityType: 'User' }}
        sort={{ field: 'id', order: 'DESC' }}
        perPage={10}
      >
        <Datagrid bulkActionButtons={false} rowClick={false}>
          <DateField source="at" label="At" showTime options={utcDateTime} sortable={false} />
          <TextField source="action" label="Action" sortable={false} />
          <FunctionField<AuditRecord>
            label="Actor role"
            render={(entry) => entry.actorRole ?? (entry.actorId === null ? 'system' : '')}
          />
        </Datagrid>
      </ReferenceManyField>
    </SimpleShowLayout>
  );
}

export function UserShow() {
  return (
    <Show actions={<UserActions />}>
      <SimpleShowLayout>
        <TextField source="id" label="ID" />
        <EmailField source="email" label="Email" />
        <TextField source="displayName" label="Name" />
        <SelectField source="role" label="Role" choices={roleChoices} />
        <SelectField source="kycStatus" label="KYC status" choices={kycStatusChoices} />
        <DateField
          source="kycReviewedAt"
          label="KYC reviewed"
          showTime
          options={utcDateTime}
          emptyText="never"
        />
        <TextField source="homeCity" label="Home city" emptyText="—" />
        {/* react-admin first renders the list's cached row, which lacks destinationCities. */}
        <FunctionField<UserRecord>
          label="Destination cities"
          render={(user) => user.destinationCities?.join(', ') || '—'}
        />
        <DateField source="createdAt" label="Signed up" showTime options={utcDateTime} />
        <NumberField source="_count.tickets" label="Tickets uploaded" />
        <NumberField source="_count.devices" label="Devices" />
        <NumberField source="_count.disputesOpened" label="Disputes opened" />
        <ReferenceManyField
          label="Tickets"
          reference="tickets"
          target="ownerId"
          sort={{ field: 'createdAt', order: 'DESC' }}
          perPage={10}
        >
          <Datagrid bulkActionButtons={false} rowClick="show">
            <FunctionField<TicketListRecord>
              label="Event"
              render={(ticket) => ticket.event?.name ?? 'Not matched to an event'}
            />
            <TextField source="state" label="State" />
            <CreditsField source="valueMinor" label="Value" />
            <FunctionField<TicketListRecord>
              label="ID"
              render={(ticket) => shortId(ticket.id)}
            />
          </Datagrid>
        </ReferenceManyField>
      </SimpleShowLayout>
      <TraderDebts />
      <TraderFraudCases />
      <UserAuditTrail />
    </Show>
  );
}
