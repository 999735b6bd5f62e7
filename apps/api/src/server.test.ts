import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';

import { createHarness, type Harness } from '@ts/domain/testing/harness';

import { loadConfig } from './config.ts';
import { buildServer } from './server.ts';

let h: Harness;
let app: FastifyInstance;

beforeAll(async () => {
  h = await createHarness();
  app = await buildServer(h.services, {
    ...loadConfig(),
    rateLimitPerSecond: 20,
    serveApps: false,
    cookieSecure: true,
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await h.close();
});

async function signUp(email: string) {
  return app.inject({
    method: 'POST',
    url: '/trpc/auth.signUp',
    remoteAddress: '10.9.0.1',
    headers: { 'content-type': 'application/json' },
    payload: { json: { email, password: 'a long enough password', displayName: 'Http Tester' } },
  });
}

describe('HTTP server', () => {
  it('sets an HTTP-only, same-site session cookie on sign-up', async () => {
    const response = await signUp('http-tester@example.test');
    expect(response.statusCode).toBe(200);
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/^sid=/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Secure');
    expect(response.body).not.toContain('passwordHash');
  });

  it('returns a request id on every response', async () => {
    const response = await app.inject({ method: 'GET', url: '/health', remoteAddress: '10.9.0.2' });
    expect(response.headers['x-request-id']).toMatch(/^[\w-]{8,}$/);
  });

  it('rejects an upload without a session', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/tickets/upload',
      remoteAddress: '10.9.0.3',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      payload: '--x--\r\n',
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.appCode).toBe('UNAUTHENTICATED');
  });

  it('rejects a mutation sent from another site', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/trpc/auth.logIn',
      remoteAddress: '10.9.0.4',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      payload: { json: { email: 'x@example.test', password: 'whatever' } },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.appCode).toBe('FORBIDDEN');
  });

  it('answers with a stable code, not a stack trace, for malformed input', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/trpc/auth.logIn',
      remoteAddress: '10.9.0.5',
      headers: { 'content-type': 'application/json' },
      payload: { json: { email: 42 } },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.json.data.appCode).toBe('INVALID_INPUT');
    expect(response.body).not.toContain('at ');
  });

  it('limits one address to its requests per second', async () => {
    // 60 requests span at most two one-second windows, so one window gets over 20 of them.
    const statuses: number[] = [];
    for (let i = 0; i < 60; i += 1) {
      const response = await app.inject({
        method: 'GET',
        url: '/trpc/auth.me',
        remoteAddress: '10.9.0.6',
      });
      statuses.push(response.statusCode);
    }
    const limited = statuses.filter((status) => status === 429).length;
    const other = await app.inject({ method: 'GET', url: '/trpc/auth.me', remoteAddress: '10.9.0.7' });

    expect(limited).toBeGreaterThan(0);
    expect(statuses.slice(0, 20).every((status) => status === 200)).toBe(true);
    expect(other.statusCode).toBe(200);
  });

  it('counts each call of a batch against the rate limit', async () => {
    // Seven batches of ten are 70 calls; within at most two one-second windows, one passes 20.
    const batch = Array.from({ length: 10 }, () => 'auth.me').join(',');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      const response = await app.inject({
        method: 'GET',
        url: `/trpc/${batch}?batch=1`,
        remoteAddress: '10.9.1.1',
      });
      statuses.push(response.statusCode);
    }

    expect(statuses[0]).toBe(200);
    expect(statuses).toContain(429);
  });

  it('rejects a batch of more than ten calls', async () => {
    const batch = Array.from({ length: 11 }, () => 'auth.me').join(',');
    const response = await app.inject({ method: 'GET', url: `/trpc/${batch}?batch=1`, remoteAddress: '10.9.1.2' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.appCode).toBe('INVALID_INPUT');
  });

  it('sends headers that stop sniffing and framing', async () => {
    const response = await app.inject({ method: 'GET', url: '/health', remoteAddress: '10.9.1.3' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('DENY');
  });

  it('answers an unsupported content type with a stable code', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/trpc/auth.logIn',
      remoteAddress: '10.9.1.4',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=a&password=b',
    });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expect(response.body).toContain('INVALID_INPUT');
  });

  it('guards the dispute evidence routes', async () => {
    const anonymous = await app.inject({
      method: 'GET',
      url: '/api/dispute-evidence/00000000-0000-4000-8000-000000000000/file',
      remoteAddress: '10.9.1.5',
    });
    expect(anonymous.statusCode).toBe(401);

    const cookie = String((await signUp('evidence-reader@example.test')).headers['set-cookie']);
    const missing = await app.inject({
      method: 'GET',
      url: '/api/dispute-evidence/00000000-0000-4000-8000-000000000000/file',
      remoteAddress: '10.9.1.6',
      headers: { cookie: cookie.split(';')[0]! },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.appCode).toBe('NOT_FOUND');
  });

  it('serves a ticket file to its owner only', async () => {
    const owner = await signUp('file-owner@example.test');
    const other = await signUp('file-other@example.test');
    const ownerId = owner.json().result.data.json.id as string;
    const storageKey = `tickets/${ownerId}/http-test.pdf`;
    const bytes = new TextEncoder().encode('%PDF-1.4 test file');
    await h.services.storage.put(storageKey, bytes, 'application/pdf');
    const ticket = await h.db.prisma.ticket.create({
      data: {
        ownerId,
        uploadedById: ownerId,
        barcodeHash: 'http-test-hash',
        barcodeFormat: 'QRCode',
        fileSha256: 'http-test-sha',
        storageKey,
        mimeType: 'application/pdf',
        sizeBytes: bytes.byteLength,
      },
    });
    const cookieOf = (response: typeof owner) => String(response.headers['set-cookie']).split(';')[0]!;

    const mine = await app.inject({
      method: 'GET',
      url: `/api/tickets/${ticket.id}/file`,
      remoteAddress: '10.9.1.7',
      headers: { cookie: cookieOf(owner) },
    });
    const theirs = await app.inject({
      method: 'GET',
      url: `/api/tickets/${ticket.id}/file`,
      remoteAddress: '10.9.1.8',
      headers: { cookie: cookieOf(other) },
    });

    expect(mine.statusCode).toBe(200);
    expect(mine.headers['content-type']).toBe('application/pdf');
    expect(mine.headers['content-security-policy']).toContain('sandbox');
    expect(mine.body).toBe('%PDF-1.4 test file');
    expect(theirs.statusCode).toBe(404);
  });
});
