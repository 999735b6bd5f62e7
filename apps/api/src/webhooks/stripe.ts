import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import type { Services } from '@ts/domain';
import { processStripeEvent, verifyStripeWebhook } from '@ts/domain/payments/index';

export const stripeWebhookPath = '/api/webhooks/stripe';

/** Stripe's events are a few kilobytes; this leaves room without accepting large bodies. */
const maxEventBytes = 512 * 1024;

function fail(reply: FastifyReply, status: number, appCode: string, message: string) {
  return reply.code(status).send({ error: { appCode, message } });
}

/**
 * Registers POST /api/webhooks/stripe. The signature covers the exact bytes Stripe sent, so
 * this route's own scope keeps a JSON body as a raw Buffer. The rest of the server keeps
 * Fastify's JSON parser. Without `webhookSecret` (STRIPE_WEBHOOK_SECRET) every delivery gets 503.
 */
export async function registerStripeWebhook(
  app: FastifyInstance,
  services: Services,
  webhookSecret: string | undefined,
): Promise<void> {
  await app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: maxEventBytes },
      (_request, body, done) => done(null, body),
    );
    scope.post(stripeWebhookPath, (request, reply) =>
      handleStripeWebhook(services, webhookSecret, request, reply));
  });
}

async function handleStripeWebhook(
  services: Services,
  webhookSecret: string | undefined,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  if (!webhookSecret) {
    request.log.error('Stripe webhook received but STRIPE_WEBHOOK_SECRET is not set');

    return fail(reply, 503, 'INTERNAL', 'Stripe webhooks are not configured on this server.');
  }
  const signature = request.headers['stripe-signature'];
  if (typeof signature !== 'string' || signature === '') {
    return fail(reply, 400, 'INVALID_INPUT', 'Missing Stripe-Signature header.');
  }
  if (!Buffer.isBuffer(request.body)) {
    return fail(reply, 400, 'INVALID_INPUT', 'Send the event as application/json.');
  }

  let event;
  try {
    event = verifyStripeWebhook(request.body, signature, webhookSecret);
  } catch (err) {
    request.log.warn({ err: (err as Error).message }, 'Stripe webhook signature rejected');

    return fail(reply, 400, 'INVALID_INPUT', 'Invalid Stripe-Signature: the event was not signed ' +
      'with this endpoint\'s secret, was changed in transit, or is too old.');
  }

  try {
    const outcome = await processStripeEvent(services, event, String(request.id));

    return reply.code(200).send({ received: true, duplicate: outcome === 'duplicate' });
  } catch (err) {
    // A 500 makes Stripe deliver the event again later; nothing of it was stored.
    request.log.error({ err, stripeEventId: event.id, eventType: event.type }, 'Stripe event failed');

    return fail(reply, 500, 'INTERNAL', 'The event could not be processed; it will be retried.');
  }
}
