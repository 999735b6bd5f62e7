import type { UserListRecord } from '../dataProvider.ts';

type KycStatus = UserListRecord['kycStatus'];
type Role = UserListRecord['role'];

export const kycStatusChoices: { id: KycStatus; name: string }[] = [
  { id: 'NONE', name: 'None' },
  { id: 'PENDING', name: 'Pending' },
  { id: 'VERIFIED', name: 'Verified' },
  { id: 'REJECTED', name: 'Rejected' },
];

export const roleChoices: { id: Role; name: string }[] = [
  { id: 'TRADER', name: 'Trader' },
  { id: 'COMPLIANCE', name: 'Compliance' },
  { id: 'SUPPORT', name: 'Support' },
  { id: 'ADMIN', name: 'Admin' },
];
