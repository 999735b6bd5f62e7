// An imitation of the parts of Stripe's HTTP API the payments adapter uses, served by msw
// handlers on a loopback address so that the real `stripe` SDK can talk to it in tests.
// It speaks Stripe's wire format: form-encoded request bodies, JSON objects with an `object`
// field and `{ error: { type, code, message } }` failures. An Idempotency-Key replays the first
// response for the same parameters and returns a 400 for different ones.
import { randomBytes } from 'node:crypto';

import { http, HttpResponse } from 'msw';
import { setupServer, type SetupServer } from 'msw/node';
import Stripe from 'stripe';

import { StripePaymentsAdapter } from '../stripe-adapter.ts';

/** A loopback port where nothing listens; msw responds before any connection is made. */
export const stripeMockPort = 12_111;
export const stripeMockKey = 'sk_test_mock_0000000000000000';
export const stripeMockWebhookSecret = 'whsec_test_mock_secret';

type StripeObject = Record<string, unknown> & { id: string };

export interface RecordedRequest {
  method: string;
  path: string;
  params: Record<string, unknown>;
  idempotencyKey: string | null;
  replayed: boolean;
}

/** Turns `a[b][c]=1` form fields into nested objects, as Stripe reads them. */
function parseForm(body: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replaceAll(']', '').split('[');
    let node = result;
    for (const part of path.slice(0, -1)) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    node[path.at(-1)!] = value;
  }

  return result;
}

function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

function stripeError(status: number, code: string, message: string) {
  return HttpResponse.json(
    { error: { type: 'invalid_request_error', code, message } },
    { status },
  );
}

export class StripeMock {
  readonly intents = new Map<string, StripeObject>();
  readonly accounts = new Map<string, StripeObject>();
  readonly transfers = new Map<string, StripeObject>();
  readonly refunds = new Map<string, StripeObject>();
  /** Available balance per connected account: transfers add to it, reversals take from it. */
  readonly balances = new Map<string, number>();
  readonly requests: RecordedRequest[] = [];
  private readonly idempotent = new Map<string, { fingerprint: string; status: number; body: unknown }>();
  private server: SetupServer | null = null;
  private eventCounter = 0;

  readonly baseUrl = `http://127.0.0.1:${stripeMockPort}`;

  /** Starts intercepting; any request no handler matches fails the test. */
  listen(): void {
    this.server = setupServer(...this.handlers());
    this.server.listen({ onUnhandledFrame: 'error' });
  }

  close(): void {
    this.server?.close();
  }

  /** Creates a Stripe adapter whose SDK sends every request to this mock. */
  adapter(): StripePaymentsAdapter {
    return new StripePaymentsAdapter({
      secretKey: stripeMockKey,
      host: '127.0.0.1',
      port: stripeMockPort,
      protocol: 'http',
      maxNetworkRetries: 0,
    });
  }

