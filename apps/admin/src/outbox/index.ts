import { ParkedEventList } from './ParkedEventList.tsx';

export const parkedEvents = {
  list: ParkedEventList,
  options: { label: 'Parked events' },
};
