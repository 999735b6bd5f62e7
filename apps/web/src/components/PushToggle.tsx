import { useEffect, useId, useState } from 'react';

import { describeError } from '../errors.ts';
import {
  currentPushSubscription,
  PushPermissionError,
  pushSupport,
  subscribeThisBrowser,
  subscriptionInput,
} from '../push.ts';
import { trpc } from '../trpc.ts';

type BrowserState = 'checking' | 'on' | 'off';

function failureMessage(error: unknown): string {
  if (error instanceof PushPermissionError) {
    return error.message;
  }
  if (error instanceof DOMException) {
    return 'The browser could not subscribe to push messages. Try again later.';
  }

  return describeError(error).message;
}

/**
 * Renders the control that turns push notifications on or off for this browser. Turning on
 * requests the browser's permission, subscribes with the server's key and saves the
 * subscription; turning off removes it on both sides. The state line is a live region, so a
 * screen reader announces each change.
 */
export function PushToggle() {
  const headingId = useId();
  const statusId = useId();
  const support = pushSupport();
  const utils = trpc.useUtils();
  const config = trpc.notifications.pushConfig.useQuery(undefined, { staleTime: 5 * 60_000 });
  const subscribe = trpc.notifications.subscribePush.useMutation();
  const unsubscribe = trpc.notifications.unsubscribePush.useMutation();
  const [browserState, setBrowserState] = useState<BrowserState>('checking');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (support !== 'supported') {
      return;
    }
    let cancelled = false;
    currentPushSubscription().then(
      (subscription) => !cancelled && setBrowserState(subscription ? 'on' : 'off'),
      () => !cancelled && setBrowserState('off'),
    );

    return () => {
      cancelled = true;
    };
  }, [support]);

  const publicKey = config.data?.publicKey;

  async function turnOn() {
    if (!publicKey) {
      return;
    }
    setBusy(true);
    setError(null);
    let subscription: PushSubscription | null = null;
    try {
      subscription = await subscribeThisBrowser(publicKey);
      await subscribe.mutateAsync(subscriptionInput(subscription));
      setBrowserState('on');
    } catch (failure) {
      // A subscription the server did not save would never get messages, so it is dropped.
      await subscription?.unsubscribe().catch(() => undefined);
      setBrowserState('off');
      setError(failureMessage(failure));
    } finally {
      setBusy(false);
      void utils.notifications.pushConfig.invalidate();
    }
  }

  async function turnOff() {
    setBusy(true);
    setError(null);
    try {
      const subscription = await currentPushSubscription();
      if (subscription) {
        // When the server call fails, the push service returns 410 for the dropped browser
        // subscription on the next message, and the server deletes its copy then.
        await unsubscribe.mutateAsync({ endpoint: subscription.endpoint }).catch(() => undefined);
        await subscription.unsubscribe();
      }
      setBrowserState('off');
    } catch (failure) {
      setError(failureMessage(failure));
    } finally {
      setBusy(false);
      void utils.notifications.pushConfig.invalidate();
    }
  }

  let status: string;
  if (support === 'unsupported') {
    status = 'This browser cannot show push notifications.';
  } else if (support === 'insecure') {
    status = 'Push notifications need the site to be opened over HTTPS.';
  } else if (config.isPending || browserState === 'checking') {
    status = 'Checking push notifications…';
  } else if (config.isError) {
    status = 'Push notification settings could not be loaded.';
  } else if (!publicKey) {
    status = 'Push notifications are not available on this server.';
  } else if (browserState === 'on') {
    status = 'Push notifications are on in this browser.';
  } else if (Notification.permission === 'denied') {
    status = 'Notifications are blocked for this site in the browser\'s settings.';
  } else {
    status = 'Push notifications are off in this browser.';
  }
  const canToggle = support === 'supported' && Boolean(publicKey) && browserState !== 'checking';

  return (
    <section aria-labelledby={headingId} style={{ marginTop: '0.75rem' }}>
      <h3 id={headingId} style={{ fontSize: '0.95rem', margin: '0 0 0.25rem' }}>
        Push notifications
      </h3>
      <p id={statusId} role="status" aria-live="polite" style={{ margin: '0 0 0.5rem' }}>
        {status}
      </p>
      {canToggle ? (
        <button
          type="button"
          className="button button--secondary"
          aria-describedby={statusId}
          // aria-disabled instead of disabled keeps keyboard focus on the button while busy.
          aria-disabled={busy}
          onClick={() => {
            if (!busy) {
              void (browserState === 'on' ? turnOff() : turnOn());
            }
          }}
        >
          {browserState === 'on' ? 'Turn off push notifications' : 'Turn on push notifications'}
        </button>
      ) : null}
      {error ? <p role="alert" style={{ margin: '0.5rem 0 0' }}>{error}</p> : null}
    </section>
  );
}
