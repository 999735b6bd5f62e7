import { AuditList } from './AuditList.tsx';

export const audit = {
  list: AuditList,
  options: { label: 'Audit log' },
};
