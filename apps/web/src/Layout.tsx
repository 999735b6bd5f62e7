import { useEffect, useRef, useState } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';

import { StateBadge } from '@ts/ui';

import { NotificationBell } from './components/NotificationBell.tsx';
import { endPushSubscription } from './push.ts';
import { useMe, useSessionChange } from './session.tsx';
import { trpc } from './trpc.ts';

const traderLinks = [
  { to: '/market', label: 'Marketplace' },
  { to: '/tickets', label: 'My tickets' },
  { to: '/wants', label: 'What I want' },
  { to: '/proposals', label: 'Proposals' },
  { to: '/trades', label: 'Trades' },
  { to: '/payments', label: 'Payments' },
];

const visitorLinks = [
  { to: '/market', label: 'Marketplace' },
  { to: '/login', label: 'Log in' },
  { to: '/signup', label: 'Sign up' },
];

/** The page frame: skip link, header with navigation and account, and the main landmark. */
export function Layout() {
  const me = useMe();
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // Moves focus to the new page after client-side navigation, as a full page load would.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;

      return;
    }
    mainRef.current?.focus();
  }, [location.pathname]);

  const links = me.data ? traderLinks : visitorLinks;

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <Link className="site-header__brand" to="/">
            Ticket Swap
          </Link>
          <nav className="site-nav" aria-label="Main">
            <ul>
              {links.map((link) => (
                <li key={link.to}>
                  <NavLink to={link.to} end={link.to === '/tickets'}>
                    {link.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          {me.data?.role === 'TRADER' ? <NotificationBell /> : null}
          {me.data ? <AccountMenu name={me.data.displayName} kyc={me.data.kycStatus} /> : null}
        </div>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="page">
        <Outlet />
      </main>
    </>
  );
}

function AccountMenu({ name, kyc }: { name: string; kyc: string }) {
  const changeSession = useSessionChange();
  const navigate = useNavigate();
  const utils = trpc.useUtils();
  const [endingPush, setEndingPush] = useState(false);
  const logOut = trpc.auth.logOut.useMutation({
    // React Query pauses mutations while the browser is offline. This one runs at once, so
    // a log-out without network fails fast and still reaches onSettled.
    networkMode: 'always',
    // Even if the request fails the user asked to leave, so the page drops the account data.
    onSettled: () => {
      changeSession(null);
      void navigate('/login');
    },
  });

  async function signOut() {
    setEndingPush(true);
    // Runs before the log-out, while the session cookie still authorizes the server call.
    await endPushSubscription((endpoint, signal) =>
      utils.client.notifications.unsubscribePush.mutate({ endpoint }, { signal }));
    setEndingPush(false);
    logOut.mutate();
  }

  return (
    <div className="site-header__account">
      <span>
        <span className="visually-hidden">Logged in as </span>
        <strong>{name}</strong>
      </span>
      <StateBadge state={kyc} prefix="KYC" />
      <button
        type="button"
        className="button button--secondary"
        onClick={() => void signOut()}
        disabled={endingPush || logOut.isPending}
      >
        Log out
      </button>
    </div>
  );
}
