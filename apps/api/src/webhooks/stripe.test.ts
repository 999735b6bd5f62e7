import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';

import { createHarness, type Harness } from '@ts/domain/testing/harness';
import {
  StripeMock,
  stripeMockWebhookSecret,
} from '@ts/domain/payments/testing/stripe-mock';

import { loadConfig } from '../config.ts';
import { buildServer } from '../server.ts';

const stripe = new StripeMock();
let h: Harness;
let app: FastifyInstance;
let previousSecret: string | undefined;

beforeAll(async () => {
  stripe.listen();
  previousSecret = process.env.STRIPE_WEBHOOK_SECRET;
  process.env.STRIPE_WEBHOOK_SECRET = stripeMockWebhookSecret;
  h = await createHarness({}, { payments: stripe.adapter() });
  app = await buildServer(h.services, { ...loadConfig(), serveApps: false, rateLimitPerSecond: 1000 });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await h?.close();
  stripe.close();
  process.env.STRIPE_WEBHOOK_SECRET = previousSecret;
});

function post(payload: string, signature?: string) {
  return app.inject({
    method: 'POST',
    url: '/api/webhooks/stripe',
    remoteAddress: '10.8.0.1',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      ...(signature === undefined ? {} : { 'stripe-signature': signature }),
    },
    payload,
  });
}

describe('POST /api/webhooks/stripe', () => {
  it('acknowledges a signed event once and reports the repeat', async () => {
    const event = stripe.event('customer.created', { id: 'cus_route', object: 'customer' });
    const { payload, signature } = stripe.signedDelivery(event);

    const first = await post(payload, signature);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ received: true, duplicate: false });
    const second = await post(payload, signature);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual({ received: true, duplicate: true });
    expect(await h.db.prisma.webhookEvent.count({ where: { id: event.id } })).toBe(1);
  });

  it('rejects a body changed after signing', async () => {
    const event = stripe.event('customer.created', { id: 'cus_tampered', object: 'customer' });
    const { payload, signature } = stripe.signedDelivery(event);
    const tampered = payload.replace('cus_tampered', 'cus_attacker');

    const response = await post(tampered, signature);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/Invalid Stripe-Signature/);
    expect(await h.db.prisma.webhookEvent.count({ where: { id: event.id } })).toBe(0);
  });

  it('rejects an event signed with another secret', async () => {
    const event = stripe.event('customer.created', { id: 'cus_other', object: 'customer' });
    const { payload, signature } = stripe.signedDelivery(event, 'whsec_not_ours');

    const response = await post(payload, signature);
    expect(response.statusCode).toBe(400);
  });

  it('rejects a delivery without a signature header', async () => {
    const { payload } = stripe.signedDelivery(stripe.event('customer.created', { id: 'cus_x' }));

    const response = await post(payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toBe('Missing Stripe-Signature header.');
  });

  it('leaves JSON parsing of other routes alone', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/trpc/auth.signUp',
      remoteAddress: '10.8.0.2',
      headers: { 'content-type': 'application/json' },
      payload: { json: { email: 'webhook-neighbour@example.test', password: 'a long enough password', displayName: 'N' } },
    });
    expect(response.statusCode).toBe(200);
  });
});
