import type { PaymentState, Tx } from '@ts/db';

import type { OperationOptions, Services } from '../context.ts';
import { DomainError } from '../errors.ts';
import { valueGap } from '../matching/score.ts';
import { capToFaceValue } from '../valuation/face-value-cap.ts';
import { openTrade } from '../trades/escrow.ts';
import { idempotencyKeys, type TopUpStatus } from './adapter.ts';
import { cancelUnusedTopUpJob } from './jobs.ts';

/** Top-ups are charged in US dollars; one credit is worth one dollar, so cents = credit minor units. */
export const topUpCurrency = 'usd';

interface PricedTicket {
  id: string;
  ownerId: string;
  valueMinor: number | null;
  faceValueMinor: number | null;
}

export interface CashTerms {
  gap: number;
  cashDiffMinor: number;
  payerId: string | null;
}

/**
 * Works out the cash a direct proposal needs. Within the matching tolerance there is none.
 * Beyond it, the owner of the lower-valued ticket pays the difference, up to `maxCashGap`.
 * The payer then pays, in ticket and cash together, the higher-valued ticket's full value, so
 * that value must not exceed the face-value cap of the seller's jurisdiction.
 */
export async function cashTermsFor(
  tx: Tx,
  services: Services,
  offered: PricedTicket,
  wanted: PricedTicket,
): Promise<CashTerms> {
  const offeredValue = offered.valueMinor ?? 0;
  const wantedValue = wanted.valueMinor ?? 0;
  const gap = valueGap(offeredValue, wantedValue);
  const { matchTolerance, maxCashGap } = services.config;
  if (gap <= matchTolerance) {
    return { gap, cashDiffMinor: 0, payerId: null };
  }
  if (gap > maxCashGap) {
    throw new DomainError(
      'INVALID_INPUT',
      `The two tickets differ in value by ${(gap * 100).toFixed(1)} %, more than the ` +
        `${(maxCashGap * 100).toFixed(0)} % a swap with a cash top-up allows.`,
    );
  }

  const [lower, higher] = offeredValue < wantedValue ? [offered, wanted] : [wanted, offered];
  const cashDiffMinor = (higher.valueMinor ?? 0) - (lower.valueMinor ?? 0);
  const seller = await tx.user.findUniqueOrThrow({
    where: { id: higher.ownerId },
    select: { jurisdiction: true },
  });
  const rule = await tx.jurisdictionRule.findUnique({
    where: { code: seller.jurisdiction },
    select: { maxPercentOfFace: true },
  });
  const toppedUpMinor = (lower.valueMinor ?? 0) + cashDiffMinor;
  const cap = capToFaceValue({
    valueMinor: toppedUpMinor,
    faceValueMinor: higher.faceValueMinor,
    maxPercentOfFace: rule?.maxPercentOfFace ?? null,
  });
  if (cap.capped) {
    throw new DomainError(
      'VALUE_OVER_CAP',
      `A ticket plus a $${(cashDiffMinor / 100).toFixed(2)} top-up would pay ` +
        `$${(toppedUpMinor / 100).toFixed(2)} for a ticket that may change hands for at most ` +
        `$${((cap.capMinor ?? 0) / 100).toFixed(2)} where it is sold.`,
      { capMinor: cap.capMinor, toppedUpMinor },
    );
  }

  return { gap, cashDiffMinor, payerId: lower.ownerId };
}

export interface TopUpView {
  proposalId: string;
  providerPaymentId: string;
  /** For the payer's browser to confirm with Stripe's Payment Element; null in test mode. */
  clientSecret: string | null;
  status: TopUpStatus;
  amountMinor: number;
  currency: string;
  /** The trade the authorization opened, once it has. */
  tradeId: string | null;
  testMode: boolean;
}

async function loadProposalForTopUp(tx: Tx, proposalId: string) {
  return tx.proposal.findUnique({
    where: { id: proposalId },
    select: {
      id: true,
      state: true,
      expiresAt: true,
      cashDiffMinor: true,
      payerId: true,
      legs: { select: { acceptedAt: true } },
      trade: {
        select: { id: true, payments: { select: { providerPaymentId: true, state: true } } },
      },
    },
  });
}

