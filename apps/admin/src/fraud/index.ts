import { FraudCaseList } from './FraudCaseList.tsx';
import { FraudCaseShow } from './FraudCaseShow.tsx';

export const fraudCases = {
  list: FraudCaseList,
  show: FraudCaseShow,
  options: { label: 'Fraud cases' },
};
