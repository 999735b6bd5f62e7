// Kills the API process and the worker process with SIGKILL at each step of the trade saga,
// restarts both and lets clients retry. It then checks each trade's end state, that the ledger
// balances, that every ticket has one owner, and that no top-up is captured or paid out twice.
//
// Steps that a kill should interrupt halfway are stopped at a known statement by a lock that
// the test holds (see testing/lock-gate.ts), so each run kills at the same point.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { createTestDatabase, type TestDatabase } from '@ts/db/testing';
import { createEvent } from '@ts/domain/testing/fixtures';

import { expireAbandonedJobs } from './testing/jobs.ts';
import { holdLock, type LockGate } from './testing/lock-gate.ts';
import { ProductProcess } from './testing/product-process.ts';
import { retryUntilAnswered, TrpcHttpClient } from './testing/trpc-http.ts';

const password = 'crash-test-password';

interface Trader {
  id: string;
  email: string;
  client: TrpcHttpClient;
}

interface TradeView {
  id: string;
  state: string;
  transfers: {
    id: string;
    state: string;
    deposit: { fromUserId: string; toUserId: string; ticket: { id: string } };
  }[];
}

interface ProposalView {
  id: string;
  cashDiffMinor: number;
  trade: { id: string } | null;
  topUp?: { tradeId: string | null } | null;
}

let db: TestDatabase;
let dataDir: string;
let api: ProductProcess;
let worker: ProductProcess;
const gates: LockGate[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function clientOfApi(): TrpcHttpClient {
  return new TrpcHttpClient(() => api.baseUrl);
}

/** Kills both processes at once, recovers the jobs the worker held, and starts both again. */
async function crashAndRestart(gate?: LockGate): Promise<void> {
  await Promise.all([api.kill(), worker.kill()]);
  // Freed only after the kill, so the interrupted transaction can never reach its commit.
  await gate?.release();
  await expireAbandonedJobs(db.prisma, db.url);
  await Promise.all([api.start(), worker.start()]);
}

async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean) {
  const deadline = Date.now() + 30_000;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}\n` +
        `${api.recentOutput()}\n${worker.recentOutput()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await read();
  }

  return value;
}

async function newTrader(name: string, role: 'TRADER' | 'SUPPORT' = 'TRADER'): Promise<Trader> {
  const email = `${name}-${randomUUID().slice(0, 8)}@example.test`;
  await clientOfApi().mutation('auth.signUp', { email, password, displayName: name });
  const user = await db.prisma.user.update({
    where: { email },
    data: { kycStatus: 'VERIFIED', role, stripeAccountId: `acct_test_${name}` },
    select: { id: true },
  });
  const client = clientOfApi();
  await client.mutation('auth.logIn', { email, password });

  return { id: user.id, email, client };
}

let ticketCounter = 0;

async function listedTicket(owner: Trader, eventId: string, valueMinor: number) {
  ticketCounter += 1;
  const ticket = await db.prisma.ticket.create({
    data: {
      ownerId: owner.id,
      uploadedById: owner.id,
      eventId,
      state: 'LISTED',
      section: 'Section 210',
      row: '12',
      seat: String(ticketCounter),
      sectionTier: 2,
      faceValueMinor: 20_000,
      barcodeHash: `crash-test-${randomUUID()}`,
      barcodeFormat: 'pdf417',
      fileSha256: randomUUID().replaceAll('-', ''),
      storageKey: `crash-test/${ticketCounter}.pdf`,
      mimeType: 'application/pdf',
      sizeBytes: 1000,
      valueMinor,
      listedAt: new Date(),
    },
    select: { id: true, valueMinor: true },
  });

  return { id: ticket.id, valueMinor };
}

/**
 * Offers `proposer`'s ticket for another trader's; making the offer accepts it for its maker.
 * Each start of the worker queues a revaluation of listed tickets, so the values this test
 * chose are written again once no revaluation is pending.
 */
