import { TicketList } from './TicketList.tsx';
import { TicketShow } from './TicketShow.tsx';

export const tickets = {
  list: TicketList,
  show: TicketShow,
};
