import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { balanceOf } from '../ledger/ledger.ts';
import { createEvent, listedTicket, type TestEvent } from '../testing/fixtures.ts';
import { createHarness, type Harness } from '../testing/harness.ts';
import { ticketPdf } from '../testing/fixtures.ts';
import { addDisputeEvidence, readDisputeEvidenceFile } from './disputes.ts';
import { timeOutTrade } from './escrow.ts';

let h: Harness;
let concert: TestEvent;
let game: TestEvent;
let counter = 0;

beforeAll(async () => {
  h = await createHarness();
  concert = await createEvent(h.db.prisma, { name: 'Dispute Concert', city: 'Denver', category: 'CONCERT' });
  game = await createEvent(h.db.prisma, { name: 'Dispute Game', city: 'Boise' });
});

afterAll(async () => {
  await h.close();
});

/** Two traders with a trade in escrow; `aliceSent` has alice's ticket confirmed by bob. */
async function escrowedTrade(options: { aliceSent?: boolean } = {}) {
  counter += 1;
  const alice = await h.createUser({});
  const bob = await h.createUser({});
  const aliceTicket = await listedTicket(h, alice, concert, `DISPUTE-A-${counter}`);
  const bobTicket = await listedTicket(h, bob, game, `DISPUTE-B-${counter}`);
  const proposal = await h.caller(alice).proposals.create({
    offeredTicketId: aliceTicket.id,
    wantedTicketId: bobTicket.id,
  });
  await h.caller(alice).proposals.accept({ proposalId: proposal.id });
  const accepted = await h.caller(bob).proposals.accept({ proposalId: proposal.id });
  const trade = await h.caller(alice).trades.get({ tradeId: accepted.trade!.id });
  const aliceTransfer = trade.transfers.find((t) => t.deposit.fromUserId === alice.userId)!;
  if (options.aliceSent) {
    await h.caller(alice).trades.markSent({ transferId: aliceTransfer.id, note: 'sent by app' });
    await h.caller(bob).trades.confirmReceived({ transferId: aliceTransfer.id });
  }

  return { alice, bob, aliceTicket, bobTicket, tradeId: trade.id, aliceTransfer };
}

async function ticketOwners(ids: string[]) {
  const rows = await h.db.prisma.ticket.findMany({ where: { id: { in: ids } } });

  return Object.fromEntries(rows.map((t) => [t.id, { ownerId: t.ownerId, state: t.state }]));
}

