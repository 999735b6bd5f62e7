// Service worker for Web Push. It shows each push message as a notification and opens the
// page the message names when the notification is clicked. It has no fetch handler, so it
// never caches or changes page requests.

const fallbackTitle = 'Ticket Swap';

self.addEventListener('install', () => {
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

/** Returns a same-origin URL for a path from a message, or the home page for anything else. */
function pageUrl(path) {
  const home = new URL('/', self.location.origin);
  if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//')) {
    return home.href;
  }
  const url = new URL(path, self.location.origin);

  return url.origin === self.location.origin ? url.href : home.href;
}

function readMessage(data) {
  try {
    const message = data ? data.json() : {};

    return message && typeof message === 'object' ? message : {};
  } catch {
    return {};
  }
}

self.addEventListener('push', (event) => {
  const message = readMessage(event.data);
  const title = typeof message.title === 'string' && message.title ? message.title : fallbackTitle;
  const options = {
    body: typeof message.body === 'string' ? message.body : '',
    data: { url: pageUrl(message.url) },
  };
  // The server sends the notification id as the tag, so a repeated delivery replaces the
  // notice shown before instead of adding a second one.
  if (typeof message.tag === 'string' && message.tag) {
    options.tag = message.tag;
  }

  event.waitUntil(self.registration.showNotification(title, options));
});

async function openPage(url) {
  const [client] = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  if (client) {
    const focused = await client.focus();
    try {
      // navigate() works only on pages this worker controls; a new window is the fallback.
      await focused.navigate(url);

      return;
    } catch {
      // Falls through to a new window.
    }
  }

  await self.clients.openWindow(url);
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = pageUrl(event.notification.data && event.notification.data.url);

  event.waitUntil(openPage(url));
});

// The browser replaced the subscription, for example after the push service expired it.
// The new one is sent to the server with the session cookie. When no user is logged in the
// call fails, and the old subscription is removed once the push service returns 410 for it.
self.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil((async () => {
    const options = event.oldSubscription && event.oldSubscription.options;
    const subscription = event.newSubscription ??
      (options ? await self.registration.pushManager.subscribe(options) : null);
    if (!subscription) {
      return;
    }
    const { endpoint, keys } = subscription.toJSON();
    // tRPC with superjson reads a single call's input from the body's "json" field.
    await fetch('/trpc/notifications.subscribePush', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { endpoint, keys } }),
    });
  })());
});
