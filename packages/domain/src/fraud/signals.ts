import type { Prisma, Tx } from '@ts/db';

/** Kinds of fraud signal the domain records; the fraud score adds up their weights. */
export type FraudSignalKind = 'duplicate_barcode' | 'reversal_debt';

/**
 * Weight of a rejected transfer reversal: the trader took cash for a ticket that a dispute later
 * found did not work, and their account no longer has it. A starting estimate, like the
 * barcode weights below.
 */
export const reversalDebtWeight = 0.5;

/**
 * Weight of a barcode that is already on the platform. From another account it is the pattern
 * of one ticket sold or swapped twice; from the same account it is usually a second photo of a
 * ticket the trader already uploaded. Both values are starting estimates, not fitted to data.
 */
export function duplicateBarcodeWeight(sameUploader: boolean): number {
  return sameUploader ? 0.1 : 0.6;
}

/**
 * Records one fraud signal for a user. `data` must carry ids only, never a barcode or other
 * personal data, because compliance staff read it in the fraud queue.
 */
export async function recordFraudSignal(
  tx: Tx,
  signal: { userId: string; kind: FraudSignalKind; weight: number; data: Prisma.InputJsonObject },
): Promise<void> {
  await tx.fraudSignal.create({
    data: {
      userId: signal.userId,
      kind: signal.kind,
      weight: signal.weight,
      data: signal.data,
    },
  });
}
