// The whole top-up loop in local test mode: no Stripe key, no card, no network.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEvent, insertListedTicket, type TestEvent } from '../testing/fixtures.ts';
import { createHarness, type Harness } from '../testing/harness.ts';
import { payPayoutJob } from './jobs.ts';
import { resumePendingTopUps } from './topup.ts';
import { payPayout, settleTradePayment } from './trade-payments.ts';

type Trader = Awaited<ReturnType<Harness['createUser']>>;

let h: Harness;
let event: TestEvent;

beforeAll(async () => {
  h = await createHarness();
  event = await createEvent(h.db.prisma, { name: 'Offline Open', city: 'Omaha' });
});

afterAll(async () => {
  await h?.close();
});

function listed(owner: Trader, valueMinor: number) {
  return insertListedTicket(h.db.prisma, { ownerId: owner.userId, eventId: event.id, valueMinor });
}

describe('top-up in local test mode', () => {
  it('opens, completes and pays out an unequal swap', async () => {
    const alice = await h.createUser({});
    const bob = await h.createUser({});
    const proposal = await h.caller(bob).proposals.create({
      offeredTicketId: await listed(bob, 20_000),
      wantedTicketId: await listed(alice, 16_000),
    });
    expect(proposal.payerId).toBe(alice.userId);
    await h.caller(bob).proposals.accept({ proposalId: proposal.id });
    const accepted = await h.caller(alice).proposals.accept({ proposalId: proposal.id });

    expect(accepted.topUp?.testMode).toBe(true);
    expect(accepted.topUp?.status).toBe('requires_capture');
    const tradeId = accepted.topUp!.tradeId!;
    expect(accepted.trade?.id).toBe(tradeId);
    const trade = await h.caller(alice).trades.get({ tradeId });
    for (const transfer of trade.transfers) {
      const sender = transfer.deposit.fromUserId === alice.userId ? alice : bob;
      const receiver = sender === alice ? bob : alice;
      await h.caller(sender).trades.markSent({ transferId: transfer.id, note: 'sent offline' });
      await h.caller(receiver).trades.confirmReceived({ transferId: transfer.id });
    }

    // Bob has no connected account yet, so his payout waits for him.
    expect(await settleTradePayment(h.services, tradeId)).toBe('payout-pending');
    // With the site's address configured, onboarding may only send Bob back to its pages.
    h.services.config.appOrigin = 'http://127.0.0.1:3000';
    try {
      await expect(h.caller(bob).payments.connectAccount({
        refreshUrl: 'http://127.0.0.1:3000/payouts',
        returnUrl: 'https://elsewhere.example/collect',
      })).rejects.toMatchObject({ cause: { code: 'INVALID_INPUT' } });
    } finally {
      h.services.config.appOrigin = null;
    }
    const connected = await h.caller(bob).payments.connectAccount({
      refreshUrl: 'http://127.0.0.1:3000/payouts',
      returnUrl: 'http://127.0.0.1:3000/payouts',
    });
    expect(connected).toMatchObject({ testMode: true, transfersEnabled: true, queuedPayouts: 1 });
    const payout = await h.db.prisma.payout.findFirstOrThrow({ where: { tradeId } });
    expect(await h.boss.findJobs(payPayoutJob, { data: { payoutId: payout.id } })).toHaveLength(1);
    expect(await payPayout(h.services, payout.id)).toBe('paid');

    const cash = await h.caller(bob).payments.mine();
    expect(cash.payouts).toEqual([expect.objectContaining({ amountMinor: 4_000, state: 'PAID' })]);
    const usd = await h.db.prisma.ledgerEntry.aggregate({
      where: { unit: 'USD', journal: { tradeId } },
      _sum: { amountMinor: true },
      _count: true,
    });
    expect(usd._count).toBe(6);
    expect(usd._sum.amountMinor).toBe(0);
  });

  it('resumes a top-up whose hold a crash interrupted', async () => {
    const alice = await h.createUser({});
    const bob = await h.createUser({});
    const wanted = await listed(alice, 16_000);
    const proposal = await h.caller(bob).proposals.create({
      offeredTicketId: await listed(bob, 20_000),
      wantedTicketId: wanted,
    });
    // As if alice's acceptance committed and the process died before the hold was requested.
    const acceptedAt = new Date(Date.now() - 5 * 60_000);
    await h.db.prisma.proposalLeg.updateMany({
      where: { proposalId: proposal.id },
      data: { acceptedAt },
    });
    await h.db.prisma.ticket.update({ where: { id: wanted }, data: { state: 'IN_TRADE' } });

    expect(await resumePendingTopUps(h.services)).toBe(1);
    const trade = await h.db.prisma.trade.findUnique({ where: { proposalId: proposal.id } });
    expect(trade?.state).toBe('ESCROWED');
    const payment = await h.db.prisma.payment.findFirstOrThrow({ where: { tradeId: trade!.id } });
    expect(payment.state).toBe('AUTHORIZED');
    expect(await resumePendingTopUps(h.services)).toBe(0);
  });
});
