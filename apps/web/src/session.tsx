import { useQueryClient } from '@tanstack/react-query';
import { getQueryKey } from '@trpc/react-query';
import { useCallback } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router-dom';

import { Alert, StatusMessage } from '@ts/ui';

import { trpc, type Me } from './trpc.ts';

/** Loads the logged-in account, or null. The cookie is HTTP-only, so only the API can tell. */
export function useMe() {
  return trpc.auth.me.useQuery(undefined, { staleTime: 30_000, retry: false });
}

/**
 * Returns a function that records who is logged in after a log-in, sign-up or log-out and
 * drops all other cached query data, so no page shows data from the previous session.
 */
export function useSessionChange(): (user: Me | null) => void {
  const queryClient = useQueryClient();
  const utils = trpc.useUtils();

  return useCallback(
    (user: Me | null) => {
      const meKey = JSON.stringify(getQueryKey(trpc.auth.me)[0]);
      queryClient.removeQueries({
        predicate: (query) => JSON.stringify(query.queryKey[0]) !== meKey,
      });
      utils.auth.me.setData(undefined, user);
    },
    [queryClient, utils],
  );
}

/** Navigation state naming the page to return to after logging in. */
export interface LoginRedirectState {
  from?: string;
}

/** Guards the trader pages: sends visitors to the login page and staff to the admin console. */
export function RequireTrader() {
  const me = useMe();
  const location = useLocation();

  if (me.isPending) {
    return <StatusMessage>Loading your account…</StatusMessage>;
  }
  if (me.isError) {
    return <Alert tone="error">{me.error.message}</Alert>;
  }
  if (!me.data) {
    const state: LoginRedirectState = { from: location.pathname + location.search };

    return <Navigate to="/login" replace state={state} />;
  }
  if (me.data.role !== 'TRADER') {
    return (
      <Alert tone="warning" title="This is a staff account">
        <p>
          Staff accounts do not trade. Use the <a href="/admin/">admin console</a> instead.
        </p>
      </Alert>
    );
  }

  return <Outlet />;
}
