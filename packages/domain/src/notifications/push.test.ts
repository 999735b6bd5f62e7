import {
  createDecipheriv,
  createECDH,
  createPublicKey,
  hkdfSync,
  randomBytes,
  randomUUID,
  verify,
  type ECDH,
} from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';

import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { pino } from 'pino';
import webpush from 'web-push';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { Actor, Services } from '../context.ts';
import { createCaller } from '../router.ts';
import { createHarness, type Harness } from '../testing/harness.ts';
import type { DeliveryPolicy } from './delivery.ts';
import { loadOrCreateVapidKeys, WebPushSender } from './push.ts';
import { deliverPendingPushes } from './push-delivery.ts';
import { maxPushSubscriptionsPerUser } from './push-subscriptions.ts';
import { renderNotification } from './templates.ts';
import { notifyUsers } from './write.ts';

const pushOrigin = 'https://push.example.test';
const subject = 'mailto:ops@ticketswap.test';
const vapid = webpush.generateVAPIDKeys();
const sender = new WebPushSender(
  { ...vapid, subject },
  { allowedHosts: ['push.example.test'], timeoutMs: 2000 },
);
const policy: DeliveryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 30_000,
  maxDelayMs: 600_000,
  batchSize: 50,
};

interface ReceivedPush {
  token: string;
  method: string;
  headers: Headers;
  body: Buffer;
}

/** A browser's side of a subscription: the key pair and secret that decrypt its messages. */
interface TestBrowser {
  token: string;
  endpoint: string;
  ecdh: ECDH;
  authSecret: Buffer;
  keys: { p256dh: string; auth: string };
}

const received: ReceivedPush[] = [];
/** Responses per endpoint token, used in turn; a token without one gets 201 Created. */
const answers = new Map<string, (() => Response)[]>();
const server = setupServer(
  http.post(`${pushOrigin}/wpush/:token`, async ({ request, params }) => {
    const token = String(params.token);
    received.push({
      token,
      method: request.method,
      headers: request.headers,
      body: Buffer.from(await request.arrayBuffer()),
    });
    const next = answers.get(token)?.shift();

    return next ? next() : new HttpResponse(null, { status: 201 });
  }),
);
let h: Harness;

beforeAll(async () => {
  server.listen({ onUnhandledFrame: 'error' });
  h = await createHarness({}, { push: sender });
});

afterAll(async () => {
  server.close();
  await h.close();
});

beforeEach(async () => {
  h.setNow(new Date());
  received.length = 0;
  answers.clear();
  // Each test delivers only its own rows.
  await h.db.prisma.notification.updateMany({
    where: { channel: 'PUSH', state: 'PENDING' },
    data: { state: 'SENT' },
  });
});

afterEach(() => {
  server.resetHandlers();
});

function newBrowser(): TestBrowser {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const authSecret = randomBytes(16);
  const token = randomUUID();

  return {
    token,
    endpoint: `${pushOrigin}/wpush/${token}`,
    ecdh,
    authSecret,
    keys: {
      p256dh: ecdh.getPublicKey().toString('base64url'),
      auth: authSecret.toString('base64url'),
    },
  };
}

async function subscribe(actor: Actor, browser: TestBrowser) {
  return h.caller(actor).notifications.subscribePush({
    endpoint: browser.endpoint,
    keys: browser.keys,
  });
}

function callerWith(actor: Actor, services: Services) {
  return createCaller({
    services,
    actor,
    meta: { requestId: `push-test-${randomUUID()}`, ipAddress: '127.0.0.1' },
    session: { set: () => undefined, clear: () => undefined },
  });
}

/** Writes an escrow notice for the user and returns its PUSH row id, if one was written. */
async function notifyEscrow(userId: string, tradeId = randomUUID()) {
  const input = { userIds: [userId], kind: 'trade.escrowed' as const, vars: { tradeId } };
  await h.db.prisma.$transaction((tx) => notifyUsers(tx, input, h.services.now()));
  const row = await h.db.prisma.notification.findFirst({
    where: { userId, channel: 'PUSH', data: { path: ['tradeId'], equals: tradeId } },
    select: { id: true },
  });

  return { tradeId, pushId: row?.id ?? null };
}

async function pushRow(id: string) {
  return h.db.prisma.notification.findUniqueOrThrow({
    where: { id },
    select: { state: true, attempts: true, nextAttemptAt: true, lastError: true, data: true },
  });
}

