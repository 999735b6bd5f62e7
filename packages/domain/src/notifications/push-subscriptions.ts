import type { OperationOptions, Services } from '../context.ts';
import { DomainError } from '../errors.ts';
import { decodeBase64url, isP256PublicKey, type PushSender } from './push.ts';

/** Browsers one user may subscribe; a new subscription beyond this drops the oldest. */
export const maxPushSubscriptionsPerUser = 10;

export interface PushSubscriptionInput {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

function pushSender(services: Services): PushSender {
  if (!services.push) {
    throw new DomainError('CONFLICT', 'Push notifications are turned off on this server.');
  }

  return services.push;
}

/**
 * Parses a subscription endpoint. The server posts to this URL, so besides requiring https it
 * accepts only hosts of known push services, which keeps a trader from aiming the server's
 * requests at an internal address.
 */
function parseEndpoint(raw: string, sender: PushSender): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DomainError('INVALID_INPUT', 'The push endpoint must be an https URL.');
  }
  if (url.protocol !== 'https:') {
    throw new DomainError(
      'INVALID_INPUT',
      `The push endpoint must be an https URL, not ${url.protocol.replace(':', '')}.`,
    );
  }
  if (url.username || url.password || url.port) {
    throw new DomainError(
      'INVALID_INPUT',
      'The push endpoint must not contain a user name, password or port.',
    );
  }
  if (!sender.acceptsHost(url.hostname)) {
    throw new DomainError(
      'INVALID_INPUT',
      `The push endpoint host ${url.hostname} is not a supported push service.`,
    );
  }

  return url;
}

/** Checks the subscription's keys as RFC 8291 defines them and returns them unpadded. */
function parseKeys(keys: PushSubscriptionInput['keys']) {
  const p256dh = decodeBase64url(keys.p256dh);
  if (!p256dh || !isP256PublicKey(p256dh)) {
    throw new DomainError(
      'INVALID_INPUT',
      'Invalid keys.p256dh: expected an uncompressed P-256 public key, 65 bytes in base64url.',
    );
  }
  const auth = decodeBase64url(keys.auth);
  if (!auth || auth.length !== 16) {
    throw new DomainError(
      'INVALID_INPUT',
      'Invalid keys.auth: expected a 16-byte authentication secret in base64url.',
    );
  }

  return { p256dh: p256dh.toString('base64url'), auth: auth.toString('base64url') };
}

/**
 * Returns the key browsers subscribe with and the caller's subscription count, or null when
 * push is off.
 */
export async function getPushConfig({ services, actor }: OperationOptions) {
  if (!services.push) {
    return null;
  }
  const subscriptions = await services.prisma.pushSubscription.count({
    where: { userId: actor.userId },
  });

  return { publicKey: services.push.publicKey, subscriptions };
}

/**
 * Saves the caller's browser subscription. Subscribing again from the same browser replaces
 * its keys and counts as the newest subscription.
 *
 * An endpoint saved for another user moves to the caller. Only the browser that subscribed
 * learns its endpoint, so a second user presenting it is on that browser after the first one
 * left, and the first user's notices must stop showing there. Someone who learned the URL
 * elsewhere can only stop the first user's push messages: the keys sent here replace the
 * browser's, so the browser cannot decrypt what the caller's account receives.
 */
export async function subscribeToPush(
  { services, actor, meta }: OperationOptions,
  input: PushSubscriptionInput,
) {
  const sender = pushSender(services);
  const url = parseEndpoint(input.endpoint, sender);
  const keys = parseKeys(input.keys);
  const now = services.now();

  const result = await services.prisma.$transaction(async (tx) => {
    // Serializes one user's subscribe calls, so two at once cannot both skip the cap.
    const lockKey = `push:${actor.userId}`;
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${lockKey}, 0))`;
    const previous = await tx.pushSubscription.findUnique({
      where: { endpoint: url.href },
      select: { userId: true },
    });
    const saved = await tx.pushSubscription.upsert({
      where: { endpoint: url.href },
      create: { userId: actor.userId, endpoint: url.href, ...keys, createdAt: now },
      update: { userId: actor.userId, ...keys, createdAt: now },
      select: { id: true },
    });
    const beyondCap = await tx.pushSubscription.findMany({
      where: { userId: actor.userId },
      select: { id: true },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: maxPushSubscriptionsPerUser,
    });
    if (beyondCap.length > 0) {
      await tx.pushSubscription.deleteMany({ where: { id: { in: beyondCap.map((s) => s.id) } } });
    }

    return {
      subscriptionId: saved.id,
      movedFromUserId: previous && previous.userId !== actor.userId ? previous.userId : null,
      dropped: beyondCap.length,
    };
  });

  services.logger.info(
    {
      requestId: meta.requestId,
      userId: actor.userId,
      subscriptionId: result.subscriptionId,
      pushService: url.origin,
      movedFromUserId: result.movedFromUserId,
      dropped: result.dropped,
    },
    result.movedFromUserId ? 'push subscription moved to another user' : 'push subscription saved',
  );

  return { subscriptionId: result.subscriptionId };
}

/**
 * Removes the caller's subscription with this endpoint. Returns `removed: false` when the caller
 * has none, whether the endpoint is unknown or saved for someone else, so the result does not
 * reveal other users' subscriptions.
 */
export async function unsubscribeFromPush(
  { services, actor, meta }: OperationOptions,
  input: { endpoint: string },
) {
  // Saved endpoints are in the URL parser's normal form, so the input is compared in it too.
  const endpoint = URL.canParse(input.endpoint) ? new URL(input.endpoint).href : input.endpoint;
  const removed = await services.prisma.pushSubscription.deleteMany({
    where: { endpoint, userId: actor.userId },
  });
  services.logger.info(
    { requestId: meta.requestId, userId: actor.userId, removed: removed.count },
    'push subscription removed',
  );

  return { removed: removed.count > 0 };
}
