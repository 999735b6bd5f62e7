import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { verifyAuditChain } from '../audit/audit.ts';
import { balanceOf } from '../ledger/ledger.ts';
import { runMatchingTick } from '../matching/tick.ts';
import { createEvent, listedTicket, type TestEvent } from '../testing/fixtures.ts';
import { createHarness, type Harness } from '../testing/harness.ts';

let h: Harness;
let football: TestEvent;
let concert: TestEvent;

beforeAll(async () => {
  h = await createHarness();
  football = await createEvent(h.db.prisma, { name: 'Tigers vs Bears', city: 'Columbus' });
  concert = await createEvent(h.db.prisma, {
    name: 'Stadium Pop Night',
    city: 'Las Vegas',
    category: 'CONCERT',
  });
});

afterAll(async () => {
  await h.close();
});

async function expectAppCode(promise: Promise<unknown>, appCode: string) {
  await expect(promise).rejects.toMatchObject({ cause: { code: appCode } });
}

describe('a swap from listing to completion', () => {
  it('matches two traders, escrows both tickets and swaps ownership', async () => {
    const alice = await h.createUser({ name: 'Alice', homeCity: 'Columbus' });
    const bob = await h.createUser({ name: 'Bob', homeCity: 'Las Vegas' });
    const aliceTicket = await listedTicket(h, alice, concert, 'LOOP-ALICE-1');
    const bobTicket = await listedTicket(h, bob, football, 'LOOP-BOB-1');
    expect(aliceTicket.state).toBe('LISTED');
    expect(aliceTicket.valueMinor).toBeGreaterThan(0);

    await h.caller(alice).wants.add({ eventId: football.id });
    await h.caller(bob).wants.add({ category: 'CONCERT' });
    const tick = await runMatchingTick(h.services, 'loop-tick-1');
    expect(tick.proposalsCreated).toBe(1);

    const [proposal] = await h.caller(alice).proposals.mine();
    expect(proposal?.state).toBe('OPEN');
    await h.caller(alice).proposals.accept({ proposalId: proposal!.id });
    const accepted = await h.caller(bob).proposals.accept({ proposalId: proposal!.id });
    expect(accepted.state).toBe('ACCEPTED');
    expect(accepted.trade?.state).toBe('ESCROWED');

    const tradeId = accepted.trade!.id;
    const escrowed = await h.db.prisma.ticket.findMany({
      where: { id: { in: [aliceTicket.id, bobTicket.id] } },
      select: { state: true },
    });
    expect(escrowed.map((t) => t.state)).toEqual(['ESCROWED', 'ESCROWED']);
    const deposits = await h.db.prisma.escrowDeposit.findMany({ where: { tradeId } });
    expect(deposits.map((d) => d.state)).toEqual(['HELD', 'HELD']);
    const timeoutJobs = await h.db.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM pgboss.job WHERE name = 'escrow.timeout' AND data->>'tradeId' = ${tradeId}`;
    expect(Number(timeoutJobs[0]?.n)).toBe(1);

    const trade = await h.caller(alice).trades.get({ tradeId });
    const aliceSends = trade.transfers.find((t) => t.deposit.fromUserId === alice.userId)!;
    const bobSends = trade.transfers.find((t) => t.deposit.fromUserId === bob.userId)!;
    await h.caller(alice).trades.markSent({ transferId: aliceSends.id, note: 'Sent via the venue app' });
    await h.caller(bob).trades.markSent({ transferId: bobSends.id, note: 'Transferred by email' });
    await h.caller(bob).trades.confirmReceived({ transferId: aliceSends.id });
    const done = await h.caller(alice).trades.confirmReceived({ transferId: bobSends.id });
    expect(done.state).toBe('COMPLETED');

    const owners = await h.db.prisma.ticket.findMany({
      where: { id: { in: [aliceTicket.id, bobTicket.id] } },
      select: { id: true, ownerId: true, state: true },
    });
    expect(owners.find((t) => t.id === aliceTicket.id)?.ownerId).toBe(bob.userId);
    expect(owners.find((t) => t.id === bobTicket.id)?.ownerId).toBe(alice.userId);
    expect(owners.every((t) => t.state === 'TRANSFERRED')).toBe(true);
  });

  it('keeps every ledger journal balanced and the audit chain intact', async () => {
    const sums = await h.db.prisma.$queryRaw<{ journalId: string; total: bigint }[]>`
      SELECT "journalId", sum("amountMinor") AS total FROM "LedgerEntry"
      GROUP BY "journalId", unit HAVING sum("amountMinor") <> 0`;
    expect(sums).toEqual([]);
    const journals = await h.db.prisma.ledgerJournal.count();
    expect(journals).toBeGreaterThanOrEqual(4);
    const chain = await verifyAuditChain(h.db.prisma);
    expect(chain.brokenAt).toBeNull();
    expect(chain.rows).toBeGreaterThan(10);
  });
});

describe('bad input on proposals and trades', () => {
  it('never lets two concurrent accepts commit the same ticket', async () => {
    const owner = await h.createUser({});
    const first = await h.createUser({});
    const second = await h.createUser({});
    const contested = await listedTicket(h, owner, concert, 'RACE-OWNER');
    const firstTicket = await listedTicket(h, first, football, 'RACE-FIRST');
    const secondTicket = await listedTicket(h, second, football, 'RACE-SECOND');
    const p1 = await h.caller(first).proposals.create({
      offeredTicketId: firstTicket.id,
      wantedTicketId: contested.id,
    });
    const p2 = await h.caller(second).proposals.create({
      offeredTicketId: secondTicket.id,
      wantedTicketId: contested.id,
    });

    const results = await Promise.allSettled([
      h.caller(owner).proposals.accept({ proposalId: p1.id }),
      h.caller(owner).proposals.accept({ proposalId: p2.id }),
    ]);
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    // The loser finds the ticket taken, or its proposal already cancelled by the winner's trade.
    expect(['TICKET_NOT_AVAILABLE', 'PROPOSAL_CLOSED']).toContain(
      (rejected[0] as PromiseRejectedResult).reason.cause.code,
    );

    const legs = await h.db.prisma.proposalLeg.count({
      where: { ticketId: contested.id, acceptedAt: { not: null } },
    });
    expect(legs).toBe(1);
  });

  it('rejects accepting an expired proposal', async () => {
    const a = await h.createUser({});
    const b = await h.createUser({});
    const ta = await listedTicket(h, a, concert, 'EXPIRE-A');
    const tb = await listedTicket(h, b, football, 'EXPIRE-B');
    const proposal = await h.caller(a).proposals.create({ offeredTicketId: ta.id, wantedTicketId: tb.id });

    h.setNow(new Date(proposal.expiresAt.getTime() + 1000));
    try {
      await expectAppCode(h.caller(b).proposals.accept({ proposalId: proposal.id }), 'PROPOSAL_EXPIRED');
    } finally {
      h.setNow(new Date());
    }
    const ticket = await h.db.prisma.ticket.findUniqueOrThrow({ where: { id: tb.id } });
    expect(ticket.state).toBe('LISTED');
  });

  it('rejects a proposal for the trader\'s own ticket', async () => {
    const a = await h.createUser({});
    const t1 = await listedTicket(h, a, concert, 'OWN-1');
    const t2 = await listedTicket(h, a, football, 'OWN-2');
    await expectAppCode(
      h.caller(a).proposals.create({ offeredTicketId: t1.id, wantedTicketId: t2.id }),
      'OWN_TICKET',
    );
  });

  it('rejects accepting by a trader who is not a party', async () => {
    const a = await h.createUser({});
    const b = await h.createUser({});
    const outsider = await h.createUser({});
    const ta = await listedTicket(h, a, concert, 'PARTY-A');
    const tb = await listedTicket(h, b, football, 'PARTY-B');
    const proposal = await h.caller(a).proposals.create({ offeredTicketId: ta.id, wantedTicketId: tb.id });
    await expectAppCode(h.caller(outsider).proposals.accept({ proposalId: proposal.id }), 'NOT_A_PARTY');
  });

  it('rejects listing and accepting by a trader whose KYC is not verified', async () => {
    const pending = await h.createUser({ kycStatus: 'PENDING' });
    const { uploadTicket } = await import('../tickets/intake.ts');
    const { ticketPdf } = await import('../testing/fixtures.ts');
    const { ticket } = await uploadTicket(
      { services: h.services, actor: pending, meta: { requestId: 't', ipAddress: '127.0.0.1' } },
      { bytes: await ticketPdf(concert, 'KYC-PENDING'), fileName: 't.pdf' },
      { eventId: concert.id, section: 'Section 101' },
    );
    await expectAppCode(h.caller(pending).tickets.list({ ticketId: ticket.id }), 'KYC_REQUIRED');
    const after = await h.db.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(after.state).toBe('DRAFT');
  });

  it('runs a retried matching tick only once', async () => {
    const a = await h.createUser({});
    const b = await h.createUser({});
    await listedTicket(h, a, concert, 'TICK-A');
    await listedTicket(h, b, football, 'TICK-B');
    await h.caller(a).wants.add({ eventId: football.id });
    await h.caller(b).wants.add({ eventId: concert.id });

    const first = await runMatchingTick(h.services, 'retry-tick');
    const again = await runMatchingTick(h.services, 'retry-tick');
    expect(first.skipped).toBe(false);
    expect(again.skipped).toBe(true);
    const proposals = await h.db.prisma.proposal.count({ where: { tickId: 'retry-tick' } });
    expect(proposals).toBe(first.proposalsCreated);
  });

  it('returns both tickets when the escrow deadline passes', async () => {
    const a = await h.createUser({});
    const b = await h.createUser({});
    const ta = await listedTicket(h, a, concert, 'TIMEOUT-A');
    const tb = await listedTicket(h, b, football, 'TIMEOUT-B');
    const proposal = await h.caller(a).proposals.create({ offeredTicketId: ta.id, wantedTicketId: tb.id });
    await h.caller(a).proposals.accept({ proposalId: proposal.id });
    const accepted = await h.caller(b).proposals.accept({ proposalId: proposal.id });
    const { timeOutTrade } = await import('./escrow.ts');

    expect(await timeOutTrade(h.services, accepted.trade!.id)).toBe(false);
    h.setNow(new Date(Date.now() + (h.services.config.escrowHours + 1) * 3_600_000));
    try {
      expect(await timeOutTrade(h.services, accepted.trade!.id)).toBe(true);
      expect(await timeOutTrade(h.services, accepted.trade!.id)).toBe(false);
    } finally {
      h.setNow(new Date());
    }
    const tickets = await h.db.prisma.ticket.findMany({ where: { id: { in: [ta.id, tb.id] } } });
    expect(tickets.every((t) => t.state === 'LISTED')).toBe(true);
    expect(tickets.find((t) => t.id === ta.id)?.ownerId).toBe(a.userId);
    expect(await balanceOf(h.db.prisma, a.userId, 'CREDIT')).toBe(0);
  });
});

describe('direct proposals', () => {
  it('counts making an offer as accepting it', async () => {
    const a = await h.createUser({});
    const b = await h.createUser({});
    const ta = await listedTicket(h, a, concert, 'OFFER-A');
    const tb = await listedTicket(h, b, football, 'OFFER-B');
    const proposal = await h.caller(a).proposals.create({ offeredTicketId: ta.id, wantedTicketId: tb.id });

    const offeredLeg = proposal.legs.find((leg) => leg.fromUserId === a.userId);
    expect(offeredLeg?.acceptedAt).not.toBeNull();
    const accepted = await h.caller(b).proposals.accept({ proposalId: proposal.id });
    expect(accepted.trade?.state).toBe('ESCROWED');
  });

  it('rejects offering a ticket already offered elsewhere', async () => {
    const a = await h.createUser({});
    const b = await h.createUser({});
    const c = await h.createUser({});
    const ta = await listedTicket(h, a, concert, 'TWICE-A');
    const tb = await listedTicket(h, b, football, 'TWICE-B');
    const tc = await listedTicket(h, c, football, 'TWICE-C');
    await h.caller(a).proposals.create({ offeredTicketId: ta.id, wantedTicketId: tb.id });

    await expectAppCode(
      h.caller(a).proposals.create({ offeredTicketId: ta.id, wantedTicketId: tc.id }),
      'TICKET_NOT_AVAILABLE',
    );
  });
});

describe('received tickets', () => {
  it('can be listed again by their new owner', async () => {
    const a = await h.createUser({});
    const b = await h.createUser({});
    const ta = await listedTicket(h, a, concert, 'RELIST-A');
    const tb = await listedTicket(h, b, football, 'RELIST-B');
    const proposal = await h.caller(a).proposals.create({ offeredTicketId: ta.id, wantedTicketId: tb.id });
    const accepted = await h.caller(b).proposals.accept({ proposalId: proposal.id });
    const trade = await h.caller(a).trades.get({ tradeId: accepted.trade!.id });
    for (const transfer of trade.transfers) {
      const sender = transfer.deposit.fromUserId === a.userId ? a : b;
      const receiver = sender === a ? b : a;
      await h.caller(sender).trades.markSent({ transferId: transfer.id, note: 'sent by app' });
      await h.caller(receiver).trades.confirmReceived({ transferId: transfer.id });
    }

    const relisted = await h.caller(b).tickets.list({ ticketId: ta.id });
    expect(relisted.state).toBe('LISTED');
    expect(relisted.ownerId).toBe(b.userId);
  });
});
