import { TradeList } from './TradeList.tsx';
import { TradeShow } from './TradeShow.tsx';

export const trades = {
  list: TradeList,
  show: TradeShow,
};
