import { httpBatchLink } from '@trpc/client';
import { createTRPCReact } from '@trpc/react-query';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import superjson from 'superjson';

// Type-only import: the router's code stays on the server and never enters the bundle.
import type { AppRouter } from '@ts/domain/router';

export const trpc = createTRPCReact<AppRouter>();

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;

export type Me = NonNullable<RouterOutputs['auth']['me']>;
export type MyTicket = RouterOutputs['tickets']['mine'][number];
export type MarketTicket = RouterOutputs['market']['browse']['items'][number];
export type EventOption = RouterOutputs['market']['events'][number];
export type Want = RouterOutputs['wants']['list'][number];
export type Proposal = RouterOutputs['proposals']['mine'][number];
export type Trade = RouterOutputs['trades']['get'];
export type Category = NonNullable<RouterInputs['market']['browse']['category']>;

export const categories: readonly Category[] = [
  'SPORTS',
  'CONCERT',
  'THEATRE',
  'FESTIVAL',
  'OTHER',
];

/** Creates the tRPC client. The session travels as an HTTP-only cookie on the same origin. */
export function createTrpcClient() {
  return trpc.createClient({
    links: [
      httpBatchLink({
        url: '/trpc',
        transformer: superjson,
        fetch: (url, options) => fetch(url, { ...options, credentials: 'include' }),
      }),
    ],
  });
}
