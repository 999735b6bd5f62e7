// Browser side of Web Push: the service worker at /sw.js and this browser's push subscription.

const serviceWorkerUrl = '/sw.js';

export type PushSupport = 'supported' | 'unsupported' | 'insecure';

/** Returns whether this browser and page can subscribe to push messages at all. */
export function pushSupport(): PushSupport {
  const hasApis =
    'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
  if (!hasApis) {
    return 'unsupported';
  }

  return window.isSecureContext ? 'supported' : 'insecure';
}

/** Returns this browser's push subscription for the site, or null when it has none. */
export async function currentPushSubscription(): Promise<PushSubscription | null> {
  const registration = await navigator.serviceWorker.getRegistration('/');

  return registration ? registration.pushManager.getSubscription() : null;
}

/** Thrown when the person did not allow notifications in the browser's permission prompt. */
export class PushPermissionError extends Error {
  constructor(readonly permission: NotificationPermission) {
    super(
      permission === 'denied'
        ? 'Notifications are blocked for this site. Allow them in the browser\'s site settings.'
        : 'Notifications were not allowed, so push stays off.',
    );
    this.name = 'PushPermissionError';
  }
}

function base64urlToBytes(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));

  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

function sameKey(current: ArrayBuffer | null, expected: Uint8Array): boolean {
  if (!current || current.byteLength !== expected.length) {
    return false;
  }
  const bytes = new Uint8Array(current);

  return bytes.every((byte, index) => byte === expected[index]);
}

/**
 * Asks for permission, registers the service worker and subscribes with the server's VAPID
 * public key. Call it from a click, because browsers show the permission prompt only then.
 * A subscription made with another key, from before a key change, is replaced.
 */
export async function subscribeThisBrowser(publicKey: string): Promise<PushSubscription> {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') {
    throw new PushPermissionError(permission);
  }

  await navigator.serviceWorker.register(serviceWorkerUrl, { scope: '/' });
  const registration = await navigator.serviceWorker.ready;
  const key = base64urlToBytes(publicKey);
  const existing = await registration.pushManager.getSubscription();
  if (existing && sameKey(existing.options.applicationServerKey, key)) {
    return existing;
  }
  await existing?.unsubscribe();

  return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
}

/** Converts a browser subscription to the input of the `subscribePush` procedure. */
export function subscriptionInput(subscription: PushSubscription) {
  const { keys } = subscription.toJSON();

  return {
    endpoint: subscription.endpoint,
    keys: { p256dh: keys?.p256dh ?? '', auth: keys?.auth ?? '' },
  };
}

/** Resolves after `ms` milliseconds, or when the work settles, whichever comes first. */
async function settleWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([work.then(() => undefined, () => undefined), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Ends this browser's push subscription before a log-out, so the next person at this browser
 * does not get the trader's notifications. The server is asked to delete its copy first, while
 * the session still authorizes the call, and then the browser unsubscribes. It never throws.
 * The server call is aborted after `serverTimeoutMs`, and the caller waits at most `timeoutMs`
 * in all, because a log-out must go ahead offline, on a slow network or where push was never
 * set up.
 */
export async function endPushSubscription(
  deleteOnServer: (endpoint: string, signal: AbortSignal) => Promise<unknown>,
  { serverTimeoutMs = 2000, timeoutMs = 4000 } = {},
): Promise<void> {
  if (pushSupport() !== 'supported') {
    return;
  }

  const work = (async () => {
    const subscription = await currentPushSubscription();
    if (!subscription) {
      return;
    }
    // When the server call fails, the push service returns 410 for the dropped subscription
    // on the next message, and the server deletes its copy then.
    await deleteOnServer(subscription.endpoint, AbortSignal.timeout(serverTimeoutMs))
      .catch(() => undefined);
    await subscription.unsubscribe();
  })();
  await settleWithin(work, timeoutMs);
}