  requestsTo(method: string, pathPattern: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && pathPattern.test(r.path));
  }

  /** Confirms the card hold, as the payer's browser does through the Payment Element. */
  confirmCard(intentId: string): StripeObject {
    const intent = this.intents.get(intentId);
    if (!intent || intent.status !== 'requires_payment_method') {
      throw new Error(`PaymentIntent ${intentId} cannot be confirmed from ${String(intent?.status)}`);
    }
    Object.assign(intent, { status: 'requires_capture', amount_capturable: intent.amount });

    return structuredClone(intent);
  }

  /** Activates transfers on an account, as finishing Express onboarding does. */
  activateAccount(accountId: string): StripeObject {
    const account = this.accounts.get(accountId)!;
    Object.assign(account, {
      capabilities: { transfers: 'active' },
      charges_enabled: true,
      payouts_enabled: true,
      details_submitted: true,
    });

    return structuredClone(account);
  }

  /** Empties an account's balance, as Stripe's automatic payout to the trader's bank does. */
  payOutToBank(accountId: string): void {
    this.balances.set(accountId, 0);
  }

  /** Builds an event as Stripe delivers it, with a fresh `evt_` id unless one is given. */
  event(type: string, object: StripeObject, id?: string): Stripe.Event {
    this.eventCounter += 1;

    return {
      id: id ?? newId('evt'),
      object: 'event',
      api_version: Stripe.API_VERSION,
      created: Math.floor(Date.now() / 1000) + this.eventCounter,
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    } as unknown as Stripe.Event;
  }

  /** Signs an event with `secret`, returning the body and the Stripe-Signature header. */
  signedDelivery(event: Stripe.Event, secret = stripeMockWebhookSecret) {
    const payload = JSON.stringify(event, null, 2);
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret });

    return { payload, signature };
  }

  private handlers() {
    const url = (path: string) => `${this.baseUrl}${path}`;
    const post = (path: string, create: (params: Record<string, unknown>, id?: string) => Response) =>
      http.post(url(path), async ({ request, params }) => {
        const denied = this.checkKey(request);
        if (denied) {
          return denied;
        }
        const body = parseForm(await request.text());
        const pathname = new URL(request.url).pathname;
        const key = request.headers.get('idempotency-key');
        const fingerprint = `POST ${pathname} ${JSON.stringify(body)}`;
        const seen = key ? this.idempotent.get(key) : undefined;
        this.requests.push({ method: 'POST', path: pathname, params: body, idempotencyKey: key, replayed: !!seen });
        if (seen) {
          if (seen.fingerprint !== fingerprint) {
            return stripeError(400, 'idempotency_key_in_use',
              'Keys for idempotent requests can only be used with the same parameters they were first used with.');
          }

          return HttpResponse.json(seen.body as Record<string, unknown>, {
            status: seen.status,
            headers: { 'idempotent-replayed': 'true' },
          });
        }

        const response = create(body, typeof params.id === 'string' ? params.id : undefined);
        if (key) {
          const clone = response.clone();
          this.idempotent.set(key, { fingerprint, status: clone.status, body: await clone.json() });
        }

        return response;
      });
    const get = (path: string, store: Map<string, StripeObject>, kind: string) =>
      http.get(url(path), ({ request, params }) => {
        const denied = this.checkKey(request);
        if (denied) {
          return denied;
        }
        const pathname = new URL(request.url).pathname;
        this.requests.push({ method: 'GET', path: pathname, params: {}, idempotencyKey: null, replayed: false });
        const found = store.get(String(params.id));

        return found
          ? HttpResponse.json(found)
          : stripeError(404, 'resource_missing', `No such ${kind}: '${String(params.id)}'`);
      });

    return [
      post('/v1/payment_intents', (p) => this.createIntent(p)),
      get('/v1/payment_intents/:id', this.intents, 'payment_intent'),
      post('/v1/payment_intents/:id/capture', (_p, id) => this.moveIntent(id!, ['requires_capture'], 'succeeded')),
      post('/v1/payment_intents/:id/cancel', (_p, id) =>
        this.moveIntent(id!, ['requires_payment_method', 'requires_confirmation', 'requires_action', 'requires_capture'], 'canceled')),
      post('/v1/refunds', (p) => this.createRefund(p)),
      post('/v1/transfers', (p) => this.createTransfer(p)),
      post('/v1/transfers/:id/reversals', (p, id) => this.reverseTransfer(id!, p)),
      post('/v1/accounts', (p) => this.createAccount(p)),
      get('/v1/accounts/:id', this.accounts, 'account'),
      post('/v1/account_links', (p) => HttpResponse.json({
        object: 'account_link',
        created: Math.floor(Date.now() / 1000),
        expires_at: Math.floor(Date.now() / 1000) + 300,
        url: `https://connect.stripe.com/setup/e/${String(p.account)}/${randomBytes(6).toString('hex')}`,
      })),
    ];
  }

  private checkKey(request: Request): Response | null {
    if (request.headers.get('authorization') !== `Bearer ${stripeMockKey}`) {
      return HttpResponse.json(
        { error: { type: 'invalid_request_error', message: 'Invalid API Key provided.' } },
        { status: 401 },
      );
    }

    return null;
  }

  private createIntent(p: Record<string, unknown>): Response {
    const amount = Number(p.amount);
    if (!Number.isInteger(amount) || amount < 50) {
      return stripeError(400, 'amount_too_small', 'Amount must be at least 50 cents.');
    }
    const id = newId('pi');
    const intent: StripeObject = {
      id,
      object: 'payment_intent',
      amount,
      amount_capturable: 0,
      amount_received: 0,
      capture_method: p.capture_method ?? 'automatic_async',
      client_secret: `${id}_secret_${randomBytes(8).toString('hex')}`,
      currency: p.currency,
      customer: p.customer ?? null,
      created: Math.floor(Date.now() / 1000),
      latest_charge: null,
      livemode: false,
      metadata: p.metadata ?? {},
      status: 'requires_payment_method',
    };
    this.intents.set(id, intent);

    return HttpResponse.json(intent);
  }

  private moveIntent(id: string, from: string[], to: string): Response {
    const intent = this.intents.get(id);
    if (!intent) {
      return stripeError(404, 'resource_missing', `No such payment_intent: '${id}'`);
    }
    if (!from.includes(String(intent.status))) {
      return stripeError(400, 'payment_intent_unexpected_state',
        `This PaymentIntent's status is ${String(intent.status)}, so it cannot become ${to}.`);
    }
    Object.assign(intent, { status: to, amount_capturable: 0 });
    if (to === 'succeeded') {
      Object.assign(intent, { amount_received: intent.amount, latest_charge: newId('ch') });
    }

    return HttpResponse.json(intent);
  }

  private createRefund(p: Record<string, unknown>): Response {
    const intent = this.intents.get(String(p.payment_intent));
    if (!intent || intent.status !== 'succeeded') {
      return stripeError(400, 'charge_not_refundable', 'Only a captured PaymentIntent can be refunded.');
    }
    const refund: StripeObject = {
      id: newId('re'),
      object: 'refund',
      amount: p.amount === undefined ? intent.amount : Number(p.amount),
      currency: intent.currency,
      payment_intent: intent.id,
      charge: intent.latest_charge,
      status: 'succeeded',
    };
    this.refunds.set(refund.id, refund);

    return HttpResponse.json(refund);
  }

  private createTransfer(p: Record<string, unknown>): Response {
    const account = this.accounts.get(String(p.destination));
    const capabilities = account?.capabilities as { transfers?: string } | undefined;
    if (!account || capabilities?.transfers !== 'active') {
      return stripeError(400, 'insufficient_capabilities_for_transfer',
        'Your destination account needs to have the transfers capability enabled.');
    }
    const transfer: StripeObject = {
      id: newId('tr'),
      object: 'transfer',
      amount: Number(p.amount),
      amount_reversed: 0,
      currency: p.currency,
      destination: account.id,
      transfer_group: p.transfer_group ?? null,
      reversed: false,
    };
    this.transfers.set(transfer.id, transfer);
    this.balances.set(account.id as string, (this.balances.get(account.id as string) ?? 0) + Number(p.amount));

    return HttpResponse.json(transfer);
  }

  private reverseTransfer(id: string, p: Record<string, unknown>): Response {
    const transfer = this.transfers.get(id);
    if (!transfer) {
      return stripeError(404, 'resource_missing', `No such transfer: '${id}'`);
    }
    const amount = p.amount === undefined ? Number(transfer.amount) : Number(p.amount);
    const account = String(transfer.destination);
    const balance = this.balances.get(account) ?? 0;
    if (amount > balance) {
      return stripeError(400, 'balance_insufficient',
        'Insufficient funds in Stripe account. The connected account cannot cover this reversal.');
    }
    this.balances.set(account, balance - amount);
    Object.assign(transfer, { amount_reversed: amount, reversed: amount === transfer.amount });

    return HttpResponse.json({ id: newId('trr'), object: 'transfer_reversal', amount, transfer: id });
  }

  private createAccount(p: Record<string, unknown>): Response {
    const account: StripeObject = {
      id: newId('acct'),
      object: 'account',
      type: p.type,
      email: p.email ?? null,
      capabilities: { transfers: 'inactive' },
      charges_enabled: false,
      payouts_enabled: false,
      details_submitted: false,
      metadata: p.metadata ?? {},
    };
    this.accounts.set(account.id, account);

    return HttpResponse.json(account);
  }
}
