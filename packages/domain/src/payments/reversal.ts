// Taking a top-up back from its receiver when a dispute after completion undoes the ticket it
// paid for, and the debt left when their connected account cannot cover the reversal. Later
// payouts to that trader repay the debt before any cash reaches them.
import type { Tx } from '@ts/db';

import { appendAudit } from '../audit/audit.ts';
import { emitEvent } from '../audit/outbox.ts';
import type { Services } from '../context.ts';
import { recordFraudSignal, reversalDebtWeight } from '../fraud/signals.ts';
import { postJournal } from '../ledger/ledger.ts';
import { idempotencyKeys, ProviderRejection } from './adapter.ts';

export type ClawBackResult = 'none' | 'cancelled' | 'reversed' | 'debt';

/**
 * Takes the trade's top-up back from the receiver's cash into escrow, so the refund to the
 * payer can follow in the same transaction. A payout not yet paid is simply closed. A paid one
 * is reversed at the processor. What the connected account cannot cover stays on the trader's
 * cash account as a negative balance, recorded as a TraderDebt and flagged for compliance.
 * The caller holds the Payment row lock, and this function locks the Payout row.
 */
export async function clawBackPayout(
  tx: Tx,
  services: Services,
  tradeId: string,
): Promise<ClawBackResult> {
  const found = await tx.payout.findFirst({ where: { tradeId }, select: { id: true } });
  if (!found) {
    return 'none';
  }
  await tx.$queryRaw`SELECT id FROM "Payout" WHERE id = ${found.id}::uuid FOR UPDATE`;
  const payout = await tx.payout.findUniqueOrThrow({
    where: { id: found.id },
    select: {
      id: true,
      userId: true,
      state: true,
      amountMinor: true,
      withheldMinor: true,
      currency: true,
      providerTransferId: true,
    },
  });
  if (payout.state === 'REVERSED') {
    return 'none';
  }

  let recoveredMinor = 0;
  let result: ClawBackResult = 'cancelled';
  let providerReversalId: string | null = null;
  if (payout.state === 'PAID') {
    // The part withheld to repay an earlier debt never reached the account; only the rest can
    // come back from it.
    const transferredMinor = payout.amountMinor - payout.withheldMinor;
    const attempt = await reverseAtProvider(services, tradeId, payout, transferredMinor);
    providerReversalId = attempt.reversalId;
    recoveredMinor = attempt.reversalId ? transferredMinor : 0;
    result = recoveredMinor === payout.amountMinor ? 'reversed' : 'debt';
    if (recoveredMinor > 0) {
      await postJournal(tx, {
        kind: 'payout.reversed',
        tradeId,
        lines: [
          { account: 'CARD_CLEARING', userId: null, unit: 'USD', amountMinor: -recoveredMinor },
          { account: 'TRADER_CASH', userId: payout.userId, unit: 'USD', amountMinor: recoveredMinor },
        ],
      });
    }
  }

  await tx.payout.update({
    where: { id: payout.id },
    data: { state: 'REVERSED', reversedAt: services.now(), providerReversalId },
  });
  await postJournal(tx, {
    kind: 'topup.clawed_back',
    tradeId,
    lines: [
      { account: 'TRADER_CASH', userId: payout.userId, unit: 'USD', amountMinor: -payout.amountMinor },
      { account: 'ESCROW_CASH', userId: null, unit: 'USD', amountMinor: payout.amountMinor },
    ],
  });
  await appendAudit(tx, {
    actorId: null,
    action: 'payout.reversed',
    entityType: 'Payout',
    entityId: payout.id,
    data: { tradeId, userId: payout.userId, amountMinor: payout.amountMinor, recoveredMinor, providerReversalId },
  });

  const shortfall = payout.amountMinor - recoveredMinor;
  if (payout.state === 'PAID' && shortfall > 0) {
    await recordDebt(tx, services, { userId: payout.userId, tradeId, payoutId: payout.id, amountMinor: shortfall, currency: payout.currency });
  }

  return result;
}

