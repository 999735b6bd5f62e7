// Test helpers: opens real trades through the tRPC callers. For integration tests only.
import type { TransferMethod } from '@ts/db';

import { listedTicket, type TestEvent } from '../testing/fixtures.ts';
import type { Harness } from '../testing/harness.ts';

let counter = 0;

/**
 * Lists one ticket for each of two new traders and has both accept a swap, so a trade opens
 * in escrow. `aliceMethod` sets how alice's ticket is transferred before the trade opens.
 */
export async function openTestTrade(
  h: Harness,
  events: { give: TestEvent; take: TestEvent },
  options: { aliceMethod?: TransferMethod } = {},
) {
  counter += 1;
  const tag = `${process.pid}-${counter}`;
  const alice = await h.createUser({ name: `Alice ${tag}` });
  const bob = await h.createUser({ name: `Bob ${tag}` });
  const aliceTicket = await listedTicket(h, alice, events.give, `NOTIFY-A-${tag}`);
  const bobTicket = await listedTicket(h, bob, events.take, `NOTIFY-B-${tag}`);
  if (options.aliceMethod) {
    await h.db.prisma.ticket.update({
      where: { id: aliceTicket.id },
      data: { transferMethod: options.aliceMethod },
    });
  }

  const proposal = await h.caller(alice).proposals.create({
    offeredTicketId: aliceTicket.id,
    wantedTicketId: bobTicket.id,
  });
  await h.caller(alice).proposals.accept({ proposalId: proposal.id });
  const accepted = await h.caller(bob).proposals.accept({ proposalId: proposal.id });
  const tradeId = accepted.trade!.id;
  const trade = await h.caller(alice).trades.get({ tradeId });
  const aliceSends = trade.transfers.find((t) => t.deposit.fromUserId === alice.userId)!;
  const bobSends = trade.transfers.find((t) => t.deposit.fromUserId === bob.userId)!;

  return { alice, bob, tradeId, proposalId: proposal.id, aliceSends, bobSends, trade };
}

/** Jobs of one queue whose payload has `key` equal to `value`, oldest first. */
export async function queuedJobs(h: Harness, name: string, key: string, value: string) {
  return h.db.prisma.$queryRaw<{ data: Record<string, unknown>; start_after: Date }[]>`
    SELECT data, start_after FROM pgboss.job
    WHERE name = ${name} AND data->>${key} = ${value}
    ORDER BY start_after`;
}
