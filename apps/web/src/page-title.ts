import { useEffect } from 'react';

/** Sets the browser tab title, which screen readers announce after navigation. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Ticket Swap`;
  }, [title]);
}