async function propose(
  proposer: Trader,
  offered: { id: string; valueMinor: number },
  wanted: { id: string; valueMinor: number },
): Promise<ProposalView> {
  await waitFor(
    'pending revaluations to finish',
    () => db.prisma.$queryRaw<{ pending: number }[]>`
      SELECT count(*)::int AS pending FROM pgboss.job
      WHERE name = 'valuation.revalue' AND state IN ('created', 'retry', 'active')`,
    (rows) => rows[0]?.pending === 0,
  );
  for (const ticket of [offered, wanted]) {
    await db.prisma.ticket.update({ where: { id: ticket.id }, data: { valueMinor: ticket.valueMinor } });
  }

  return proposer.client.mutation<ProposalView>('proposals.create', {
    offeredTicketId: offered.id,
    wantedTicketId: wanted.id,
  });
}

async function tradeOf(trader: Trader, tradeId: string): Promise<TradeView> {
  return retryUntilAnswered(() => trader.client.query<TradeView>('trades.get', { tradeId }));
}

function transferFrom(trade: TradeView, sender: Trader) {
  const transfer = trade.transfers.find((t) => t.deposit.fromUserId === sender.id);
  if (!transfer) {
    throw new Error(`trade ${trade.id} has no transfer from ${sender.email}`);
  }

  return transfer;
}

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = await mkdtemp(path.join(tmpdir(), 'ticketswap-crash-'));
  const [apiPort, workerPort] = [await freePort(), await freePort()];
  api = new ProductProcess({
    name: 'api', port: apiPort, databaseUrl: db.url, dataDir, runWorkers: false,
  });
  worker = new ProductProcess({
    name: 'worker', port: workerPort, databaseUrl: db.url, dataDir, runWorkers: true,
  });
  // The first start applies nothing (the database is a migrated clone) but must not race.
  await api.start();
  await worker.start();
});

// A test that failed while holding a lock would otherwise stall every test after it.
async function releaseGates(): Promise<void> {
  for (const gate of gates.splice(0)) {
    await gate.release().catch(() => undefined);
  }
}

afterEach(releaseGates);

afterAll(async () => {
  await releaseGates();
  await Promise.all([api?.kill(), worker?.kill()]);
  await db?.drop();
  if (dataDir) {
    await rm(dataDir, { recursive: true, force: true });
  }
});

