import type { Tx } from '@ts/db';

import type { Services } from '../context.ts';

export const transfersRunJob = 'transfers.run';

/**
 * Enqueues a `transfers.run` job for each partner-API transfer of a new trade, inside the
 * transaction that opens it. Manual transfers need no job: people drive them.
 */
export async function schedulePartnerTransfers(tx: Tx, services: Services, tradeId: string) {
  const transfers = await tx.transfer.findMany({
    where: { tradeId, method: 'PARTNER_API' },
    select: { id: true },
  });
  for (const transfer of transfers) {
    await services.jobs.send(transfersRunJob, { transferId: transfer.id }, {
      tx,
      singletonKey: transfer.id,
    });
  }

  return transfers.length;
}
