import { ECDH } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import webpush from 'web-push';

/** Payload the service worker shows as a notification. It must contain no personal data. */
export interface PushMessage {
  title: string;
  body: string;
  /** Path in the traders' app that a click on the notification opens. */
  url: string;
  /** The notification id, so a repeated delivery replaces the notice shown before it. */
  tag: string;
}

/** One browser's subscription as `PushSubscription.toJSON()` returns it in the browser. */
export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** Result of posting one message to a push service. */
export type PushOutcome =
  | { kind: 'sent' }
  /** 404 or 410: the subscription no longer exists and is removed. */
  | { kind: 'gone'; status: number }
  /** 429, 5xx, a timeout or a network error: worth another try later. */
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  /** Any other status, such as 400, 403 or 413, because another try would fail the same way. */
  | { kind: 'rejected'; reason: string };

/** Sends Web Push messages. Services without one have push notifications turned off. */
export interface PushSender {
  readonly name: string;
  /** The VAPID public key, base64url, that browsers pass as `applicationServerKey`. */
  readonly publicKey: string;
  /** Returns true when the endpoint's host is a push service this sender may post to. */
  acceptsHost(hostname: string): boolean;
  send(target: PushTarget, message: PushMessage): Promise<PushOutcome>;
}

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

export interface VapidConfig extends VapidKeys {
  /** A `mailto:` or `https:` contact the push service can reach the sender at. */
  subject: string;
}

/**
 * Hosts of the push services that current browsers subscribe through, matched with their
 * subdomains: Chrome and other Chromium browsers use FCM, Firefox uses Mozilla's autopush,
 * Safari uses Apple's service and Edge on Windows uses WNS (`wns2-*.notify.windows.com`).
 * NOTE: taken from the endpoints these browsers produced up to 2025; a browser that moves to
 * another host is rejected until the host is added through the sender's `allowedHosts`.
 */
export const knownPushServiceHosts: readonly string[] = [
  'fcm.googleapis.com',
  'updates.push.services.mozilla.com',
  'web.push.apple.com',
  'notify.windows.com',
];

const base64url = /^[A-Za-z0-9_-]+$/;

/** Decodes unpadded base64url, or returns null when the text is not base64url. */
export function decodeBase64url(text: string): Buffer | null {
  const unpadded = text.replace(/={1,2}$/, '');

  return base64url.test(unpadded) ? Buffer.from(unpadded, 'base64url') : null;
}

/** Returns true when the bytes are an uncompressed point on the P-256 curve. */
export function isP256PublicKey(bytes: Buffer): boolean {
  if (bytes.length !== 65 || bytes[0] !== 0x04) {
    return false;
  }
  try {
    // convertKey parses the point and throws when it is not on the curve.
    ECDH.convertKey(bytes, 'prime256v1');

    return true;
  } catch {
    return false;
  }
}

function assertVapidConfig(config: VapidConfig): void {
  const publicKey = decodeBase64url(config.publicKey);
  if (!publicKey || !isP256PublicKey(publicKey)) {
    throw new Error('VAPID_PUBLIC_KEY must be an uncompressed P-256 public key in base64url');
  }
  if (decodeBase64url(config.privateKey)?.length !== 32) {
    throw new Error('VAPID_PRIVATE_KEY must be a 32-byte P-256 private key in base64url');
  }
  if (!/^(mailto:|https:\/\/)/.test(config.subject)) {
    throw new Error(`VAPID_SUBJECT must be a mailto: or https: URL, got "${config.subject}"`);
  }
}

