import { useEffect, useId, useRef, useState, type CSSProperties } from 'react';
import { Link } from 'react-router-dom';

import { trpc } from '../trpc.ts';
import { PushToggle } from './PushToggle.tsx';

// These styles only place the panel, because colours and type come from the shared stylesheet.
const wrapperStyle: CSSProperties = { position: 'relative' };
const panelStyle: CSSProperties = {
  position: 'absolute',
  right: 0,
  top: 'calc(100% + 0.5rem)',
  zIndex: 20,
  width: 'min(22rem, 90vw)',
  maxHeight: '70vh',
  overflowY: 'auto',
  padding: '0.75rem',
  background: 'Canvas',
  color: 'CanvasText',
  border: '1px solid currentColor',
  borderRadius: '0.5rem',
  boxShadow: '0 0.5rem 1.5rem rgb(0 0 0 / 0.2)',
};
const listStyle: CSSProperties = { listStyle: 'none', margin: '0.5rem 0', padding: 0 };
const itemStyle: CSSProperties = { padding: '0.5rem 0', borderTop: '1px solid rgb(0 0 0 / 0.15)' };

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * Renders the header's notification button with the unread count. It opens a panel with the
 * latest ten in-app notifications, a button that marks them all as read and the push
 * notification switch. Escape or a click outside closes the panel, and Escape returns focus to
 * the button.
 */
export function NotificationBell() {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const headingId = useId();
  const wrapperRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const utils = trpc.useUtils();
  // Polling keeps the count current without a push channel to the browser.
  const notices = trpc.notifications.mine.useQuery({ limit: 10 }, { refetchInterval: 30_000 });
  const markRead = trpc.notifications.markRead.useMutation({
    onSuccess: () => utils.notifications.mine.invalidate(),
  });

  useEffect(() => {
    if (!open) {
      return;
    }
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    const onPointer = (event: PointerEvent) => {
      if (!wrapperRef.current?.contains(event.target as Node)) {
        setOpen(false);
      }
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);

    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  const unread = notices.data?.unread ?? 0;
  const items = notices.data?.items ?? [];
  const label = unread === 1 ? 'Notifications, 1 unread' : `Notifications, ${unread} unread`;

  return (
    <div ref={wrapperRef} style={wrapperStyle}>
      <button
        ref={buttonRef}
        type="button"
        className="button button--secondary"
        aria-label={label}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((value) => !value)}
      >
        <span aria-hidden="true" className="bell">
          <svg width="16" height="16" viewBox="0 0 16 16" focusable="false">
            <path
              d="M8 1.5a4 4 0 0 0-4 4v2.8L2.5 11h11L12 8.3V5.5a4 4 0 0 0-4-4zM6.3 12.5a1.8 1.8 0 0 0 3.4 0z"
              fill="currentColor"
            />
          </svg>{' '}
          {unread > 0 ? unread : ''}
        </span>
      </button>
      {open ? (
        <section id={panelId} aria-labelledby={headingId} style={panelStyle}>
          <h2 id={headingId} style={{ fontSize: '1rem', margin: 0 }}>
            Notifications
          </h2>
          {notices.isError ? <p role="alert">The notifications could not be loaded.</p> : null}
          {items.length === 0 && !notices.isPending ? <p>Nothing new.</p> : null}
          <ul style={listStyle}>
            {items.map((item) => (
              <li key={item.id} style={itemStyle}>
                {item.link ? (
                  <Link to={item.link} onClick={() => setOpen(false)}>
                    {item.readAt ? item.title : <strong>{item.title}</strong>}
                  </Link>
                ) : (
                  <span>{item.readAt ? item.title : <strong>{item.title}</strong>}</span>
                )}
                {item.readAt ? null : <span className="visually-hidden"> (unread)</span>}
                <p style={{ margin: '0.25rem 0' }}>{item.body}</p>
                <time dateTime={item.createdAt.toISOString()} style={{ fontSize: '0.85rem' }}>
                  {timeFormat.format(item.createdAt)}
                </time>
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => markRead.mutate({})}
            disabled={unread === 0 || markRead.isPending}
          >
            Mark all as read
          </button>
          <PushToggle />
        </section>
      ) : null}
    </div>
  );
}