function respond(browser: TestBrowser, ...responses: (() => Response)[]) {
  answers.set(browser.token, responses);
}

/** Decrypts an aes128gcm push message body as the browser does (RFC 8291 over RFC 8188). */
function decrypt(browser: TestBrowser, body: Buffer): unknown {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const keyIdLength = body[20]!;
  const serverPublicKey = body.subarray(21, 21 + keyIdLength);
  const record = body.subarray(21 + keyIdLength);
  expect(keyIdLength).toBe(65);
  expect(record.length).toBeLessThanOrEqual(recordSize);

  const ecdhSecret = browser.ecdh.computeSecret(serverPublicKey);
  const keyInfo = Buffer.concat([
    Buffer.from('WebPush: info\0'),
    browser.ecdh.getPublicKey(),
    serverPublicKey,
  ]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, browser.authSecret, keyInfo, 32));
  const cekInfo = Buffer.from('Content-Encoding: aes128gcm\0');
  const nonceInfo = Buffer.from('Content-Encoding: nonce\0');
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, cekInfo, 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, nonceInfo, 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(-16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, -16)), decipher.final()]);

  // The plaintext of the last record ends with the delimiter 0x02 and optional zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) {
    end -= 1;
  }
  expect(padded[end]).toBe(0x02);

  return JSON.parse(padded.subarray(0, end).toString('utf8'));
}

