import { Navigate, createBrowserRouter } from 'react-router-dom';

import { StatusMessage } from '@ts/ui';

import { Layout } from './Layout.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { MarketPage } from './pages/MarketPage.tsx';
import { NotFoundPage, RouteErrorPage } from './pages/NotFoundPage.tsx';
import { PaymentsPage } from './pages/PaymentsPage.tsx';
import { ProposalsPage } from './pages/ProposalsPage.tsx';
import { SignupPage } from './pages/SignupPage.tsx';
import { TicketReviewPage } from './pages/TicketReviewPage.tsx';
import { TicketsPage } from './pages/TicketsPage.tsx';
import { TicketValuePage } from './pages/TicketValuePage.tsx';
import { TradeDetailPage } from './pages/TradeDetailPage.tsx';
import { TradesPage } from './pages/TradesPage.tsx';
import { UploadTicketPage } from './pages/UploadTicketPage.tsx';
import { WantsPage } from './pages/WantsPage.tsx';
import { RequireTrader, useMe } from './session.tsx';

/** Sends traders to their tickets and visitors to the marketplace. */
function StartPage() {
  const me = useMe();
  if (me.isPending) {
    return <StatusMessage>Loading…</StatusMessage>;
  }

  return <Navigate to={me.data ? '/tickets' : '/market'} replace />;
}

export const router = createBrowserRouter([
  {
    element: <Layout />,
    errorElement: <RouteErrorPage />,
    children: [
      { index: true, element: <StartPage /> },
      { path: 'login', element: <LoginPage /> },
      { path: 'signup', element: <SignupPage /> },
      { path: 'market', element: <MarketPage /> },
      {
        element: <RequireTrader />,
        children: [
          { path: 'tickets', element: <TicketsPage /> },
          { path: 'tickets/new', element: <UploadTicketPage /> },
          { path: 'tickets/:id/value', element: <TicketValuePage /> },
          { path: 'tickets/:id/review', element: <TicketReviewPage /> },
          { path: 'wants', element: <WantsPage /> },
          { path: 'proposals', element: <ProposalsPage /> },
          { path: 'trades', element: <TradesPage /> },
          { path: 'trades/:id', element: <TradeDetailPage /> },
          { path: 'payments', element: <PaymentsPage /> },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
