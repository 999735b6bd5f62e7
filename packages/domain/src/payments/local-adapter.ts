import { createHash } from 'node:crypto';

import {
  type ConnectedAccount,
  type PaymentsAdapter,
  type ProviderResult,
  ProviderRejection,
  type TopUpAuthorization,
} from './adapter.ts';

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}

/**
 * An offline stand-in for the card processor, used when no Stripe key is configured. It
 * authorizes every top-up at once, needs no card, and every result carries `testMode: true`.
 * It keeps no state: ids are derived from the inputs, so every process returns the same ids.
 */
export class LocalTestPaymentsAdapter implements PaymentsAdapter {
  readonly provider = 'local' as const;
  readonly testMode = true;
  readonly publishableKey = null;

  /**
   * @param options.rejectReversal decides which transfer reversals fail as if the connected
   *   account had paid the money out to its bank already; by default none do.
   */
  constructor(private readonly options: { rejectReversal?: (providerTransferId: string) => boolean } = {}) {}

  async ensureConnectedAccount(
    user: { id: string; accountId: string | null },
    urls: { returnUrl: string },
  ): Promise<ConnectedAccount> {
    return {
      accountId: user.accountId ?? `acct_test_${shortHash(user.id)}`,
      onboardingUrl: urls.returnUrl,
      transfersEnabled: true,
      testMode: true,
    };
  }

  async authorizeTopUp(input: {
    paymentId: string;
    amountMinor: number;
    currency: string;
  }): Promise<TopUpAuthorization> {
    // The amount is part of the id so that retrieveTopUp can rebuild the object without state.
    const providerPaymentId = `pi_test_${input.paymentId.replaceAll('-', '')}_${input.amountMinor}`;

    return {
      providerPaymentId,
      clientSecret: null,
      status: 'requires_capture',
      amountMinor: input.amountMinor,
      currency: input.currency,
      testMode: true,
    };
  }

  async retrieveTopUp(providerPaymentId: string): Promise<TopUpAuthorization> {
    const amountMinor = Number(providerPaymentId.split('_').at(-1));

    return {
      providerPaymentId,
      clientSecret: null,
      status: 'requires_capture',
      amountMinor: Number.isInteger(amountMinor) ? amountMinor : 0,
      currency: 'usd',
      testMode: true,
    };
  }

  async capture(): Promise<ProviderResult> {
    return { status: 'succeeded', testMode: true };
  }

  async cancel(): Promise<ProviderResult> {
    return { status: 'canceled', testMode: true };
  }

  async refund(input: { idempotencyKey: string }): Promise<ProviderResult & { refundId: string }> {
    return { status: 'succeeded', refundId: `re_test_${shortHash(input.idempotencyKey)}`, testMode: true };
  }

  async transfer(input: { idempotencyKey: string }) {
    return { providerTransferId: `tr_test_${shortHash(input.idempotencyKey)}`, testMode: true };
  }

  async reverseTransfer(input: { providerTransferId: string; idempotencyKey: string }) {
    if (this.options.rejectReversal?.(input.providerTransferId)) {
      throw new ProviderRejection('Insufficient funds in the connected account.', 'balance_insufficient');
    }

    return { reversalId: `trr_test_${shortHash(input.idempotencyKey)}`, testMode: true };
  }
}
