import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { Actor } from '../context.ts';
import { balanceOf } from '../ledger/ledger.ts';
import { openTestTrade } from '../notifications/test-trades.ts';
import { createEvent, type TestEvent } from '../testing/fixtures.ts';
import { createHarness, type Harness } from '../testing/harness.ts';
import { timeOutTrade } from '../trades/escrow.ts';
import { createCallerFactory } from '../trpc.ts';
import { runPartnerTransfer } from './orchestrator.ts';
import { PartnerApiTransferAdapter } from './partner-api.ts';
import { describeStaffReview } from './staff-review.ts';
import { transferReviewRouter } from './staff-router.ts';

// A loopback port nothing listens on. msw returns a response to every request before it
// leaves the process.
const partnerUrl = 'http://127.0.0.1:59232/partner';
const partner = new PartnerApiTransferAdapter({
  baseUrl: partnerUrl,
  token: 'test-partner-token',
  policy: { timeoutMs: 200, attempts: 2, backoffMs: 10 },
});

const server = setupServer();
const createReviewCaller = createCallerFactory(transferReviewRouter);
let h: Harness;
let concert: TestEvent;
let game: TestEvent;
let agent: Actor;

beforeAll(async () => {
  server.listen({ onUnhandledFrame: 'error' });
  h = await createHarness();
  concert = await createEvent(h.db.prisma, {
    name: 'Review Concert',
    city: 'Tulsa',
    category: 'CONCERT',
  });
  game = await createEvent(h.db.prisma, { name: 'Review Game', city: 'Omaha' });
  agent = await h.createUser({ role: 'SUPPORT', name: 'Agent Smith' });
});

afterAll(async () => {
  server.close();
  await h.close();
});

beforeEach(() => {
  h.setNow(new Date());
  // The partner rejects every transfer for good, so the orchestrator falls back at once.
  server.use(
    http.post(`${partnerUrl}/v1/transfers`, () =>
      HttpResponse.json({ error: { code: 'conflict' } }, { status: 409 })),
  );
});

afterEach(() => {
  server.resetHandlers();
});

/** Builds a caller of the transfer review procedures acting as `actor`. */
function reviews(actor: Actor | null) {
  return createReviewCaller({
    services: h.services,
    actor,
    meta: { requestId: `review-${Math.random().toString(36).slice(2)}`, ipAddress: '127.0.0.1' },
    session: { set: () => undefined, clear: () => undefined },
  });
}

/**
 * Opens a trade whose alice-to-bob ticket goes through the partner, with the clock two hours
 * before the escrow deadline, and runs the orchestrator once. The partner refuses, and two
 * hours are too few for a manual hand-over, so the transfer lands in the staff queue.
 */
async function queuedTransfer() {
  const trade = await openTestTrade(h, { give: concert, take: game }, {
    aliceMethod: 'PARTNER_API',
  });
  const row = await h.db.prisma.trade.findUniqueOrThrow({ where: { id: trade.tradeId } });
  h.setNow(new Date(row.releaseDeadline.getTime() - 2 * 3_600_000));
  const transferId = trade.aliceSends.id;
  const outcome = await runPartnerTransfer(h.services, transferId, { partner, lastAttempt: false });
  expect(outcome).toBe('staff_review');

  return { ...trade, transferId, releaseDeadline: row.releaseDeadline };
}

async function transferRow(id: string) {
  return h.db.prisma.transfer.findUniqueOrThrow({ where: { id } });
}

async function queueIds(actor: Actor = agent) {
  const queue = await reviews(actor).list({ perPage: 200 });

  return queue.data.map((entry) => entry.id);
}

