import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import superjson from 'superjson';

import type { ErrorCode } from '@ts/domain/errors';
import type { AppRouter } from '@ts/domain/router';

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** The signed-in account as `auth.me` returns it. */
export type StaffUser = NonNullable<RouterOutputs['auth']['me']>;
export type Role = StaffUser['role'];

/**
 * The API client. `auth.logIn` stores the session in an HTTP-only cookie, so every request
 * includes cookies and the console's JavaScript cannot read the session token.
 */
export const trpc = createTRPCClient<AppRouter>({
  links: [
    httpBatchLink({
      url: '/trpc',
      transformer: superjson,
      fetch: (url, options) => fetch(url, { ...options, credentials: 'include' }),
    }),
  ],
});

/** Returns the domain error code the API attached to a failed call, if there is one. */
export function appCodeOf(error: unknown): ErrorCode | undefined {
  if (error instanceof TRPCClientError) {
    const data: unknown = error.data;
    if (typeof data === 'object' && data !== null && 'appCode' in data) {
      return data.appCode as ErrorCode;
    }
  }

  return undefined;
}
