import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router-dom';

import '@ts/ui/styles.css';

import { router } from './routes.tsx';
import { createTrpcClient, trpc } from './trpc.ts';

function App() {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            // Errors such as "not found" or "log in first" do not heal by asking again.
            retry: (failureCount, error) =>
              failureCount < 2 && !('data' in error && error.data),
            refetchOnWindowFocus: true,
          },
        },
      }),
  );
  const [trpcClient] = useState(createTrpcClient);

  return (
    <trpc.Provider client={trpcClient} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </trpc.Provider>
  );
}

const root = document.getElementById('root');
if (!root) {
  throw new Error('The page has no #root element to render into.');
}
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