describe('disputes', () => {
  it('freezes the trade when a party opens a dispute', async () => {
    const { bob, tradeId, aliceTransfer, alice } = await escrowedTrade();
    await h.caller(bob).trades.openDispute({
      tradeId,
      reason: 'NOT_RECEIVED',
      note: 'Nothing arrived in my account after two days.',
    });

    const trade = await h.db.prisma.trade.findUniqueOrThrow({ where: { id: tradeId } });
    expect(trade.state).toBe('DISPUTED');
    await expect(
      h.caller(alice).trades.markSent({ transferId: aliceTransfer.id, note: 'late send' }),
    ).rejects.toMatchObject({ cause: { code: 'TRADE_STATE' } });
    h.setNow(new Date(Date.now() + 30 * 24 * 3_600_000));
    try {
      expect(await timeOutTrade(h.services, tradeId)).toBe(false);
    } finally {
      h.setNow(new Date());
    }
  });

  it('rejects a dispute from someone outside the trade', async () => {
    const { tradeId } = await escrowedTrade();
    const outsider = await h.createUser({});
    await expect(
      h.caller(outsider).trades.openDispute({ tradeId, reason: 'OTHER', note: 'I just want to meddle.' }),
    ).rejects.toMatchObject({ cause: { code: 'NOT_FOUND' } });
  });

  it('returns both tickets when support rules RETURN_BOTH', async () => {
    const { alice, bob, aliceTicket, bobTicket, tradeId } = await escrowedTrade();
    const dispute = await h.caller(alice).trades.openDispute({
      tradeId,
      reason: 'INVALID_TICKET',
      note: 'The barcode I received was rejected by the venue.',
    });
    const agent = await h.createUser({ role: 'SUPPORT' });
    await h.caller(bob).trades.addDisputeEvidence({ disputeId: dispute.id, note: 'It was valid when I sent it.' });
    const view = await h.caller(agent).admin.disputes.get({ id: dispute.id });
    expect(view.evidence.map((e) => e.uploadedBy.id)).toEqual([alice.userId, bob.userId]);
    expect(view.audit.map((a) => a.action)).toContain('dispute.opened');

    await h.caller(agent).admin.disputes.resolve({
      disputeId: dispute.id,
      outcome: 'RETURN_BOTH',
      note: 'Neither transfer can be verified.',
    });
    const owners = await ticketOwners([aliceTicket.id, bobTicket.id]);
    expect(owners[aliceTicket.id]).toEqual({ ownerId: alice.userId, state: 'LISTED' });
    expect(owners[bobTicket.id]).toEqual({ ownerId: bob.userId, state: 'LISTED' });
    expect(await balanceOf(h.db.prisma, alice.userId, 'CREDIT')).toBe(0);
    expect(await balanceOf(h.db.prisma, bob.userId, 'CREDIT')).toBe(0);
    const resolved = await h.db.prisma.dispute.findUniqueOrThrow({ where: { id: dispute.id } });
    expect(resolved.decidedById).toBe(agent.userId);
    // The ticket changes the ruling made name the agent and their role in the audit trail.
    const ticketAudit = await h.db.prisma.auditLog.findMany({
      where: { entityType: 'Ticket', entityId: { in: [aliceTicket.id, bobTicket.id] }, actorId: agent.userId },
    });
    expect(ticketAudit).toHaveLength(2);
    expect(ticketAudit.map((row) => row.actorRole)).toEqual(['SUPPORT', 'SUPPORT']);
  });

  it('releases only the confirmed ticket when support rules SPLIT', async () => {
    const { alice, bob, aliceTicket, bobTicket, tradeId } = await escrowedTrade({ aliceSent: true });
    const dispute = await h.caller(alice).trades.openDispute({
      tradeId,
      reason: 'NOT_RECEIVED',
      note: 'Bob never sent his ticket to me.',
    });
    const agent = await h.createUser({ role: 'SUPPORT' });
    await h.caller(agent).admin.disputes.resolve({ disputeId: dispute.id, outcome: 'SPLIT', note: 'Split.' });

    const owners = await ticketOwners([aliceTicket.id, bobTicket.id]);
    expect(owners[aliceTicket.id]).toEqual({ ownerId: bob.userId, state: 'TRANSFERRED' });
    expect(owners[bobTicket.id]).toEqual({ ownerId: bob.userId, state: 'LISTED' });
    const trade = await h.db.prisma.trade.findUniqueOrThrow({ where: { id: tradeId } });
    expect(trade.state).toBe('SPLIT');
    const aliceBalance = await balanceOf(h.db.prisma, alice.userId, 'CREDIT');
    expect(aliceBalance).toBeGreaterThan(0);
    expect(await balanceOf(h.db.prisma, bob.userId, 'CREDIT')).toBe(-aliceBalance);
  });

  it('completes the trade when support rules COMPLETE, and only once', async () => {
    const { alice, bob, aliceTicket, bobTicket, tradeId } = await escrowedTrade();
    const dispute = await h.caller(bob).trades.openDispute({
      tradeId,
      reason: 'OTHER',
      note: 'Alice is not answering my messages.',
    });
    const agent = await h.createUser({ role: 'SUPPORT' });
    const officer = await h.createUser({ role: 'COMPLIANCE' });
    await expect(
      h.caller(officer).admin.disputes.resolve({ disputeId: dispute.id, outcome: 'COMPLETE', note: 'no' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });

    await h.caller(agent).admin.disputes.resolve({ disputeId: dispute.id, outcome: 'COMPLETE', note: 'Both sent.' });
    await expect(
      h.caller(agent).admin.disputes.resolve({ disputeId: dispute.id, outcome: 'RETURN_BOTH', note: 'again' }),
    ).rejects.toMatchObject({ cause: { code: 'TRADE_STATE' } });
    const owners = await ticketOwners([aliceTicket.id, bobTicket.id]);
    expect(owners[aliceTicket.id]?.ownerId).toBe(bob.userId);
    expect(owners[bobTicket.id]?.ownerId).toBe(alice.userId);
    const unbalanced = await h.db.prisma.$queryRaw<unknown[]>`
      SELECT "journalId" FROM "LedgerEntry" GROUP BY "journalId", unit HAVING sum("amountMinor") <> 0`;
    expect(unbalanced).toEqual([]);
  });

  it('stores evidence files for the parties and staff only', async () => {
    const { alice, bob, tradeId } = await escrowedTrade();
    const dispute = await h.caller(alice).trades.openDispute({
      tradeId,
      reason: 'WRONG_TICKET',
      note: 'I received a ticket for another section.',
    });
    const meta = { requestId: 'test', ipAddress: '127.0.0.1' };
    const pdf = await ticketPdf(concert, 'EVIDENCE-FILE');
    const evidence = await addDisputeEvidence(
      { services: h.services, actor: alice, meta },
      { disputeId: dispute.id, note: 'The ticket I got instead.', file: pdf },
    );
    expect(evidence.hasFile).toBe(true);

    const agent = await h.createUser({ role: 'SUPPORT' });
    const outsider = await h.createUser({});
    for (const reader of [alice, bob, agent]) {
      const file = await readDisputeEvidenceFile({ services: h.services, actor: reader, meta }, evidence.id);
      expect(file.mimeType).toBe('application/pdf');
      expect(file.bytes.byteLength).toBe(pdf.byteLength);
    }
    await expect(
      readDisputeEvidenceFile({ services: h.services, actor: outsider, meta }, evidence.id),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const view = await h.caller(agent).admin.disputes.get({ id: dispute.id });
    expect(view.evidence.find((e) => e.id === evidence.id)?.storageKey).toBeTruthy();
    // Traders learn that a file is attached, not where it is stored.
    const [mine] = await h.caller(bob).trades.disputes({ tradeId });
    const item = mine?.evidence.find((e) => e.id === evidence.id);
    expect(item?.hasFile).toBe(true);
    expect(item).not.toHaveProperty('storageKey');
  });

  it('rejects an evidence file that is not a PDF or image', async () => {
    const { alice, tradeId } = await escrowedTrade();
    const dispute = await h.caller(alice).trades.openDispute({
      tradeId,
      reason: 'OTHER',
      note: 'Something about this trade is wrong.',
    });
    const before = await h.db.prisma.disputeEvidence.count({ where: { disputeId: dispute.id } });

    await expect(addDisputeEvidence(
      { services: h.services, actor: alice, meta: { requestId: 't', ipAddress: '127.0.0.1' } },
      { disputeId: dispute.id, note: 'a script', file: new TextEncoder().encode('#!/bin/sh\necho hi') },
    )).rejects.toMatchObject({ code: 'UNSUPPORTED_FILE_TYPE' });
    expect(await h.db.prisma.disputeEvidence.count({ where: { disputeId: dispute.id } })).toBe(before);
  });
});