/** Parses a Retry-After header given in seconds; the HTTP-date form is ignored. */
function retryAfterMs(header: unknown): number | undefined {
  const seconds = Number(Array.isArray(header) ? header[0] : header);

  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

export interface WebPushSenderOptions {
  /** Hosts added to `knownPushServiceHosts`, for a self-hosted push service or a test. */
  allowedHosts?: readonly string[];
  /** Seconds the push service keeps an undelivered message; a day by default. */
  ttlSeconds?: number;
  /** Socket idle timeout of one request in milliseconds. */
  timeoutMs?: number;
}

/**
 * Sends encrypted (aes128gcm) messages signed with VAPID through the `web-push` package,
 * which posts them with `https.request`. The private key is kept in a private field so that
 * logging the sender cannot print it.
 */
export class WebPushSender implements PushSender {
  readonly name = 'web-push';
  readonly publicKey: string;
  readonly #vapid: VapidConfig;
  readonly #hosts: readonly string[];
  readonly #ttlSeconds: number;
  readonly #timeoutMs: number;

  constructor(vapid: VapidConfig, options: WebPushSenderOptions = {}) {
    assertVapidConfig(vapid);
    this.#vapid = { ...vapid };
    this.publicKey = vapid.publicKey;
    this.#hosts = [...knownPushServiceHosts, ...(options.allowedHosts ?? [])]
      .map((host) => host.toLowerCase());
    this.#ttlSeconds = options.ttlSeconds ?? 24 * 60 * 60;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  acceptsHost(hostname: string): boolean {
    const host = hostname.toLowerCase();

    return this.#hosts.some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
  }

  async send(target: PushTarget, message: PushMessage): Promise<PushOutcome> {
    const url = new URL(target.endpoint);
    if (url.protocol !== 'https:' || !this.acceptsHost(url.hostname)) {
      return { kind: 'rejected', reason: `${url.origin} is not an allowed push service` };
    }

    try {
      await webpush.sendNotification(
        { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
        JSON.stringify(message),
        {
          vapidDetails: { ...this.#vapid },
          TTL: this.#ttlSeconds,
          contentEncoding: 'aes128gcm',
          urgency: 'normal',
          timeout: this.#timeoutMs,
        },
      );

      return { kind: 'sent' };
    } catch (error) {
      return classifyFailure(error, target.endpoint, url.origin);
    }
  }
}

function classifyFailure(error: unknown, endpoint: string, origin: string): PushOutcome {
  if (error instanceof webpush.WebPushError) {
    const status = error.statusCode;
    if (status === 404 || status === 410) {
      return { kind: 'gone', status };
    }
    const reason = `push service ${origin} returned HTTP ${status}`;
    if (status === 429 || status >= 500) {
      return { kind: 'retry', reason, retryAfterMs: retryAfterMs(error.headers['retry-after']) };
    }

    return { kind: 'rejected', reason };
  }

  // Errors from https.request name the host at most, but the endpoint is a capability URL,
  // so it is cut to its origin in case a message quotes it.
  const message = (error instanceof Error ? error.message : String(error))
    .replaceAll(endpoint, origin)
    .slice(0, 200);
  const code = (error as { code?: unknown } | null)?.code;
  // Socket errors carry a code such as ECONNRESET, and web-push reports its own timeout as
  // 'Socket timeout'. Anything else comes from building the request, which would fail again.
  if (typeof code === 'string' || message === 'Socket timeout') {
    return { kind: 'retry', reason: `request to ${origin} failed: ${message}` };
  }

  return { kind: 'rejected', reason: `message for ${origin} not sent: ${message}` };
}

/**
 * Reads the VAPID key pair stored in `file`, or generates one and writes it with owner-only
 * permissions when the file does not exist yet. Browsers bind each subscription to the public
 * key, so a key that survives restarts keeps existing subscriptions working.
 */
export async function loadOrCreateVapidKeys(
  file: string,
): Promise<VapidKeys & { created: boolean }> {
  try {
    return { ...parseVapidFile(await readFile(file, 'utf8'), file), created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw error;
    }
  }

  const keys = webpush.generateVAPIDKeys();
  await mkdir(path.dirname(file), { recursive: true });
  try {
    // 'wx' fails when another process created the file first; its keys then win.
    await writeFile(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return { ...parseVapidFile(await readFile(file, 'utf8'), file), created: false };
    }
    throw error;
  }

  return { publicKey: keys.publicKey, privateKey: keys.privateKey, created: true };
}

function parseVapidFile(text: string, file: string): VapidKeys {
  const parsed = JSON.parse(text) as Partial<VapidKeys>;
  if (typeof parsed.publicKey !== 'string' || typeof parsed.privateKey !== 'string') {
    throw new Error(`${file} must contain "publicKey" and "privateKey" strings`);
  }

  return { publicKey: parsed.publicKey, privateKey: parsed.privateKey };
}