describe('trade saga under SIGKILL of the API and worker processes', { timeout: 90_000 }, () => {
  const trades: Record<'topUp' | 'timeout' | 'dispute' | 'reversed', { id: string; cashDiffMinor: number }> =
    {} as never;
  let a: Trader;
  let b: Trader;
  let c: Trader;
  let d: Trader;
  let e: Trader;
  let f: Trader;
  let g: Trader;
  let h: Trader;
  let support: Trader;
  const tickets: Record<string, { id: string; valueMinor: number }> = {};

  beforeAll(async () => {
    const event = await createEvent(db.prisma, { name: 'Crash Bowl', city: 'Columbus' });
    a = await newTrader('a');
    b = await newTrader('b');
    c = await newTrader('c');
    d = await newTrader('d');
    e = await newTrader('e');
    f = await newTrader('f');
    g = await newTrader('g');
    h = await newTrader('h');
    support = await newTrader('support', 'SUPPORT');
    tickets.a = await listedTicket(a, event.id, 10_000);
    tickets.b = await listedTicket(b, event.id, 13_000);
    tickets.c = await listedTicket(c, event.id, 10_000);
    tickets.d = await listedTicket(d, event.id, 10_100);
    tickets.e = await listedTicket(e, event.id, 10_000);
    tickets.f = await listedTicket(f, event.id, 12_500);
    tickets.g = await listedTicket(g, event.id, 10_000);
    tickets.h = await listedTicket(h, event.id, 12_500);
  });

  it('opens a top-up trade once when killed between acceptance and escrow', async () => {
    const proposal = await propose(a, tickets.a!, tickets.b!);
    expect(proposal.cashDiffMinor).toBeGreaterThan(0);

    // The acceptance commits; opening the trade then stops at its INSERT into "Trade".
    const gate = await holdLock(db.prisma, 'LOCK TABLE "Trade" IN SHARE MODE');
    gates.push(gate);
    const accepting = b.client.mutation('proposals.accept', { proposalId: proposal.id });
    accepting.catch(() => undefined);
    await gate.waitUntilSomeoneWaits();
    const meanwhile = await db.prisma.proposal.findUniqueOrThrow({
      where: { id: proposal.id },
      select: { state: true, legs: { select: { acceptedAt: true } } },
    });
    expect(meanwhile.state).toBe('OPEN');
    expect(meanwhile.legs.every((leg) => leg.acceptedAt)).toBe(true);
    await crashAndRestart(gate);
    await expect(accepting).rejects.toThrow();

    // Both tickets stay committed to the open proposal until the acceptance is retried.
    const committed = await db.prisma.ticket.findMany({
      where: { id: { in: [tickets.a!.id, tickets.b!.id] } },
      select: { state: true },
    });
    expect(committed.map((t) => t.state)).toEqual(['IN_TRADE', 'IN_TRADE']);
    expect(await db.prisma.trade.count({ where: { proposalId: proposal.id } })).toBe(0);

    const retried = await retryUntilAnswered(() =>
      b.client.mutation<ProposalView>('proposals.accept', { proposalId: proposal.id }));
    expect(retried.trade?.id).toBeTruthy();
    trades.topUp = { id: retried.trade!.id, cashDiffMinor: proposal.cashDiffMinor };
    const payments = await db.prisma.payment.findMany({ where: { tradeId: trades.topUp.id } });
    expect(payments).toHaveLength(1);
    expect(payments[0]!.state).toBe('AUTHORIZED');
    expect(payments[0]!.amountMinor).toBe(proposal.cashDiffMinor);
  });

  it('keeps the escrow and both sent marks across kills', async () => {
    await crashAndRestart();
    let trade = await tradeOf(a, trades.topUp.id);
    expect(trade.state).toBe('ESCROWED');

    for (const sender of [a, b]) {
      const transfer = transferFrom(trade, sender);
      await retryUntilAnswered(() =>
        sender.client.mutation('trades.markSent', { transferId: transfer.id, note: 'sent it' }));
      await crashAndRestart();
      trade = await tradeOf(sender, trades.topUp.id);
      expect(transferFrom(trade, sender).state).toBe('SENT');
    }
  });

  it('captures and pays the top-up once when killed during settlement', async () => {
    let trade = await tradeOf(a, trades.topUp.id);
    await b.client.mutation('trades.confirmReceived', { transferId: transferFrom(trade, a).id });

    // The settlement job captures, then stops at the INSERT of the receiver's payout.
    const gate = await holdLock(db.prisma, 'LOCK TABLE "Payout" IN SHARE MODE');
    gates.push(gate);
    await a.client.mutation('trades.confirmReceived', { transferId: transferFrom(trade, b).id });
    await gate.waitUntilSomeoneWaits();
    await crashAndRestart(gate);

    trade = await tradeOf(a, trades.topUp.id);
    expect(trade.state).toBe('COMPLETED');
    const payout = await waitFor(
      'the top-up payout to be paid',
      () => db.prisma.payout.findMany({ where: { tradeId: trades.topUp.id } }),
      (rows) => rows.length === 1 && rows[0]!.state === 'PAID',
    );
    expect(payout[0]!.userId).toBe(b.id);
    expect(payout[0]!.amountMinor).toBe(trades.topUp.cashDiffMinor);
  });

  it('times a trade out once when killed during the timeout job', async () => {
    const proposal = await propose(c, tickets.c!, tickets.d!);
    expect(proposal.cashDiffMinor).toBe(0);
    const accepted = await d.client.mutation<ProposalView>('proposals.accept', {
      proposalId: proposal.id,
    });
    trades.timeout = { id: accepted.trade!.id, cashDiffMinor: 0 };
    const trade = await tradeOf(c, trades.timeout.id);
    await c.client.mutation('trades.markSent', {
      transferId: transferFrom(trade, c).id,
      note: 'sent it',
    });

    // The deadline passes: the trade and its queued timeout job are moved to now.
    const gate = await holdLock(
      db.prisma,
      `SELECT id FROM "Ticket" WHERE id IN ('${tickets.c!.id}', '${tickets.d!.id}') FOR UPDATE`,
    );
    gates.push(gate);
    await db.prisma.trade.update({
      where: { id: trades.timeout.id },
      data: { releaseDeadline: new Date(Date.now() - 1000) },
    });
    const due = await db.prisma.$executeRaw`
      UPDATE pgboss.job SET start_after = now()
      WHERE name = 'escrow.timeout' AND singleton_key = ${trades.timeout.id} AND state = 'created'`;
    expect(due).toBe(1);
    await gate.waitUntilSomeoneWaits();
    await crashAndRestart(gate);

    await waitFor(
      'the trade to time out',
      () => db.prisma.trade.findUniqueOrThrow({ where: { id: trades.timeout.id } }),
      (row) => row.state === 'TIMED_OUT',
    );
  });

  it('executes a dispute ruling once when killed during it', async () => {
    const proposal = await propose(e, tickets.e!, tickets.f!);
    expect(proposal.cashDiffMinor).toBeGreaterThan(0);
    const accepted = await f.client.mutation<ProposalView>('proposals.accept', {
      proposalId: proposal.id,
    });
    trades.dispute = { id: accepted.trade!.id, cashDiffMinor: proposal.cashDiffMinor };
    const trade = await tradeOf(e, trades.dispute.id);
    await e.client.mutation('trades.markSent', {
      transferId: transferFrom(trade, e).id,
      note: 'sent it',
    });
    const dispute = await f.client.mutation<{ id: string }>('trades.openDispute', {
      tradeId: trades.dispute.id,
      reason: 'NOT_RECEIVED',
      note: 'Nothing arrived in my account.',
    });

    const gate = await holdLock(
      db.prisma,
      `SELECT id FROM "Ticket" WHERE id IN ('${tickets.e!.id}', '${tickets.f!.id}') FOR UPDATE`,
    );
    gates.push(gate);
    const ruling = { disputeId: dispute.id, outcome: 'RETURN_BOTH', note: 'No proof of sending' };
    const resolving = support.client.mutation('admin.disputes.resolve', ruling);
    resolving.catch(() => undefined);
    await gate.waitUntilSomeoneWaits();
    await crashAndRestart(gate);
    await expect(resolving).rejects.toThrow();

    const resolved = await retryUntilAnswered(() =>
      support.client.mutation<{ state: string; outcome: string }>('admin.disputes.resolve', ruling));
    expect(resolved.state).toBe('RESOLVED');
    await waitFor(
      'the disputed top-up to be cancelled',
      () => db.prisma.payment.findFirstOrThrow({ where: { tradeId: trades.dispute.id } }),
      (payment) => payment.state === 'CANCELLED',
    );
  });

  it('reverses a paid top-up once when killed while undoing a completed trade', async () => {
    const proposal = await propose(g, tickets.g!, tickets.h!);
    expect(proposal.cashDiffMinor).toBeGreaterThan(0);
    const accepted = await h.client.mutation<ProposalView>('proposals.accept', {
      proposalId: proposal.id,
    });
    trades.reversed = { id: accepted.trade!.id, cashDiffMinor: proposal.cashDiffMinor };
    const trade = await tradeOf(g, trades.reversed.id);
    for (const [sender, receiver] of [[g, h], [h, g]] as const) {
      const transfer = transferFrom(trade, sender);
      await sender.client.mutation('trades.markSent', { transferId: transfer.id, note: 'sent it' });
      await receiver.client.mutation('trades.confirmReceived', { transferId: transfer.id });
    }
    const [payout] = await waitFor(
      'the top-up payout to be paid',
      () => db.prisma.payout.findMany({ where: { tradeId: trades.reversed.id } }),
      (rows) => rows.length === 1 && rows[0]!.state === 'PAID',
    );

    // g's ticket from h was refused at the gate; support undoes the trade. The settlement job
    // then stops where it locks h's payout to take it back.
    const dispute = await g.client.mutation<{ id: string }>('trades.openDispute', {
      tradeId: trades.reversed.id,
      ticketId: tickets.h!.id,
      reason: 'REFUSED_AT_GATE',
      note: 'The gate scanner said the barcode was void.',
    });
    const gate = await holdLock(db.prisma, `SELECT id FROM "Payout" WHERE id = '${payout!.id}' FOR UPDATE`);
    gates.push(gate);
    await support.client.mutation('admin.disputes.resolve', {
      disputeId: dispute.id,
      outcome: 'RETURN_BOTH',
      note: 'The venue confirmed the barcode was void.',
    });
    await gate.waitUntilSomeoneWaits();
    await crashAndRestart(gate);

    await waitFor(
      'the top-up to be refunded',
      () => db.prisma.payment.findFirstOrThrow({ where: { tradeId: trades.reversed.id } }),
      (payment) => payment.state === 'REFUNDED',
    );
    const reversed = await db.prisma.payout.findUniqueOrThrow({ where: { id: payout!.id } });
    expect(reversed.state).toBe('REVERSED');
    expect(await db.prisma.traderDebt.count()).toBe(0);
  });

  it('ends every trade in a consistent state', async () => {
    const expected = {
      [trades.topUp.id]: { state: 'COMPLETED', deposits: 'RELEASED', swapped: true },
      [trades.timeout.id]: { state: 'TIMED_OUT', deposits: 'RETURNED', swapped: false },
      [trades.dispute.id]: { state: 'RETURNED', deposits: 'RETURNED', swapped: false },
      [trades.reversed.id]: { state: 'RETURNED', deposits: 'REVERSED', swapped: false },
    };
    const rows = await db.prisma.trade.findMany({
      select: {
        id: true,
        state: true,
        deposits: { select: { state: true, fromUserId: true, toUserId: true, ticketId: true } },
      },
    });
    expect(rows.map((row) => row.id).sort()).toEqual(Object.keys(expected).sort());

    for (const trade of rows) {
      const want = expected[trade.id]!;
      expect(trade.state, `state of trade ${trade.id}`).toBe(want.state);
      expect(trade.deposits).toHaveLength(2);
      for (const deposit of trade.deposits) {
        expect(deposit.state, `deposit of ticket ${deposit.ticketId}`).toBe(want.deposits);
        const ticket = await db.prisma.ticket.findUniqueOrThrow({
          where: { id: deposit.ticketId },
          select: { ownerId: true, state: true },
        });
        expect(ticket.ownerId).toBe(want.swapped ? deposit.toUserId : deposit.fromUserId);
        // Undone after completion: the ticket refused at the gate is void, the other withdrawn.
        let ticketState = want.swapped ? 'TRANSFERRED' : 'LISTED';
        if (want.deposits === 'REVERSED') {
          ticketState = deposit.ticketId === tickets.h!.id ? 'EXPIRED' : 'WITHDRAWN';
        }
        expect(ticket.state).toBe(ticketState);
      }
    }
  });

  it('leaves no ticket committed to a proposal that cannot open', async () => {
    const stuck = await db.prisma.ticket.count({ where: { state: { in: ['IN_TRADE', 'ESCROWED'] } } });
    expect(stuck).toBe(0);
    const open = await db.prisma.proposal.count({ where: { state: 'OPEN' } });
    expect(open).toBe(0);
  });

  it('balances every ledger journal and both unit totals', async () => {
    const unbalanced = await db.prisma.$queryRaw<{ journalId: string }[]>`
      SELECT "journalId" FROM "LedgerEntry" GROUP BY "journalId", unit
      HAVING sum("amountMinor") <> 0`;
    expect(unbalanced).toEqual([]);
    const totals = await db.prisma.ledgerEntry.groupBy({ by: ['unit'], _sum: { amountMinor: true } });
    for (const total of totals) {
      expect(total._sum.amountMinor, `total of ${total.unit}`).toBe(0);
    }
    // A trade that returned both tickets leaves each trader's credits where they started.
    for (const tradeId of [trades.timeout.id, trades.dispute.id, trades.reversed.id]) {
      const perUser = await db.prisma.$queryRaw<{ userId: string; total: bigint }[]>`
        SELECT e."userId", sum(e."amountMinor") AS total
        FROM "LedgerEntry" e JOIN "LedgerJournal" j ON j.id = e."journalId"
        WHERE j."tradeId" = ${tradeId}::uuid AND e."userId" IS NOT NULL
        GROUP BY e."userId"`;
      expect(perUser.map((row) => Number(row.total))).toEqual([0, 0]);
    }
  });

  it('writes each settlement effect once per trade', async () => {
    const kinds = await db.prisma.ledgerJournal.groupBy({
      by: ['tradeId', 'kind'],
      _count: { _all: true },
    });
    const count = (tradeId: string, kind: string) =>
      kinds.find((k) => k.tradeId === tradeId && k.kind === kind)?._count._all ?? 0;

    for (const { id } of Object.values(trades)) {
      expect(count(id, 'escrow.deposit'), `escrow.deposit of ${id}`).toBe(2);
      expect(count(id, 'escrow.release') + count(id, 'escrow.return')).toBe(2);
    }
    expect(count(trades.topUp.id, 'topup.captured')).toBe(1);
    expect(count(trades.topUp.id, 'topup.released')).toBe(1);
    expect(count(trades.topUp.id, 'payout.paid')).toBe(1);
    expect(count(trades.dispute.id, 'topup.captured')).toBe(0);
    expect(count(trades.dispute.id, 'topup.refunded')).toBe(0);
    for (const kind of ['topup.captured', 'payout.paid', 'escrow.reversed', 'payout.reversed', 'topup.clawed_back', 'topup.refunded']) {
      expect(count(trades.reversed.id, kind), kind).toBe(kind === 'escrow.reversed' ? 2 : 1);
    }
  });

  it('captures at most one payment per trade, for the top-up amount', async () => {
    const payments = await db.prisma.payment.findMany({
      select: { tradeId: true, state: true, amountMinor: true },
    });
    expect(payments).toHaveLength(3);
    const topUp = payments.find((p) => p.tradeId === trades.topUp.id);
    expect(topUp?.state).toBe('CAPTURED');
    expect(topUp?.amountMinor).toBe(trades.topUp.cashDiffMinor);
    const disputed = payments.find((p) => p.tradeId === trades.dispute.id);
    expect(disputed?.state).toBe('CANCELLED');

    const payouts = await db.prisma.payout.findMany({
      select: { tradeId: true, userId: true, state: true, amountMinor: true },
    });
    expect(payouts).toEqual(expect.arrayContaining([
      { tradeId: trades.topUp.id, userId: b.id, state: 'PAID', amountMinor: trades.topUp.cashDiffMinor },
      { tradeId: trades.reversed.id, userId: h.id, state: 'REVERSED', amountMinor: trades.reversed.cashDiffMinor },
    ]));
    expect(payouts).toHaveLength(2);
    const captureAudits = await db.prisma.auditLog.count({
      where: { action: 'payment.captured', entityId: trades.topUp.id },
    });
    expect(captureAudits).toBe(1);
  });

  it('leaves no job in the dead-letter queue', async () => {
    const dead = await db.prisma.$queryRaw<{ name: string; data: unknown }[]>`
      SELECT name, data FROM pgboss.job WHERE state = 'failed' OR name = 'jobs.dead'`;
    expect(dead).toEqual([]);
  });
});
