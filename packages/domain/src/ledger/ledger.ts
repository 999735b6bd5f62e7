import type { LedgerAccount, LedgerUnit, Tx } from '@ts/db';

export interface LedgerLine {
  account: LedgerAccount;
  userId: string | null;
  unit: LedgerUnit;
  amountMinor: number;
}

/**
 * Writes one journal of ledger rows. The rows must sum to zero per unit, or nothing is written:
 * an unbalanced journal is a programming error, never a user error.
 */
export async function postJournal(
  tx: Tx,
  journal: { kind: string; tradeId?: string; memo?: string; lines: LedgerLine[] },
): Promise<string> {
  assertBalanced(journal.lines);

  const created = await tx.ledgerJournal.create({
    data: {
      kind: journal.kind,
      tradeId: journal.tradeId ?? null,
      memo: journal.memo ?? null,
      entries: { create: journal.lines.filter((line) => line.amountMinor !== 0) },
    },
    select: { id: true },
  });

  return created.id;
}

export function assertBalanced(lines: LedgerLine[]): void {
  const totals = new Map<LedgerUnit, number>();
  for (const line of lines) {
    if (!Number.isInteger(line.amountMinor)) {
      throw new Error(`Ledger amount must be an integer of minor units, got ${line.amountMinor}`);
    }
    totals.set(line.unit, (totals.get(line.unit) ?? 0) + line.amountMinor);
  }
  for (const [unit, total] of totals) {
    if (total !== 0) {
      throw new Error(`Ledger journal is unbalanced by ${total} ${unit}`);
    }
  }
}

/** A trader's balance in one unit: the sum of their ledger rows. */
export async function balanceOf(tx: Tx, userId: string, unit: LedgerUnit): Promise<number> {
  const result = await tx.ledgerEntry.aggregate({
    where: { userId, unit },
    _sum: { amountMinor: true },
  });

  return result._sum.amountMinor ?? 0;
}