describe('staff review queue', () => {
  it('queues a failed fallback with reason', async () => {
    const { alice, bob, tradeId, transferId, releaseDeadline } = await queuedTransfer();

    const row = await transferRow(transferId);
    const queue = await reviews(agent).list({ perPage: 200 });
    const entry = queue.data.find((item) => item.id === transferId);

    expect(row.state).toBe('FAILED');
    expect(row.staffReviewAt).toEqual(h.services.now());
    expect(row.staffReviewReason).toBe(
      'Partner transfer failed (partner API answered HTTP 409 to POST transfers), and a manual ' +
        'hand-over was not started because only 2.0 hours remain before the escrow deadline.',
    );
    expect(queue.total).toBeGreaterThanOrEqual(1);
    expect(entry).toMatchObject({
      tradeId,
      tradeState: 'ESCROWED',
      releaseDeadline,
      method: 'PARTNER_API',
      state: 'FAILED',
      reason: row.staffReviewReason,
      sender: { id: alice.userId, displayName: expect.stringContaining('Alice') },
      receiver: { id: bob.userId, displayName: expect.stringContaining('Bob') },
      ticket: { event: { name: 'Review Concert' } },
      evidence: [],
    });
    const audit = await h.db.prisma.auditLog.findFirstOrThrow({
      where: { entityId: transferId, action: 'transfer.staff_review' },
    });
    expect(audit.data).toMatchObject({ reason: 'partner API answered HTTP 409 to POST transfers' });
  });

  it('lists the oldest entry first', async () => {
    const first = await queuedTransfer();
    const second = await queuedTransfer();
    await h.db.prisma.transfer.update({
      where: { id: first.transferId },
      data: { staffReviewAt: new Date(Date.now() - 3_600_000) },
    });

    const ids = await queueIds();

    expect(ids.indexOf(first.transferId)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(first.transferId)).toBeLessThan(ids.indexOf(second.transferId));
  });

  it('keeps e-mails and URLs out of the reason', () => {
    const reason = describeStaffReview(
      'transfer failed: cannot reach http://user:secret@partner.example/v1 for ann@example.com',
      ['a trader has no e-mail address'],
    );

    expect(reason).not.toContain('secret');
    expect(reason).not.toContain('ann@example.com');
    expect(reason).toContain('[address]');
    expect(reason).toContain('[e-mail]');
  });
});

