import { DebtList } from './DebtList.tsx';
import { DebtShow } from './DebtShow.tsx';

export const debts = {
  list: DebtList,
  show: DebtShow,
  options: { label: 'Trader debts' },
};
