import type { ReactNode } from 'react';

interface AlertProps {
  tone: 'error' | 'warning' | 'success' | 'info';
  title?: string;
  children: ReactNode;
}

/**
 * Renders a message box. Errors use role "alert", so screen readers announce them at once.
 * The other tones use role "status", which is announced politely. Render it only when there is a message,
 * because an alert is announced when it is inserted.
 */
export function Alert({ tone, title, children }: AlertProps) {
  return (
    <div className={`alert alert--${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {title ? <p className="alert__title">{title}</p> : null}
      <div className="alert__body">{children}</div>
    </div>
  );
}

/**
 * Renders a live region that stays in the page and announces each change of its text, for progress
 * such as "Loading tickets" or "Showing 24 tickets".
 */
export function StatusMessage({ children, hidden = false }: {
  children?: ReactNode;
  /** Keeps the message for screen readers only. */
  hidden?: boolean;
}) {
  return (
    <p className={hidden ? 'visually-hidden' : 'status-message'} role="status" aria-live="polite">
      {children}
    </p>
  );
}
