import {
  Datagrid,
  DateField,
  EmailField,
  List,
  SearchInput,
  SelectField,
  SelectInput,
  TextField,
} from 'react-admin';

import { utcDateTime } from '../fields/dates.ts';
import { kycStatusChoices, roleChoices } from './choices.ts';

// The server matches `q` against email and display name. The other keys must match exactly.
const userFilters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Email or name" />,
  <SelectInput key="kycStatus" source="kycStatus" label="KYC status" choices={kycStatusChoices} />,
  <SelectInput key="role" source="role" label="Role" choices={roleChoices} />,
];

export function UserList() {
  return (
    <List
      filters={userFilters}
      sort={{ field: 'createdAt', order: 'DESC' }}
      perPage={25}
      exporter={false}
    >
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <EmailField source="email" label="Email" />
        <TextField source="displayName" label="Name" sortable={false} />
        <SelectField source="role" label="Role" choices={roleChoices} sortable={false} />
        <SelectField source="kycStatus" label="KYC status" choices={kycStatusChoices} />
        <DateField source="createdAt" label="Signed up" showTime options={utcDateTime} />
      </Datagrid>
    </List>
  );
}
