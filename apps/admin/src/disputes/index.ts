import { DisputeList } from './DisputeList.tsx';
import { DisputeShow } from './DisputeShow.tsx';

export const disputes = {
  list: DisputeList,
  show: DisputeShow,
};
