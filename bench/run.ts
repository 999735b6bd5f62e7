// Benchmarks the matching tick on a fresh test database. Each figure is a ratio against a
// baseline measured in the same run on the same data: one read of the same listings with
// their events, which is the least work any tick has to do.
import { pino } from 'pino';

import type { PrismaClient } from '@ts/db';
import { createTestDatabase } from '@ts/db/testing';

import { defaultConfig, type Services } from '../packages/domain/src/context.ts';
import { runMatchingTick } from '../packages/domain/src/matching/tick.ts';
import { LocalTestPaymentsAdapter } from '../packages/domain/src/payments/local-adapter.ts';
import { LocalFileStorage } from '../packages/domain/src/storage/storage.ts';

const sizes = (process.env.BENCH_LISTINGS ?? '100,400,1600').split(',').map(Number);
const repeats = 5;

async function seedListings(prisma: PrismaClient, count: number, round: number) {
  const venue = await prisma.venue.create({
    data: { id: 800_000 + round, name: 'Bench Arena', city: 'Austin', timezone: 'America/Chicago' },
  });
  const events = [];
  for (let i = 0; i < 10; i += 1) {
    events.push(await prisma.event.create({
      data: {
        externalId: `bench:${round}:${i}`,
        name: `Bench Game ${i}`,
        category: i % 2 ? 'SPORTS' : 'CONCERT',
        startsAt: new Date(Date.now() + (10 + i) * 86_400_000),
        venueId: venue.id,
      },
    }));
  }
  for (let i = 0; i < count; i += 1) {
    const user = await prisma.user.create({
      data: {
        email: `bench-${round}-${i}@example.test`,
        passwordHash: 'not-a-real-hash',
        displayName: `Bench ${i}`,
        kycStatus: 'VERIFIED',
        // Owners of event k want event k+5 and the other way round, so wants pair up.
        wants: { create: { eventId: events[(i + 5) % events.length]!.id } },
      },
    });
    await prisma.ticket.create({
      data: {
        ownerId: user.id,
        uploadedById: user.id,
        eventId: events[i % events.length]!.id,
        state: 'LISTED',
        section: 'Section 100',
        barcodeHash: `bench-${round}-${i}`,
        barcodeFormat: 'QRCode',
        fileSha256: `bench-${round}-${i}`,
        storageKey: 'none',
        mimeType: 'application/pdf',
        sizeBytes: 1,
        // Values spread ±10 % so some pairs fall inside the 3 % tolerance and some do not.
        valueMinor: 10_000 + ((i * 7919) % 2_000) - 1_000,
        listedAt: new Date(),
      },
    });
  }
}

async function time(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();

  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);

  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main() {
  console.log('| listings | baseline read (ms) | tick (ms) | tick / baseline | proposals |');
  console.log('|---|---|---|---|---|');
  for (const [round, size] of sizes.entries()) {
    const db = await createTestDatabase();
    const services: Services = {
      prisma: db.prisma,
      redis: null as never,
      storage: new LocalFileStorage('/tmp/ticketswap-bench'),
      jobs: { send: async () => null },
      payments: new LocalTestPaymentsAdapter(),
      logger: pino({ level: 'silent' }),
      config: defaultConfig,
      now: () => new Date(),
    };
    try {
      await seedListings(db.prisma, size, round);
      const baselines: number[] = [];
      const ticks: number[] = [];
      let proposals = 0;
      for (let r = 0; r < repeats; r += 1) {
        baselines.push(await time(() => db.prisma.ticket.findMany({
          where: { state: 'LISTED' },
          include: { event: { include: { venue: true } }, owner: { select: { homeCity: true } } },
        })));
        // Each repeat starts from no open proposals so every tick does the full pairing.
        await db.prisma.proposalLeg.deleteMany();
        await db.prisma.proposal.deleteMany();
        let created = 0;
        ticks.push(await time(async () => {
          created = (await runMatchingTick(services, `bench-${size}-${r}`)).proposalsCreated;
        }));
        proposals = created;
      }
      const base = median(baselines);
      const tick = median(ticks);
      console.log(`| ${size} | ${base.toFixed(1)} | ${tick.toFixed(1)} | ${(tick / base).toFixed(1)} | ${proposals} |`);
    } finally {
      await db.drop();
    }
  }
}

await main();