const statusOfPayment: Record<PaymentState, TopUpStatus> = {
  REQUIRES_PAYMENT_METHOD: 'requires_payment_method',
  AUTHORIZED: 'requires_capture',
  CAPTURED: 'succeeded',
  CANCELLED: 'canceled',
  REFUNDED: 'succeeded',
  FAILED: 'requires_payment_method',
};

/**
 * Asks the processor to hold the top-up of a fully accepted proposal on the payer's card. The
 * idempotency key is the proposal's, so asking again returns the same PaymentIntent and client
 * secret. When the hold is in place at once (test mode, or a saved card), the trade opens
 * before this returns; otherwise the `amount_capturable_updated` webhook opens it.
 */
export async function startTopUp(services: Services, proposalId: string, requestId: string) {
  const proposal = await loadProposalForTopUp(services.prisma, proposalId);
  if (!proposal) {
    throw new DomainError('NOT_FOUND', 'Proposal not found.', { proposalId });
  }
  if (proposal.cashDiffMinor <= 0 || !proposal.payerId) {
    throw new DomainError('INVALID_INPUT', 'This proposal needs no cash top-up.');
  }
  const openedTradeId = proposal.trade?.id ?? null;
  if (!openedTradeId) {
    if (proposal.state !== 'OPEN' || proposal.expiresAt <= services.now()) {
      throw new DomainError('PROPOSAL_CLOSED', 'This proposal is no longer open.');
    }
    if (!proposal.legs.every((leg) => leg.acceptedAt)) {
      throw new DomainError('PROPOSAL_CLOSED', 'The top-up is due once both sides accept.');
    }
  }

  const payer = await services.prisma.user.findUniqueOrThrow({
    where: { id: proposal.payerId },
    select: { stripeCustomerId: true },
  });
  const authorization = await services.payments.authorizeTopUp({
    paymentId: proposal.id,
    amountMinor: proposal.cashDiffMinor,
    currency: topUpCurrency,
    customerId: payer.stripeCustomerId,
    idempotencyKey: idempotencyKeys.topUp(proposal.id),
    metadata: { proposalId: proposal.id, payerId: proposal.payerId },
  });
  services.logger.info(
    {
      requestId,
      proposalId,
      providerPaymentId: authorization.providerPaymentId,
      status: authorization.status,
      testMode: authorization.testMode,
    },
    'top-up authorization requested',
  );

  let tradeId = openedTradeId;
  if (!tradeId && authorization.status === 'requires_capture') {
    const outcome = await services.prisma.$transaction((tx) =>
      applyTopUpAuthorized(tx, services, {
        proposalId: proposal.id,
        providerPaymentId: authorization.providerPaymentId,
        amountMinor: authorization.amountMinor,
        currency: authorization.currency,
        requestId,
      }),
    );
    tradeId = outcome.tradeId;
  }

  // A replayed authorization returns the processor's first response, so once the trade exists
  // the stored payment state is the current one.
  const stored = proposal.trade?.payments[0]?.state;
  const view: TopUpView = {
    proposalId: proposal.id,
    providerPaymentId: authorization.providerPaymentId,
    clientSecret: authorization.clientSecret,
    status: stored ? statusOfPayment[stored] : authorization.status,
    amountMinor: authorization.amountMinor,
    currency: authorization.currency,
    tradeId,
    testMode: authorization.testMode,
  };

  return view;
}

export type TopUpOutcome =
  | { result: 'opened'; tradeId: string }
  | { result: 'already-applied'; tradeId: string }
  | { result: 'unused'; tradeId: null; reason: string };

/**
 * Applies a card hold to its proposal inside the caller's transaction. If the proposal is still
 * open, fully accepted and the amount matches, the trade opens with the payment AUTHORIZED, all
 * in this one transaction. A hold that can no longer open a trade (the proposal expired, was
 * rejected, or another hold opened it) is queued for cancellation in the same transaction.
 */