function decodeJson(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

function parseVapidAuthorization(header: string | null) {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(header ?? '');
  expect(match, `Authorization header: ${header}`).not.toBeNull();
  const [, jwt, key] = match!;
  const [headerPart, payloadPart, signaturePart] = jwt!.split('.') as [string, string, string];
  const publicKey = Buffer.from(key!, 'base64url');
  const jwk = {
    kty: 'EC',
    crv: 'P-256',
    x: publicKey.subarray(1, 33).toString('base64url'),
    y: publicKey.subarray(33, 65).toString('base64url'),
  };
  const signatureValid = verify(
    'sha256',
    Buffer.from(`${headerPart}.${payloadPart}`),
    { key: createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
    Buffer.from(signaturePart, 'base64url'),
  );

  return {
    key,
    signatureValid,
    header: decodeJson(headerPart),
    claims: decodeJson(payloadPart),
  };
}

function captureLogs() {
  const lines: string[] = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );

  return { lines, logger };
}

describe('push delivery', () => {
  it('sends what a push service expects', async () => {
    const user = await h.createUser({});
    const browser = newBrowser();
    await subscribe(user, browser);
    const { tradeId, pushId } = await notifyEscrow(user.userId);
    const { lines, logger } = captureLogs();

    const result = await deliverPendingPushes(h.services, { policy, logger });

    expect(result).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(received).toHaveLength(1);
    const push = received[0]!;
    expect(push.token).toBe(browser.token);
    expect(push.method).toBe('POST');
    expect(push.headers.get('ttl')).toBe('86400');
    expect(push.headers.get('content-encoding')).toBe('aes128gcm');
    expect(push.headers.get('content-type')).toBe('application/octet-stream');
    expect(push.headers.get('urgency')).toBe('normal');

    const auth = parseVapidAuthorization(push.headers.get('authorization'));
    expect(auth.key).toBe(vapid.publicKey);
    expect(auth.header).toMatchObject({ alg: 'ES256', typ: 'JWT' });
    expect(auth.claims.aud).toBe(pushOrigin);
    expect(auth.claims.sub).toBe(subject);
    expect(auth.claims.exp).toBeGreaterThan(Date.now() / 1000);
    expect(auth.signatureValid).toBe(true);

    const rendered = renderNotification('trade.escrowed', { tradeId });
    expect(decrypt(browser, push.body)).toEqual({
      title: rendered.title,
      body: rendered.body,
      url: `/trades/${tradeId}`,
      tag: pushId,
    });

    const row = await pushRow(pushId!);
    expect(row.state).toBe('SENT');
    expect(row.attempts).toBe(1);
    expect(row.lastError).toBeNull();
    expect(row.nextAttemptAt).toBeNull();

    const logged = lines.join('');
    expect(logged).toContain('push notification sent');
    expect(logged).not.toContain(browser.token);
    expect(logged).not.toContain(vapid.privateKey);
  });

  it('sends to every browser of the user', async () => {
    const user = await h.createUser({});
    const laptop = newBrowser();
    const phone = newBrowser();
    await subscribe(user, laptop);
    await subscribe(user, phone);
    const { tradeId } = await notifyEscrow(user.userId);

    await deliverPendingPushes(h.services, { policy });

    expect(received.map((r) => r.token).sort()).toEqual([laptop.token, phone.token].sort());
    for (const push of received) {
      const browser = push.token === laptop.token ? laptop : phone;
      expect(decrypt(browser, push.body)).toMatchObject({ url: `/trades/${tradeId}` });
    }
  });

  it('deletes a subscription the push service reports gone', async () => {
    const user = await h.createUser({});
    const browser = newBrowser();
    await subscribe(user, browser);
    respond(browser, () => new HttpResponse('expired', { status: 410 }));
    const { pushId } = await notifyEscrow(user.userId);
    const { lines, logger } = captureLogs();

    const result = await deliverPendingPushes(h.services, { policy, logger });
    h.setNow(new Date(h.services.now().getTime() + policy.maxDelayMs));
    const again = await deliverPendingPushes(h.services, { policy });

    expect(result).toEqual({ sent: 0, retried: 0, failed: 1 });
    expect(again).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(received).toHaveLength(1);
    const remaining = await h.db.prisma.pushSubscription.count({ where: { userId: user.userId } });
    expect(remaining).toBe(0);
    const row = await pushRow(pushId!);
    expect(row.state).toBe('FAILED');
    expect(row.nextAttemptAt).toBeNull();
    expect(row.lastError).toContain('HTTP 410');
    const logged = lines.join('');
    expect(logged).toContain('push subscription no longer exists');
    expect(logged).toContain(pushOrigin);
    expect(logged).not.toContain(browser.token);
  });

  it('treats 404 as gone too', async () => {
    const user = await h.createUser({});
    const browser = newBrowser();
    await subscribe(user, browser);
    respond(browser, () => new HttpResponse(null, { status: 404 }));
    await notifyEscrow(user.userId);

    await deliverPendingPushes(h.services, { policy });

    expect(await h.db.prisma.pushSubscription.count({ where: { userId: user.userId } })).toBe(0);
  });

  it('retries a 500 with backoff', async () => {
    const user = await h.createUser({});
    const browser = newBrowser();
    await subscribe(user, browser);
    respond(browser, () => new HttpResponse('busy', { status: 500 }));
    const { pushId } = await notifyEscrow(user.userId);
    const start = h.services.now();

    const first = await deliverPendingPushes(h.services, { policy });
    const afterFirst = await pushRow(pushId!);
    h.setNow(new Date(start.getTime() + policy.baseDelayMs - 1));
    const tooEarly = await deliverPendingPushes(h.services, { policy });
    h.setNow(new Date(start.getTime() + policy.baseDelayMs));
    const second = await deliverPendingPushes(h.services, { policy });

    expect(first).toEqual({ sent: 0, retried: 1, failed: 0 });
    expect(afterFirst.state).toBe('PENDING');
    expect(afterFirst.attempts).toBe(1);
    expect(afterFirst.nextAttemptAt).toEqual(new Date(start.getTime() + policy.baseDelayMs));
    expect(afterFirst.lastError).toBe(`push service ${pushOrigin} returned HTTP 500`);
    expect(tooEarly).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(second).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(received).toHaveLength(2);
    const row = await pushRow(pushId!);
    expect(row.state).toBe('SENT');
    expect(row.attempts).toBe(2);
    expect(await h.db.prisma.pushSubscription.count({ where: { userId: user.userId } })).toBe(1);
  });

  it('waits as long as a 429 Retry-After asks', async () => {
    const user = await h.createUser({});
    const browser = newBrowser();
    await subscribe(user, browser);
    respond(browser, () =>
      new HttpResponse(null, { status: 429, headers: { 'retry-after': '120' } }));
    const { pushId } = await notifyEscrow(user.userId);
    const start = h.services.now();

    await deliverPendingPushes(h.services, { policy });

    const row = await pushRow(pushId!);
    expect(row.state).toBe('PENDING');
    expect(row.nextAttemptAt).toEqual(new Date(start.getTime() + 120_000));
  });

  it('retries only the browsers that missed it', async () => {
    const user = await h.createUser({});
    const laptop = newBrowser();
    const phone = newBrowser();
    await subscribe(user, laptop);
    await subscribe(user, phone);
    respond(phone, () => new HttpResponse(null, { status: 503 }));
    const { pushId } = await notifyEscrow(user.userId);

    await deliverPendingPushes(h.services, { policy });
    h.setNow(new Date(h.services.now().getTime() + policy.baseDelayMs));
    await deliverPendingPushes(h.services, { policy });

    expect(received.map((r) => r.token)).toHaveLength(3);
    expect(received.filter((r) => r.token === laptop.token)).toHaveLength(1);
    expect(received.filter((r) => r.token === phone.token)).toHaveLength(2);
    expect((await pushRow(pushId!)).state).toBe('SENT');
  });

  it('marks a push FAILED after the last attempt', async () => {
    const user = await h.createUser({});
    const browser = newBrowser();
    await subscribe(user, browser);
    respond(browser, ...Array.from({ length: policy.maxAttempts }, () => () =>
      new HttpResponse(null, { status: 502 })));
    const { pushId } = await notifyEscrow(user.userId);

    const results = [];
    for (let attempt = 0; attempt < policy.maxAttempts; attempt += 1) {
      results.push(await deliverPendingPushes(h.services, { policy }));
      h.setNow(new Date(h.services.now().getTime() + policy.maxDelayMs));
    }

    expect(results.map((r) => r.failed)).toEqual([0, 0, 1]);
    const row = await pushRow(pushId!);
    expect(row.state).toBe('FAILED');
    expect(row.attempts).toBe(policy.maxAttempts);
    expect(row.nextAttemptAt).toBeNull();
  });

  it('does not retry a 403 and keeps the subscription', async () => {
    const user = await h.createUser({});
    const browser = newBrowser();
    await subscribe(user, browser);
    respond(browser, () => new HttpResponse('key mismatch', { status: 403 }));
    const { pushId } = await notifyEscrow(user.userId);

    const result = await deliverPendingPushes(h.services, { policy });

    expect(result).toEqual({ sent: 0, retried: 0, failed: 1 });
    const row = await pushRow(pushId!);
    expect(row.state).toBe('FAILED');
    expect(row.lastError).toBe(`push service ${pushOrigin} returned HTTP 403`);
    expect(await h.db.prisma.pushSubscription.count({ where: { userId: user.userId } })).toBe(1);
  });

  it('marks pushes FAILED when push is turned off', async () => {
    const user = await h.createUser({});
    await subscribe(user, newBrowser());
    const { pushId } = await notifyEscrow(user.userId);
    const { push: _push, ...withoutPush } = h.services;

    const result = await deliverPendingPushes(withoutPush, { policy });

    expect(result).toEqual({ sent: 0, retried: 0, failed: 1 });
    expect(received).toHaveLength(0);
    expect((await pushRow(pushId!)).lastError).toContain('turned off');
  });
});

describe('push notices', () => {
  it('are written only for users with a subscription', async () => {
    const subscribed = await h.createUser({});
    const unsubscribed = await h.createUser({});
    await subscribe(subscribed, newBrowser());

    const withBrowser = await notifyEscrow(subscribed.userId);
    const withoutBrowser = await notifyEscrow(unsubscribed.userId);

    expect(withBrowser.pushId).not.toBeNull();
    expect(withoutBrowser.pushId).toBeNull();
    const unsubscribedRows = await h.db.prisma.notification.count({
      where: { userId: unsubscribed.userId },
    });
    expect(unsubscribedRows).toBe(2);
  });

  it('honour a preference that turns push off', async () => {
    const user = await h.createUser({});
    await subscribe(user, newBrowser());
    await h.caller(user).notifications.setPreference({
      kind: 'trade.escrowed',
      channel: 'PUSH',
      enabled: false,
    });

    const { pushId } = await notifyEscrow(user.userId);

    expect(pushId).toBeNull();
    const preferences = await h.caller(user).notifications.preferences();
    expect(preferences).toContainEqual({ kind: 'trade.escrowed', channel: 'PUSH', enabled: false });
    expect(preferences).toContainEqual({ kind: 'trade.completed', channel: 'PUSH', enabled: true });
  });
});

describe('push subscriptions', () => {
  it('reports the public key and subscription count', async () => {
    const user = await h.createUser({});
    await subscribe(user, newBrowser());
    const { push: _push, ...withoutPush } = h.services;

    const config = await h.caller(user).notifications.pushConfig();
    const off = await callerWith(user, withoutPush).notifications.pushConfig();

    expect(config).toEqual({ publicKey: vapid.publicKey, subscriptions: 1 });
    expect(off).toBeNull();
  });

  it('rejects subscribing when push is off', async () => {
    const user = await h.createUser({});
    const browser = newBrowser();
    const { push: _push, ...withoutPush } = h.services;

    await expect(
      callerWith(user, withoutPush).notifications.subscribePush({
        endpoint: browser.endpoint,
        keys: browser.keys,
      }),
    ).rejects.toMatchObject({ message: 'Push notifications are turned off on this server.' });
  });

  it('rejects endpoints that are not https push services', async () => {
    const user = await h.createUser({});
    const { keys } = newBrowser();
    const cases: [string, RegExp][] = [
      ['http://push.example.test/wpush/abc', /must be an https URL, not http/],
      ['ftp://push.example.test/wpush/abc', /must be an https URL/],
      ['not a url', /must be an https URL/],
      ['https://127.0.0.1/wpush/abc', /host 127\.0\.0\.1 is not a supported push service/],
      ['https://localhost/wpush/abc', /host localhost is not a supported push service/],
      ['https://169.254.169.254/latest', /not a supported push service/],
      ['https://push.example.test.evil.test/wpush/abc', /not a supported push service/],
      ['https://push.example.test:8443/wpush/abc', /user name, password or port/],
      ['https://me:pw@push.example.test/wpush/abc', /user name, password or port/],
    ];

    for (const [endpoint, message] of cases) {
      const attempt = h.caller(user).notifications.subscribePush({ endpoint, keys });
      await expect(attempt, endpoint).rejects.toMatchObject({ cause: { code: 'INVALID_INPUT' } });
      await expect(attempt, endpoint).rejects.toThrow(message);
    }
    expect(await h.db.prisma.pushSubscription.count({ where: { userId: user.userId } })).toBe(0);
  });

  it('rejects malformed keys', async () => {
    const user = await h.createUser({});
    const browser = newBrowser();
    const offCurve = Buffer.from(browser.ecdh.getPublicKey());
    offCurve[40]! ^= 0x01;
    const cases: [{ p256dh: string; auth: string }, RegExp][] = [
      [{ ...browser.keys, p256dh: browser.keys.p256dh.slice(0, 40) }, /Invalid keys\.p256dh/],
      [{ ...browser.keys, p256dh: offCurve.toString('base64url') }, /Invalid keys\.p256dh/],
      [{ ...browser.keys, p256dh: `${browser.keys.p256dh.slice(0, -1)}+` }, /Invalid keys\.p256dh/],
      [{ ...browser.keys, auth: randomBytes(15).toString('base64url') }, /Invalid keys\.auth/],
      [{ ...browser.keys, auth: 'not/base64url!!' }, /Invalid keys\.auth/],
    ];

    for (const [keys, message] of cases) {
      const attempt = h.caller(user).notifications.subscribePush({
        endpoint: browser.endpoint,
        keys,
      });
      await expect(attempt).rejects.toMatchObject({ cause: { code: 'INVALID_INPUT' } });
      await expect(attempt).rejects.toThrow(message);
    }
    expect(await h.db.prisma.pushSubscription.count({ where: { userId: user.userId } })).toBe(0);
  });

  it('accepts padded base64url keys', async () => {
    const user = await h.createUser({});
    const browser = newBrowser();

    await h.caller(user).notifications.subscribePush({
      endpoint: browser.endpoint,
      keys: { p256dh: `${browser.keys.p256dh}=`, auth: `${browser.keys.auth}==` },
    });

    const saved = await h.db.prisma.pushSubscription.findUniqueOrThrow({
      where: { endpoint: browser.endpoint },
      select: { p256dh: true, auth: true },
    });
    expect(saved).toEqual(browser.keys);
  });

  it('keeps another trader from unsubscribing your endpoint', async () => {
    const owner = await h.createUser({});
    const other = await h.createUser({});
    const browser = newBrowser();
    await subscribe(owner, browser);

    const input = { endpoint: browser.endpoint };
    const attempt = await h.caller(other).notifications.unsubscribePush(input);
    const own = await h.caller(owner).notifications.unsubscribePush(input);
    const again = await h.caller(owner).notifications.unsubscribePush(input);

    expect(attempt).toEqual({ removed: false });
    expect(own).toEqual({ removed: true });
    expect(again).toEqual({ removed: false });
  });

  it('leaves the subscription in place after a foreign unsubscribe', async () => {
    const owner = await h.createUser({});
    const other = await h.createUser({});
    const browser = newBrowser();
    await subscribe(owner, browser);

    await h.caller(other).notifications.unsubscribePush({ endpoint: browser.endpoint });

    const saved = await h.db.prisma.pushSubscription.findUnique({
      where: { endpoint: browser.endpoint },
      select: { userId: true },
    });
    expect(saved?.userId).toBe(owner.userId);
  });

  it('moves an endpoint to the user on that browser now', async () => {
    const first = await h.createUser({});
    const second = await h.createUser({});
    const browser = newBrowser();
    await subscribe(first, browser);
    const { pushId: firstPush } = await notifyEscrow(first.userId);
    const { lines, logger } = captureLogs();

    await callerWith(second, { ...h.services, logger }).notifications.subscribePush({
      endpoint: browser.endpoint,
      keys: browser.keys,
    });
    const { pushId: secondPush } = await notifyEscrow(second.userId);
    await deliverPendingPushes(h.services, { policy });

    const saved = await h.db.prisma.pushSubscription.findMany({
      where: { endpoint: browser.endpoint },
      select: { userId: true },
    });
    expect(saved).toEqual([{ userId: second.userId }]);
    // The first user's notice was written before the move and is not sent to the browser now.
    expect((await pushRow(firstPush!)).state).toBe('FAILED');
    expect((await pushRow(secondPush!)).state).toBe('SENT');
    expect(received).toHaveLength(1);
    expect(decrypt(browser, received[0]!.body)).toMatchObject({ tag: secondPush });
    const logged = lines.join('');
    expect(logged).toContain('push subscription moved to another user');
    expect(logged).toContain(first.userId);
    expect(logged).not.toContain(browser.token);
  });

  it('drops the oldest subscription beyond the cap', async () => {
    const user = await h.createUser({});
    const browsers = Array.from({ length: maxPushSubscriptionsPerUser + 1 }, newBrowser);
    const start = h.services.now().getTime();

    for (const [index, browser] of browsers.entries()) {
      h.setNow(new Date(start + index * 1000));
      await subscribe(user, browser);
    }

    const saved = await h.db.prisma.pushSubscription.findMany({
      where: { userId: user.userId },
      select: { endpoint: true },
    });
    expect(saved).toHaveLength(maxPushSubscriptionsPerUser);
    expect(saved.map((s) => s.endpoint)).not.toContain(browsers[0]!.endpoint);
    expect(saved.map((s) => s.endpoint)).toContain(browsers.at(-1)!.endpoint);
  });

  it('refreshes a resubscribed browser so the cap keeps it', async () => {
    const user = await h.createUser({});
    const browsers = Array.from({ length: maxPushSubscriptionsPerUser }, newBrowser);
    const start = h.services.now().getTime();
    for (const [index, browser] of browsers.entries()) {
      h.setNow(new Date(start + index * 1000));
      await subscribe(user, browser);
    }

    h.setNow(new Date(start + 100_000));
    await subscribe(user, browsers[0]!);
    h.setNow(new Date(start + 101_000));
    await subscribe(user, newBrowser());

    const endpoints = (await h.db.prisma.pushSubscription.findMany({
      where: { userId: user.userId },
      select: { endpoint: true },
    })).map((s) => s.endpoint);
    expect(endpoints).toHaveLength(maxPushSubscriptionsPerUser);
    expect(endpoints).toContain(browsers[0]!.endpoint);
    expect(endpoints).not.toContain(browsers[1]!.endpoint);
  });
});

describe('VAPID key file', () => {
  it('is generated once and read back', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'ticketswap-vapid-'));
    const file = path.join(folder, 'nested', 'vapid-keys.json');
    try {
      const created = await loadOrCreateVapidKeys(file);
      const loaded = await loadOrCreateVapidKeys(file);

      expect(created.created).toBe(true);
      expect(loaded.created).toBe(false);
      expect(loaded.publicKey).toBe(created.publicKey);
      expect(loaded.privateKey).toBe(created.privateKey);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
        publicKey: created.publicKey,
        privateKey: created.privateKey,
      });
      expect(() => new WebPushSender({ ...loaded, subject })).not.toThrow();
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