describe('confirm delivered', () => {
  it('completes the trade', async () => {
    const { alice, bob, tradeId, transferId, bobSends } = await queuedTransfer();
    await h.caller(bob).trades.markSent({ transferId: bobSends.id, note: 'sent by e-mail' });
    await h.caller(alice).trades.confirmReceived({ transferId: bobSends.id });

    const decided = await reviews(agent).confirmDelivered({
      transferId,
      note: 'The partner confirmed by phone that the ticket reached Bob.',
    });

    expect(decided).toMatchObject({
      state: 'CONFIRMED',
      staffReviewAt: null,
      tradeState: 'COMPLETED',
    });
    const trade = await h.db.prisma.trade.findUniqueOrThrow({ where: { id: tradeId } });
    expect(trade.state).toBe('COMPLETED');
    const deposits = await h.db.prisma.escrowDeposit.findMany({
      where: { tradeId },
      select: {
        state: true,
        valueMinor: true,
        toUserId: true,
        ticket: { select: { ownerId: true, state: true } },
      },
    });
    for (const deposit of deposits) {
      expect(deposit.state).toBe('RELEASED');
      expect(deposit.ticket).toEqual({ ownerId: deposit.toUserId, state: 'TRANSFERRED' });
    }
    const unbalanced = await h.db.prisma.$queryRaw<unknown[]>`
      SELECT "journalId" FROM "LedgerEntry"
      GROUP BY "journalId", unit HAVING sum("amountMinor") <> 0`;
    expect(unbalanced).toEqual([]);
    const escrow = await h.db.prisma.ledgerEntry.aggregate({
      where: { account: 'ESCROW_CREDITS', journal: { tradeId } },
      _sum: { amountMinor: true },
    });
    expect(escrow._sum.amountMinor).toBe(0);
    // Each trader was credited for the ticket given and spent the value of the one received.
    for (const trader of [alice, bob]) {
      const given = deposits.find((d) => d.toUserId !== trader.userId)!.valueMinor;
      const received = deposits.find((d) => d.toUserId === trader.userId)!.valueMinor;
      expect(await balanceOf(h.db.prisma, trader.userId, 'CREDIT')).toBe(given - received);
    }
    expect(await queueIds()).not.toContain(transferId);
  });

  it('audits the decision under the staff member', async () => {
    const { transferId } = await queuedTransfer();
    const note = 'Bob wrote to support that the ticket arrived.';

    await reviews(agent).confirmDelivered({ transferId, note });

    const actions = ['transfer.staff_review_resolved', 'transfer.confirmed'];
    const audit = await h.db.prisma.auditLog.findMany({
      where: { entityId: transferId, action: { in: actions } },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((row) => row.action)).toEqual(actions);
    for (const row of audit) {
      expect(row.actorId).toBe(agent.userId);
      expect(row.actorRole).toBe('SUPPORT');
    }
    expect(audit[0]!.data).toMatchObject({ decision: 'confirmed_delivered', note });
    expect(audit[1]!.data).toMatchObject({ source: 'staff_review' });
    // The other ticket is not confirmed yet, so the trade stays in escrow.
    expect(await transferRow(transferId)).toMatchObject({
      state: 'CONFIRMED',
      staffReviewAt: null,
    });
  });

  it('rejects a second confirmation', async () => {
    const { transferId } = await queuedTransfer();
    const note = 'Checked with the partner.';
    await reviews(agent).confirmDelivered({ transferId, note });

    const second = reviews(agent).confirmDelivered({ transferId, note });

    await expect(second).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'This transfer is already confirmed.',
      cause: { code: 'TRANSFER_STATE' },
    });
    const confirmations = await h.db.prisma.auditLog.count({
      where: { entityId: transferId, action: 'transfer.confirmed' },
    });
    expect(confirmations).toBe(1);
  });

  it('accepts one of two simultaneous decisions', async () => {
    const { transferId } = await queuedTransfer();
    const other = await h.createUser({ role: 'ADMIN' });

    const results = await Promise.allSettled([
      reviews(agent).confirmDelivered({ transferId, note: 'Partner says delivered.' }),
      reviews(other).returnToManual({ transferId, note: 'Let the sender hand it over.' }),
    ]);

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((result) => result.status === 'rejected');
    expect(rejected?.reason).toMatchObject({ cause: { code: 'TRANSFER_STATE' } });
    const decisions = await h.db.prisma.auditLog.count({
      where: { entityId: transferId, action: 'transfer.staff_review_resolved' },
    });
    expect(decisions).toBe(1);
  });

  it('rejects a timed-out trade', async () => {
    const { tradeId, transferId, releaseDeadline } = await queuedTransfer();
    h.setNow(new Date(releaseDeadline.getTime() + 60_000));
    expect(await timeOutTrade(h.services, tradeId)).toBe(true);

    const confirm = reviews(agent).confirmDelivered({ transferId, note: 'Too late, but arrived.' });

    await expect(confirm).rejects.toMatchObject({
      message: 'This trade is timed out, so its transfers can no longer change.',
      cause: { code: 'TRADE_STATE' },
    });
    expect(await transferRow(transferId)).toMatchObject({ state: 'FAILED' });
    expect(await queueIds()).not.toContain(transferId);
  });

  it('leaves a disputed trade to its dispute', async () => {
    const { bob, tradeId, transferId } = await queuedTransfer();
    await h.caller(bob).trades.openDispute({
      tradeId,
      reason: 'NOT_RECEIVED',
      note: 'The partner never delivered the ticket to me.',
    });

    const queue = await reviews(agent).list({ perPage: 200, filter: { tradeState: 'DISPUTED' } });
    const confirm = reviews(agent).confirmDelivered({ transferId, note: 'Delivered anyway.' });

    expect(queue.data.map((entry) => entry.id)).toContain(transferId);
    await expect(confirm).rejects.toMatchObject({
      message: 'This trade is disputed, so decide it from its dispute instead.',
      cause: { code: 'TRADE_STATE' },
    });
  });
});