export async function applyTopUpAuthorized(
  tx: Tx,
  services: Services,
  input: {
    proposalId: string;
    providerPaymentId: string;
    amountMinor: number;
    currency: string;
    requestId: string;
  },
): Promise<TopUpOutcome> {
  await tx.$queryRaw`SELECT id FROM "Proposal" WHERE id = ${input.proposalId}::uuid FOR UPDATE`;
  const proposal = await loadProposalForTopUp(tx, input.proposalId);
  const trade = proposal?.trade;
  if (trade?.payments.some((p) => p.providerPaymentId === input.providerPaymentId)) {
    return { result: 'already-applied', tradeId: trade.id };
  }

  const reason = !proposal
    ? 'proposal not found'
    : proposal.state !== 'OPEN'
      ? `proposal ${proposal.state.toLowerCase()}`
      : proposal.expiresAt <= services.now()
        ? 'proposal expired'
        : !proposal.legs.every((leg) => leg.acceptedAt)
          ? 'proposal not accepted by every side'
          : proposal.cashDiffMinor !== input.amountMinor || input.currency !== topUpCurrency
            ? 'amount differs from the proposal'
            : null;
  if (reason !== null || !proposal?.payerId) {
    services.logger.warn(
      { requestId: input.requestId, proposalId: input.proposalId, reason },
      'card hold cannot open a trade; cancelling it',
    );
    await services.jobs.send(
      cancelUnusedTopUpJob,
      { proposalId: input.proposalId, providerPaymentId: input.providerPaymentId },
      { tx, singletonKey: input.providerPaymentId },
    );

    return { result: 'unused', tradeId: null, reason: reason ?? 'proposal has no payer' };
  }

  const payer = await tx.user.findUniqueOrThrow({
    where: { id: proposal.payerId },
    select: { id: true, role: true, kycStatus: true },
  });
  const options: OperationOptions = {
    services,
    actor: { userId: payer.id, role: payer.role, kycStatus: payer.kycStatus, sessionId: 'payments' },
    meta: { requestId: input.requestId, ipAddress: 'payments' },
  };
  const tradeId = await openTrade(tx, options, proposal.id, {
    providerPaymentId: input.providerPaymentId,
    amountMinor: input.amountMinor,
    currency: input.currency,
  });

  return { result: 'opened', tradeId };
}

/** Cancels a card hold that could not open a trade; safe to run again. */
export async function cancelUnusedTopUp(
  services: Services,
  input: { proposalId: string; providerPaymentId: string },
): Promise<void> {
  const used = await services.prisma.payment.findUnique({
    where: { providerPaymentId: input.providerPaymentId },
    select: { id: true },
  });
  if (used) {
    return;
  }

  try {
    await services.payments.cancel({
      providerPaymentId: input.providerPaymentId,
      idempotencyKey: idempotencyKeys.cancelUnused(input.proposalId, input.providerPaymentId),
    });
  } catch (error) {
    // Cancelling twice fails at Stripe; a hold that is already cancelled is the goal reached.
    const current = await services.payments.retrieveTopUp(input.providerPaymentId);
    if (current.status !== 'canceled') {
      throw error;
    }
  }
}

/** Seconds a fully accepted top-up proposal may wait for its hold before the sweep retries it. */
const pendingTopUpGraceSeconds = 60;

/**
 * Requests the hold again for open proposals that every side accepted but that have no trade,
 * which happens when the process stopped between the last acceptance and the hold. The request
 * is idempotent, so a proposal whose hold is merely slow gets the same PaymentIntent back.
 * Returns how many proposals it retried.
 */
export async function resumePendingTopUps(services: Services): Promise<number> {
  const cutoff = new Date(services.now().getTime() - pendingTopUpGraceSeconds * 1000);
  const stalled = await services.prisma.proposal.findMany({
    where: {
      state: 'OPEN',
      cashDiffMinor: { gt: 0 },
      expiresAt: { gt: services.now() },
      trade: null,
      legs: { every: { acceptedAt: { not: null, lte: cutoff } } },
    },
    select: { id: true },
    take: 50,
  });

  for (const proposal of stalled) {
    try {
      await startTopUp(services, proposal.id, `sweep-${proposal.id}`);
    } catch (err) {
      services.logger.warn({ err, proposalId: proposal.id }, 'resuming a pending top-up failed');
    }
  }

  return stalled.length;
}
