// Random sequences of trades ending in completion, timeout or a dispute ruling must leave the
// ledger balanced and every ticket with exactly one of its two traders.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEvent, type TestEvent } from '../testing/fixtures.ts';
import { createHarness, type Harness } from '../testing/harness.ts';
import { timeOutTrade } from '../trades/escrow.ts';

let h: Harness;
let event: TestEvent;
let serial = 0;

beforeAll(async () => {
  h = await createHarness();
  event = await createEvent(h.db.prisma, { name: 'Ledger Property Game', city: 'Tulsa' });
});

afterAll(async () => {
  await h.close();
});

type Ending = 'complete' | 'timeout' | 'COMPLETE' | 'RETURN_BOTH' | 'SPLIT';

interface Step {
  valueA: number;
  valueB: number;
  aliceSends: boolean;
  ending: Ending;
}

/** Inserts a listed, valued ticket straight into the database; uploads are tested elsewhere. */
async function listedTicket(ownerId: string, valueMinor: number) {
  serial += 1;

  return h.db.prisma.ticket.create({
    data: {
      ownerId,
      uploadedById: ownerId,
      eventId: event.id,
      state: 'LISTED',
      section: 'Section 100',
      barcodeHash: `property-${serial}-${Date.now()}`,
      barcodeFormat: 'QRCode',
      fileSha256: `property-${serial}-${Date.now()}`,
      storageKey: 'none',
      mimeType: 'application/pdf',
      sizeBytes: 1,
      valueMinor,
      listedAt: new Date(),
    },
  });
}

async function runStep(step: Step) {
  const alice = await h.createUser({});
  const bob = await h.createUser({});
  const support = await h.createUser({ role: 'SUPPORT' });
  const ticketA = await listedTicket(alice.userId, step.valueA);
  const ticketB = await listedTicket(bob.userId, step.valueB);
  const proposal = await h.caller(alice).proposals.create({
    offeredTicketId: ticketA.id,
    wantedTicketId: ticketB.id,
  });
  await h.caller(alice).proposals.accept({ proposalId: proposal.id });
  const accepted = await h.caller(bob).proposals.accept({ proposalId: proposal.id });
  const tradeId = accepted.trade!.id;
  const trade = await h.caller(alice).trades.get({ tradeId });
  const aliceTransfer = trade.transfers.find((t) => t.deposit.fromUserId === alice.userId)!;
  const bobTransfer = trade.transfers.find((t) => t.deposit.fromUserId === bob.userId)!;

  if (step.aliceSends) {
    await h.caller(alice).trades.markSent({ transferId: aliceTransfer.id, note: 'sent' });
    await h.caller(bob).trades.confirmReceived({ transferId: aliceTransfer.id });
  }
  if (step.ending === 'complete') {
    await h.caller(bob).trades.markSent({ transferId: bobTransfer.id, note: 'sent' });
    if (!step.aliceSends) {
      await h.caller(alice).trades.markSent({ transferId: aliceTransfer.id, note: 'sent' });
      await h.caller(bob).trades.confirmReceived({ transferId: aliceTransfer.id });
    }
    await h.caller(alice).trades.confirmReceived({ transferId: bobTransfer.id });
  } else if (step.ending === 'timeout') {
    h.setNow(new Date(Date.now() + (h.services.config.escrowHours + 1) * 3_600_000));
    try {
      await timeOutTrade(h.services, tradeId);
    } finally {
      h.setNow(new Date());
    }
  } else {
    const dispute = await h.caller(bob).trades.openDispute({
      tradeId,
      reason: 'OTHER',
      note: 'Property test dispute.',
    });
    await h.caller(support).admin.disputes.resolve({
      disputeId: dispute.id,
      outcome: step.ending,
      note: 'Property test ruling.',
    });
  }

  return { alice, bob, ticketA, ticketB };
}

const stepArbitrary = fc.record({
  valueA: fc.integer({ min: 5_000, max: 50_000 }),
  valueB: fc.integer({ min: -300, max: 300 }),
  aliceSends: fc.boolean(),
  ending: fc.constantFrom<Ending>('complete', 'timeout', 'COMPLETE', 'RETURN_BOTH', 'SPLIT'),
}).map((step) => ({ ...step, valueB: Math.round(step.valueA * (1 + step.valueB / 10_000)) }));

describe('ledger under random trade sequences', () => {
  it('stays balanced and loses no ticket', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary, { minLength: 1, maxLength: 3 }), async (steps) => {
        for (const step of steps) {
          const { alice, bob, ticketA, ticketB } = await runStep(step);
          const owners = await h.db.prisma.ticket.findMany({
            where: { id: { in: [ticketA.id, ticketB.id] } },
            select: { ownerId: true },
          });
          expect(owners).toHaveLength(2);
          for (const owner of owners) {
            expect([alice.userId, bob.userId]).toContain(owner.ownerId);
          }
        }

        const unbalanced = await h.db.prisma.$queryRaw<unknown[]>`
          SELECT "journalId" FROM "LedgerEntry" GROUP BY "journalId", unit
          HAVING sum("amountMinor") <> 0`;
        expect(unbalanced).toEqual([]);
        const [platform] = await h.db.prisma.$queryRaw<{ total: bigint | null }[]>`
          SELECT sum("amountMinor") AS total FROM "LedgerEntry"`;
        expect(Number(platform?.total ?? 0)).toBe(0);
        // Escrow holds exactly the value of the tickets still held.
        const [escrow] = await h.db.prisma.$queryRaw<{ total: bigint | null }[]>`
          SELECT sum("amountMinor") AS total FROM "LedgerEntry" WHERE account = 'ESCROW_CREDITS'`;
        const held = await h.db.prisma.escrowDeposit.aggregate({
          where: { state: 'HELD' },
          _sum: { valueMinor: true },
        });
        expect(Number(escrow?.total ?? 0) + (held._sum.valueMinor ?? 0)).toBe(0);
      }),
      { numRuns: 15, seed: Number(process.env.PROPERTY_SEED ?? 20261204) },
    );
  });
});