describe('return to manual hand-over', () => {
  it('lets the sender hand over manually', async () => {
    const { alice, bob, transferId } = await queuedTransfer();
    const noticesBefore = await h.db.prisma.notification.count({
      where: { kind: 'transfer.fallback_manual', userId: { in: [alice.userId, bob.userId] } },
    });

    const decided = await reviews(agent).returnToManual({
      transferId,
      note: 'Partner cannot move this ticket; the sender will e-mail it.',
    });

    expect(decided).toMatchObject({ method: 'MANUAL', state: 'PENDING', staffReviewAt: null });
    expect(await queueIds()).not.toContain(transferId);
    for (const user of [alice, bob]) {
      const notices = await h.db.prisma.notification.findMany({
        where: { userId: user.userId, kind: 'transfer.fallback_manual' },
      });
      expect(notices.map((notice) => notice.channel).sort()).toEqual(['EMAIL', 'IN_APP']);
    }
    expect(noticesBefore).toBe(0);
    const audit = await h.db.prisma.auditLog.findFirstOrThrow({
      where: { entityId: transferId, action: 'transfer.staff_review_resolved' },
    });
    expect(audit).toMatchObject({ actorId: agent.userId, actorRole: 'SUPPORT' });
    expect(audit.data).toMatchObject({ decision: 'returned_to_manual', previousState: 'FAILED' });

    await h.caller(alice).trades.markSent({ transferId, note: 'Forwarded the ticket e-mail.' });
    const trade = await h.caller(bob).trades.confirmReceived({ transferId });
    expect(trade.transfers.find((t) => t.id === transferId)?.state).toBe('CONFIRMED');
  });

  it('rejects a second return', async () => {
    const { transferId } = await queuedTransfer();
    await reviews(agent).returnToManual({ transferId, note: 'Sender hands it over.' });

    const second = reviews(agent).returnToManual({ transferId, note: 'Sender hands it over.' });

    await expect(second).rejects.toMatchObject({
      message: 'This transfer was already taken out of staff review. Reload it to see the ' +
        'decision.',
      cause: { code: 'TRANSFER_STATE' },
    });
  });

  it('rejects a trade past its escrow deadline', async () => {
    const { transferId, releaseDeadline } = await queuedTransfer();
    h.setNow(new Date(releaseDeadline.getTime() + 1000));

    const late = reviews(agent).returnToManual({ transferId, note: 'Sender hands it over.' });

    await expect(late).rejects.toMatchObject({ cause: { code: 'TRADE_STATE' } });
    expect(await transferRow(transferId)).toMatchObject({ method: 'PARTNER_API', state: 'FAILED' });
  });

  it('requires a note', async () => {
    const { transferId } = await queuedTransfer();

    const blank = reviews(agent).returnToManual({ transferId, note: '  ' });

    await expect(blank).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect((await transferRow(transferId)).staffReviewAt).not.toBeNull();
  });
});

describe('who may work the queue', () => {
  it('forbids traders, including the trade parties', async () => {
    const { alice, bob, transferId } = await queuedTransfer();

    for (const trader of [alice, bob]) {
      const caller = reviews(trader);
      await expect(caller.list({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(caller.get({ id: transferId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(caller.confirmDelivered({ transferId, note: 'It arrived, trust me.' }))
        .rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(caller.returnToManual({ transferId, note: 'Let me send it.' }))
        .rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    expect(await transferRow(transferId)).toMatchObject({ state: 'FAILED' });
  });

  it('forbids compliance officers', async () => {
    const { transferId } = await queuedTransfer();
    const officer = await h.createUser({ role: 'COMPLIANCE' });
    const caller = reviews(officer);

    await expect(caller.list({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(caller.get({ id: transferId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(caller.confirmDelivered({ transferId, note: 'Looks delivered.' }))
      .rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(caller.returnToManual({ transferId, note: 'Send it by hand.' }))
      .rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('rejects signed-out callers', async () => {
    await expect(reviews(null).list({})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('hides transfers never sent to staff', async () => {
    const { bobSends } = await queuedTransfer();

    await expect(reviews(agent).get({ id: bobSends.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(reviews(agent).confirmDelivered({ transferId: bobSends.id, note: 'Arrived.' }))
      .rejects.toMatchObject({ cause: { code: 'NOT_FOUND' } });
  });

  it('shows an admin the audit trail', async () => {
    const { transferId, bobSends } = await queuedTransfer();
    const admin = await h.createUser({ role: 'ADMIN' });

    const view = await reviews(admin).get({ id: transferId });

    expect(view.otherTransfers).toEqual([
      { id: bobSends.id, method: 'MANUAL', state: 'PENDING', staffReviewAt: null },
    ]);
    expect(view.audit.map((entry) => entry.action)).toContain('transfer.staff_review');
  });
});
