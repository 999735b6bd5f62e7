import { UserList } from './UserList.tsx';
import { UserShow } from './UserShow.tsx';

export const users = {
  list: UserList,
  show: UserShow,
  recordRepresentation: 'email',
};
