import { Admin, Resource } from 'react-admin';

import { audit } from './audit/index.ts';
import { authProvider } from './authProvider.ts';
import { dataProvider } from './dataProvider.ts';
import { debts } from './debts/index.ts';
import { disputes } from './disputes/index.ts';
import { fraudCases } from './fraud/index.ts';
import { LoginPage } from './LoginPage.tsx';
import { parkedEvents } from './outbox/index.ts';
import { tickets } from './tickets/index.ts';
import { trades } from './trades/index.ts';
import { transferReviews } from './transfers/index.ts';
import { users } from './users/index.ts';

/**
 * Renders the staff console. react-admin's default router is a hash router, so every route is
 * after the "#" (/admin/#/users/<id>/show) and a deep link works wherever the server returns
 * index.html. `authProvider.canAccess` hides the audit log, the transfer review queue, the
 * fraud cases and the parked outbox events from roles that may not read them.
 */
export function App() {
  return (
    <Admin
      title="Ticket Swap staff console"
      dataProvider={dataProvider}
      authProvider={authProvider}
      loginPage={LoginPage}
      requireAuth
      disableTelemetry
    >
      <Resource name="users" {...users} />
      <Resource name="tickets" {...tickets} />
      <Resource name="trades" {...trades} />
      <Resource name="disputes" {...disputes} />
      <Resource name="transferReviews" {...transferReviews} />
      <Resource name="fraudCases" {...fraudCases} />
      <Resource name="debts" {...debts} />
      <Resource name="audit" {...audit} />
      <Resource name="parkedEvents" {...parkedEvents} />
    </Admin>
  );
}