async function reverseAtProvider(
  services: Services,
  tradeId: string,
  payout: { id: string; userId: string; providerTransferId: string | null },
  amountMinor: number,
): Promise<{ reversalId: string | null }> {
  if (!payout.providerTransferId || amountMinor <= 0) {
    return { reversalId: null };
  }
  try {
    const reversal = await services.payments.reverseTransfer({
      providerTransferId: payout.providerTransferId,
      amountMinor,
      idempotencyKey: idempotencyKeys.reverseTransfer(tradeId),
    });

    return { reversalId: reversal.reversalId };
  } catch (err) {
    if (!(err instanceof ProviderRejection)) {
      // Unknown outcome: the job retries with the same key and gets the same response.
      throw err;
    }
    services.logger.warn(
      { payoutId: payout.id, userId: payout.userId, code: err.code ?? null },
      'transfer reversal rejected; the shortfall becomes the trader’s debt',
    );

    return { reversalId: null };
  }
}

/** Records what a trader owes, raises a fraud signal and opens a case for compliance. */
async function recordDebt(
  tx: Tx,
  services: Services,
  debt: { userId: string; tradeId: string; payoutId: string; amountMinor: number; currency: string },
) {
  const created = await tx.traderDebt.create({
    data: { ...debt, reason: 'A dispute undid a paid trade and the transfer reversal was refused.' },
    select: { id: true },
  });
  const weight = reversalDebtWeight;
  await recordFraudSignal(tx, {
    userId: debt.userId,
    kind: 'reversal_debt',
    weight,
    data: { debtId: created.id, tradeId: debt.tradeId, amountMinor: debt.amountMinor },
  });
  const signals = await tx.fraudSignal.findMany({
    where: { userId: debt.userId },
    select: { kind: true, weight: true },
  });
  await tx.fraudCase.create({
    data: {
      userId: debt.userId,
      action: 'payout.reversal_refused',
      score: Math.min(1, signals.reduce((sum, s) => sum + s.weight, 0)),
      signals: signals.map((s) => ({ kind: s.kind, weight: s.weight })),
    },
  });
  await appendAudit(tx, {
    actorId: null,
    action: 'debt.recorded',
    entityType: 'User',
    entityId: debt.userId,
    data: { debtId: created.id, tradeId: debt.tradeId, payoutId: debt.payoutId, amountMinor: debt.amountMinor },
  });
  await emitEvent(tx, { type: 'User', id: debt.userId }, {
    type: 'debt.recorded',
    version: 1,
    debtId: created.id,
    tradeId: debt.tradeId,
    amountMinor: debt.amountMinor,
    userIds: [debt.userId],
  });
  services.logger.warn({ debtId: created.id, userId: debt.userId, tradeId: debt.tradeId }, 'trader debt recorded');
}

/** Sums what the trader still owes across their open debts. */
export async function outstandingDebtMinor(tx: Tx, userId: string): Promise<number> {
  const open = await tx.traderDebt.findMany({
    where: { userId, state: 'OPEN' },
    select: { amountMinor: true, recoveredMinor: true },
  });

  return open.reduce((sum, d) => sum + d.amountMinor - d.recoveredMinor, 0);
}

/**
 * Applies `amountMinor` withheld from a payout to the trader's open debts, oldest first, and
 * marks those it clears as SETTLED. The cash itself already sits on the trader's cash account,
 * which the debt had left negative, so no ledger row is needed.
 */
export async function repayDebts(
  tx: Tx,
  services: Services,
  userId: string,
  amountMinor: number,
  payoutId: string,
): Promise<void> {
  let left = amountMinor;
  const open = await tx.traderDebt.findMany({
    where: { userId, state: 'OPEN' },
    orderBy: { createdAt: 'asc' },
    select: { id: true, amountMinor: true, recoveredMinor: true },
  });
  for (const debt of open) {
    if (left <= 0) {
      break;
    }
    const applied = Math.min(left, debt.amountMinor - debt.recoveredMinor);
    const settled = debt.recoveredMinor + applied === debt.amountMinor;
    // Guarded by state: a debt written off meanwhile by an admin is not repaid.
    const updated = await tx.traderDebt.updateMany({
      where: { id: debt.id, state: 'OPEN' },
      data: {
        recoveredMinor: { increment: applied },
        ...(settled ? { state: 'SETTLED', settledAt: services.now() } : {}),
      },
    });
    if (updated.count === 0) {
      continue;
    }
    left -= applied;
    await appendAudit(tx, {
      actorId: null,
      action: settled ? 'debt.settled' : 'debt.repaid',
      entityType: 'User',
      entityId: userId,
      data: { debtId: debt.id, payoutId, appliedMinor: applied },
    });
  }
}
