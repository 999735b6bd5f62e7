import {
  ArrayField,
  Datagrid,
  DateField,
  FunctionField,
  NumberField,
  SelectField,
  Show,
  SimpleShowLayout,
  TextField,
  TopToolbar,
} from 'react-admin';

import { CreditsField, MinorUnitsField } from '../fields/CreditsField.tsx';
import { utcDateTime } from '../fields/dates.ts';
import {
  ConfidenceField,
  EventField,
  OwnerField,
  SeatField,
  ticketStateChoices,
} from './fields.tsx';
import { ManualReviewButton } from './ManualReviewButton.tsx';

export function TicketShow() {
  return (
    <Show
      actions={
        <TopToolbar>
          <ManualReviewButton />
        </TopToolbar>
      }
    >
      <SimpleShowLayout>
        <TextField source="id" label="ID" />
        <EventField label="Event" />
        <SeatField label="Seat" />
        <OwnerField label="Owner" />
        <SelectField source="state" label="State" choices={ticketStateChoices} />
        <CreditsField source="valueMinor" label="Value" />
        <ConfidenceField label="Confidence" />
        <MinorUnitsField source="faceValueMinor" label="Face value" />
        <TextField source="barcodeFormat" label="Barcode format" />
        <TextField source="mimeType" label="File type" />
        <TextField source="intakeStatus" label="Intake" />
        <TextField source="intakeError" label="Intake note" emptyText="—" />
        <FunctionField
          label="File"
          render={(ticket: { id: string }) => (
            <a href={`/api/tickets/${ticket.id}/file`} target="_blank" rel="noreferrer">
              Open the ticket file
            </a>
          )}
        />
        <DateField source="createdAt" label="Uploaded" showTime options={utcDateTime} />
        <DateField
          source="listedAt"
          label="Listed"
          showTime
          options={utcDateTime}
          emptyText="not listed"
        />
        <ArrayField source="valuations" label="Valuations, newest first">
          <Datagrid bulkActionButtons={false} rowClick={false}>
            <DateField source="createdAt" label="At" showTime options={utcDateTime} />
            <TextField source="method" label="Method" />
            <TextField source="modelVersion" label="Model version" />
            <CreditsField source="valueMinor" label="Value" />
            <NumberField
              source="confidence"
              label="Confidence"
              options={{ style: 'percent', maximumFractionDigits: 0 }}
            />
          </Datagrid>
        </ArrayField>
      </SimpleShowLayout>
    </Show>
  );
}
