import Stripe from 'stripe';

import type {
  ConnectedAccount,
  PaymentsAdapter,
  ProviderResult,
  TopUpAuthorization,
  TopUpStatus,
} from './adapter.ts';
import { idempotencyKeys, ProviderRejection } from './adapter.ts';

export interface StripeAdapterOptions {
  secretKey: string;
  publishableKey?: string | null;
  /** Overrides of where the SDK sends requests; tests point it at a loopback port. */
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
  maxNetworkRetries?: number;
}

/** Turns Stripe's final refusals into ProviderRejection; other errors pass unchanged. */
async function rejectionsNamed<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const status = error instanceof Stripe.errors.StripeError ? error.statusCode : undefined;
    const retryable = status === undefined || status >= 500 || status === 409 || status === 429;
    if (!retryable && error instanceof Stripe.errors.StripeError) {
      throw new ProviderRejection(error.message, error.code);
    }
    throw error;
  }
}

function authorizationOf(intent: Stripe.PaymentIntent, testMode: boolean): TopUpAuthorization {
  return {
    providerPaymentId: intent.id,
    clientSecret: intent.client_secret,
    status: intent.status as TopUpStatus,
    amountMinor: intent.amount,
    currency: intent.currency,
    testMode,
  };
}

/** Top-ups, transfers and Connect accounts through the official `stripe` SDK. */
export class StripePaymentsAdapter implements PaymentsAdapter {
  readonly provider = 'stripe' as const;
  /** Stripe's test keys start with sk_test_; live keys with sk_live_. */
  readonly testMode: boolean;
  readonly publishableKey: string | null;
  private readonly stripe: Stripe;

  constructor(options: StripeAdapterOptions) {
    this.testMode = !options.secretKey.startsWith('sk_live_');
    this.publishableKey = options.publishableKey ?? null;
    this.stripe = new Stripe(options.secretKey, {
      host: options.host,
      port: options.port,
      protocol: options.protocol,
      maxNetworkRetries: options.maxNetworkRetries ?? 2,
      timeout: 20_000,
    });
  }

  async ensureConnectedAccount(
    user: { id: string; email: string; accountId: string | null },
    urls: { refreshUrl: string; returnUrl: string },
  ): Promise<ConnectedAccount> {
    const account = user.accountId
      ? await this.stripe.accounts.retrieve(user.accountId)
      : await this.stripe.accounts.create(
          {
            type: 'express',
            email: user.email,
            capabilities: { transfers: { requested: true } },
            metadata: { userId: user.id },
          },
          { idempotencyKey: idempotencyKeys.account(user.id) },
        );
    // An account link is single-use and expires within minutes, so each request makes a new one.
    const link = await this.stripe.accountLinks.create({
      account: account.id,
      refresh_url: urls.refreshUrl,
      return_url: urls.returnUrl,
      type: 'account_onboarding',
    });

    return {
      accountId: account.id,
      onboardingUrl: link.url,
      transfersEnabled: account.capabilities?.transfers === 'active',
      testMode: this.testMode,
    };
  }

  async authorizeTopUp(input: {
    paymentId: string;
    amountMinor: number;
    currency: string;
    customerId?: string | null;
    idempotencyKey: string;
    metadata: Record<string, string>;
  }): Promise<TopUpAuthorization> {
    const intent = await this.stripe.paymentIntents.create(
      {
        amount: input.amountMinor,
        currency: input.currency,
        capture_method: 'manual',
        automatic_payment_methods: { enabled: true },
        ...(input.customerId ? { customer: input.customerId } : {}),
        metadata: { ...input.metadata, paymentId: input.paymentId },
      },
      { idempotencyKey: input.idempotencyKey },
    );

    return authorizationOf(intent, this.testMode);
  }

  async retrieveTopUp(providerPaymentId: string): Promise<TopUpAuthorization> {
    return authorizationOf(await this.stripe.paymentIntents.retrieve(providerPaymentId), this.testMode);
  }

  async capture(input: { providerPaymentId: string; idempotencyKey: string }): Promise<ProviderResult> {
    const intent = await this.stripe.paymentIntents.capture(
      input.providerPaymentId,
      {},
      { idempotencyKey: input.idempotencyKey },
    );

    return { status: intent.status, testMode: this.testMode };
  }

  async cancel(input: { providerPaymentId: string; idempotencyKey: string }): Promise<ProviderResult> {
    const intent = await this.stripe.paymentIntents.cancel(
      input.providerPaymentId,
      {},
      { idempotencyKey: input.idempotencyKey },
    );

    return { status: intent.status, testMode: this.testMode };
  }

  async refund(input: { providerPaymentId: string; amountMinor?: number; idempotencyKey: string }) {
    const refund = await this.stripe.refunds.create(
      {
        payment_intent: input.providerPaymentId,
        ...(input.amountMinor === undefined ? {} : { amount: input.amountMinor }),
      },
      { idempotencyKey: input.idempotencyKey },
    );

    return { status: refund.status ?? 'pending', refundId: refund.id, testMode: this.testMode };
  }

  async transfer(input: {
    destinationAccountId: string;
    amountMinor: number;
    currency: string;
    transferGroup: string;
    idempotencyKey: string;
  }) {
    const transfer = await rejectionsNamed(() =>
      this.stripe.transfers.create(
        {
          amount: input.amountMinor,
          currency: input.currency,
          destination: input.destinationAccountId,
          transfer_group: input.transferGroup,
        },
        { idempotencyKey: input.idempotencyKey },
      ));

    return { providerTransferId: transfer.id, testMode: this.testMode };
  }

  async reverseTransfer(input: { providerTransferId: string; amountMinor?: number; idempotencyKey: string }) {
    // A connected account that already paid the money out to its bank rejects the reversal
    // with balance_insufficient. That is final, so the caller records the shortfall as debt.
    const reversal = await rejectionsNamed(() =>
      this.stripe.transfers.createReversal(
        input.providerTransferId,
        input.amountMinor === undefined ? {} : { amount: input.amountMinor },
        { idempotencyKey: input.idempotencyKey },
      ));

    return { reversalId: reversal.id, testMode: this.testMode };
  }
}

/** Checks a delivery's Stripe-Signature header against the endpoint secret; throws when invalid. */
export function verifyStripeWebhook(rawBody: Buffer, signature: string, secret: string): Stripe.Event {
  return Stripe.webhooks.constructEvent(rawBody, signature, secret);
}

export type StripeEvent = Stripe.Event;
