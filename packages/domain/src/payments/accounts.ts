import { requireVerifiedTrader } from '../accounts/kyc.ts';
import { appendAudit } from '../audit/audit.ts';
import type { OperationOptions } from '../context.ts';
import { DomainError } from '../errors.ts';
import { startTopUp } from './topup.ts';
import { queuePendingPayouts } from './trade-payments.ts';

/**
 * Gives the trader a connected account for payouts and a link to finish onboarding. In test
 * mode the account can receive transfers at once, so pending payouts are queued now. With
 * Stripe they are queued when the `account.updated` webhook reports transfers active.
 */
export async function connectPayoutAccount(
  { services, actor, meta }: OperationOptions,
  urls: { refreshUrl: string; returnUrl: string },
) {
  await requireVerifiedTrader(services, actor.userId);
  const user = await services.prisma.user.findUniqueOrThrow({
    where: { id: actor.userId },
    select: { id: true, email: true, stripeAccountId: true },
  });
  const account = await services.payments.ensureConnectedAccount(
    { id: user.id, email: user.email, accountId: user.stripeAccountId },
    urls,
  );

  const queuedPayouts = await services.prisma.$transaction(async (tx) => {
    if (!user.stripeAccountId) {
      const saved = await tx.user.updateMany({
        where: { id: user.id, stripeAccountId: null },
        data: { stripeAccountId: account.accountId },
      });
      if (saved.count === 1) {
        await appendAudit(tx, {
          actorId: actor.userId,
          actorRole: actor.role,
          action: 'payments.account_connected',
          entityType: 'User',
          entityId: user.id,
          data: { testMode: account.testMode },
          requestId: meta.requestId,
        });
      }
    }

    return account.transfersEnabled ? queuePendingPayouts(tx, services, user.id) : 0;
  });
  services.logger.info(
    { requestId: meta.requestId, userId: user.id, queuedPayouts, testMode: account.testMode },
    'payout account connected',
  );

  return {
    onboardingUrl: account.onboardingUrl,
    transfersEnabled: account.transfersEnabled,
    queuedPayouts,
    testMode: account.testMode,
  };
}

/** Returns the payer's top-up for a proposal, creating the card hold request if needed. */
export async function requestTopUp({ services, actor, meta }: OperationOptions, proposalId: string) {
  const proposal = await services.prisma.proposal.findUnique({
    where: { id: proposalId },
    select: { payerId: true },
  });
  if (!proposal || proposal.payerId !== actor.userId) {
    throw new DomainError('NOT_FOUND', 'No top-up is due from you on this proposal.', { proposalId });
  }

  return startTopUp(services, proposalId, meta.requestId);
}

/** The trader's top-ups, payouts and open debts, newest first. */
export async function listMyCash({ services, actor }: OperationOptions) {
  const [payments, payouts, debts] = await Promise.all([
    services.prisma.payment.findMany({
      where: { payerId: actor.userId },
      select: {
        id: true,
        tradeId: true,
        amountMinor: true,
        currency: true,
        state: true,
        authorizedAt: true,
        capturedAt: true,
      },
      orderBy: { createdAt: 'desc' },
      take: 100,
    }),
    services.prisma.payout.findMany({
      where: { userId: actor.userId },
      select: {
        id: true,
        tradeId: true,
        amountMinor: true,
        withheldMinor: true,
        currency: true,
        state: true,
        availableAt: true,
        holdReason: true,
        createdAt: true,
      },
      orderBy: { createdAt: 'desc' },
      take: 100,
    }),
    services.prisma.traderDebt.findMany({
      where: { userId: actor.userId, state: 'OPEN' },
      select: { id: true, tradeId: true, amountMinor: true, recoveredMinor: true, currency: true, createdAt: true },
      orderBy: { createdAt: 'asc' },
    }),
  ]);

  return { payments, payouts, debts, testMode: services.payments.testMode };
}
