import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { S3FileStorage } from './s3.ts';

// msw answers in place of S3; the endpoint is a loopback address nothing listens on.
const endpoint = 'http://127.0.0.1:9';
const bucket = 'ticket-files';
const objects = new Map<string, { bytes: Uint8Array; contentType: string | null }>();
const requests: Array<{ method: string; path: string; headers: Headers }> = [];

const server = setupServer(
  http.put(`${endpoint}/${bucket}/*`, async ({ request }) => {
    const path = new URL(request.url).pathname;
    requests.push({ method: 'PUT', path, headers: request.headers });
    objects.set(path, {
      bytes: new Uint8Array(await request.arrayBuffer()),
      contentType: request.headers.get('content-type'),
    });

    return new HttpResponse(null, { status: 200, headers: { etag: '"abc"' } });
  }),
  http.get(`${endpoint}/${bucket}/*`, ({ request }) => {
    const path = new URL(request.url).pathname;
    requests.push({ method: 'GET', path, headers: request.headers });
    const object = objects.get(path);
    if (!object) {
      return new HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code>' +
          '<Message>The specified key does not exist.</Message></Error>',
        { status: 404, headers: { 'content-type': 'application/xml' } },
      );
    }

    return new HttpResponse(object.bytes, {
      status: 200,
      headers: { 'content-type': object.contentType ?? 'application/octet-stream' },
    });
  }),
  http.delete(`${endpoint}/${bucket}/*`, ({ request }) => {
    const path = new URL(request.url).pathname;
    requests.push({ method: 'DELETE', path, headers: request.headers });
    objects.delete(path);

    return new HttpResponse(null, { status: 204 });
  }),
);

const storage = new S3FileStorage({
  bucket,
  region: 'eu-west-1',
  endpoint,
  credentials: { accessKeyId: 'test-access-key', secretAccessKey: 'test-secret-key' },
});

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  requests.length = 0;
});
afterAll(() => {
  storage.destroy();
  server.close();
});

describe('S3FileStorage', () => {
  it('puts, gets and deletes an object through the SDK', async () => {
    const bytes = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 1, 2, 3]);
    await storage.put('tickets/user-1/abc.pdf', bytes, 'application/pdf');

    const put = requests.find((r) => r.method === 'PUT');
    expect(put?.path).toBe(`/${bucket}/tickets/user-1/abc.pdf`);
    expect(put?.headers.get('content-type')).toBe('application/pdf');
    expect(put?.headers.get('x-amz-server-side-encryption')).toBe('AES256');
    expect(put?.headers.get('authorization')).toMatch(/^AWS4-HMAC-SHA256 Credential=test-access-key/);

    expect(await storage.get('tickets/user-1/abc.pdf')).toEqual(bytes);

    await storage.delete('tickets/user-1/abc.pdf');
    expect(objects.has(`/${bucket}/tickets/user-1/abc.pdf`)).toBe(false);
  });

  it('raises NoSuchKey for a missing object', async () => {
    await expect(storage.get('tickets/missing.pdf')).rejects.toMatchObject({ name: 'NoSuchKey' });
  });

  it('rejects a key that climbs out of its folder before any request', async () => {
    await expect(storage.put('../other/key.pdf', new Uint8Array([1]), 'application/pdf'))
      .rejects.toThrow(/Invalid storage key/);
    expect(requests).toHaveLength(0);
  });
});
