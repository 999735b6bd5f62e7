// The boundary between the trade rules and a card processor. Every call that changes money at
// the processor takes an idempotency key derived from the trade (or proposal) and the step, so a
// retried job or request repeats the earlier result instead of charging or paying twice.

/** PaymentIntent statuses as Stripe names them; the local adapter uses the same words. */
export type TopUpStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'requires_capture'
  | 'succeeded'
  | 'canceled';

export interface ConnectedAccount {
  accountId: string;
  /** URL of the onboarding page; the local adapter returns the return URL. */
  onboardingUrl: string;
  /** True when transfers to the account can be made now (always true in test mode). */
  transfersEnabled: boolean;
  testMode: boolean;
}

export interface TopUpAuthorization {
  providerPaymentId: string;
  /** Handed to the payer's browser, which confirms it in Stripe's Payment Element. */
  clientSecret: string | null;
  status: TopUpStatus;
  amountMinor: number;
  currency: string;
  testMode: boolean;
}

export interface ProviderResult {
  status: string;
  testMode: boolean;
}

export interface PaymentsAdapter {
  readonly provider: 'stripe' | 'local';
  readonly testMode: boolean;
  /** The key the browser's Payment Element loads Stripe.js with; null in local test mode. */
  readonly publishableKey: string | null;

  /** Creates the trader's Express account when they have none, and an onboarding link. */
  ensureConnectedAccount(
    user: { id: string; email: string; accountId: string | null },
    urls: { refreshUrl: string; returnUrl: string },
  ): Promise<ConnectedAccount>;

  /** Creates a manual-capture PaymentIntent; `metadata` travels back in its webhooks. */
  authorizeTopUp(input: {
    paymentId: string;
    amountMinor: number;
    currency: string;
    customerId?: string | null;
    idempotencyKey: string;
    metadata: Record<string, string>;
  }): Promise<TopUpAuthorization>;

  /** Reads a PaymentIntent's current state; webhooks use it because they may arrive late. */
  retrieveTopUp(providerPaymentId: string): Promise<TopUpAuthorization>;

  capture(input: { providerPaymentId: string; idempotencyKey: string }): Promise<ProviderResult>;
  cancel(input: { providerPaymentId: string; idempotencyKey: string }): Promise<ProviderResult>;
  refund(input: {
    providerPaymentId: string;
    amountMinor?: number;
    idempotencyKey: string;
  }): Promise<ProviderResult & { refundId: string }>;

  transfer(input: {
    destinationAccountId: string;
    amountMinor: number;
    currency: string;
    transferGroup: string;
    idempotencyKey: string;
  }): Promise<{ providerTransferId: string; testMode: boolean }>;

  reverseTransfer(input: {
    providerTransferId: string;
    amountMinor?: number;
    idempotencyKey: string;
  }): Promise<{ reversalId: string; testMode: boolean }>;
}

/**
 * A final rejection by the processor: a 4xx response other than a rate limit or a
 * concurrent-use conflict. Stripe's v1 API saves the first response under an idempotency key
 * once the endpoint starts executing, errors included (docs.stripe.com/api/idempotent_requests).
 * So a later attempt needs a new key. Any other error may be retried with the same key.
 */
export class ProviderRejection extends Error {
  readonly code: string | undefined;

  constructor(message: string, code?: string) {
    super(message);
    this.name = 'ProviderRejection';
    this.code = code;
  }
}

/** Idempotency keys: one per trade (or proposal) and step, e.g. `trade:<id>:capture`. */
export const idempotencyKeys = {
  topUp: (proposalId: string) => `proposal:${proposalId}:authorize`,
  cancelUnused: (proposalId: string, providerPaymentId: string) =>
    `proposal:${proposalId}:cancel:${providerPaymentId}`,
  capture: (tradeId: string) => `trade:${tradeId}:capture`,
  cancel: (tradeId: string) => `trade:${tradeId}:cancel`,
  refund: (tradeId: string) => `trade:${tradeId}:refund`,
  /** `attempt` counts earlier rejected transfers, each of which used up its key. */
  transfer: (tradeId: string, userId: string, attempt: number) =>
    `trade:${tradeId}:transfer:${userId}${attempt > 0 ? `:retry-${attempt}` : ''}`,
  reverseTransfer: (tradeId: string) => `trade:${tradeId}:reverse-transfer`,
  account: (userId: string) => `user:${userId}:account`,
};
