import { Link, isRouteErrorResponse, useRouteError } from 'react-router-dom';

import { usePageTitle } from '../page-title.ts';

export function NotFoundPage() {
  usePageTitle('Page not found');

  return (
    <>
      <h1>Page not found</h1>
      <p>
        There is no page at this address. Go to the <Link to="/market">marketplace</Link>.
      </p>
    </>
  );
}

/** Shown in place of the whole app when rendering a route throws. */
export function RouteErrorPage() {
  const error = useRouteError();
  const detail = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : null;

  return (
    <main id="main" className="page">
      <h1>Something went wrong</h1>
      <p role="alert">
        This page failed to load{detail ? ` (${detail})` : ''}. Reload to try again.
      </p>
      <p>
        <a href="/">Back to the start page</a>
      </p>
    </main>
  );
}
