import { fileURLToPath } from 'node:url';

import { verify } from '@node-rs/argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestDatabase, type TestDatabase } from '../testing.ts';
import { seedCatalogue } from './catalogue.ts';
import { DEMO_EXTERNAL_ID_PREFIX } from './demo-events.ts';
import { DEMO_PASSWORD, seedDemo, type DemoSummary } from './demo.ts';
import { toWallClock } from './timezones.ts';

const dataDir = fileURLToPath(new URL('../../../../data/', import.meta.url));
const now = new Date('2026-12-04T12:00:00Z');

let database: TestDatabase;
let demo: DemoSummary;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedCatalogue(database.prisma, { dataDir });
  demo = await seedDemo(database.prisma, { now });
}, 120_000);

afterAll(async () => {
  await database?.drop();
});

describe('seedDemo', () => {
  it('creates staff and traders with the demo password', async () => {
    const users = await database.prisma.user.findMany({ orderBy: { email: 'asc' } });
    const byEmail = new Map(users.map((user) => [user.email, user]));

    expect(users).toHaveLength(6);
    expect(byEmail.get('compliance@example.test')?.role).toBe('COMPLIANCE');
    expect(byEmail.get('support@example.test')?.role).toBe('SUPPORT');
    expect(byEmail.get('admin@example.test')?.role).toBe('ADMIN');
    expect(byEmail.get('alice@example.test')?.kycStatus).toBe('VERIFIED');
    expect(byEmail.get('bob@example.test')?.kycStatus).toBe('VERIFIED');
    expect(byEmail.get('carol@example.test')?.kycStatus).toBe('PENDING');
    expect(await verify(byEmail.get('alice@example.test')!.passwordHash, DEMO_PASSWORD)).toBe(true);
    expect(await verify(byEmail.get('alice@example.test')!.passwordHash, 'wrong')).toBe(false);
  });

  it('sets traders home cities from venues', async () => {
    const venueCities = new Set(
      (await database.prisma.venue.findMany({ select: { city: true } })).map((v) => v.city),
    );
    const traders = await database.prisma.user.findMany({ where: { role: 'TRADER' } });

    for (const trader of traders) {
      expect(venueCities.has(trader.homeCity ?? '')).toBe(true);
    }
  });

  it('puts demo events after now on the original weekday and local time', async () => {
    const copies = await database.prisma.event.findMany({
      where: { externalId: { startsWith: DEMO_EXTERNAL_ID_PREFIX } },
      include: { venue: true },
    });

    expect(copies).toHaveLength(5);
    for (const copy of copies) {
      const original = await database.prisma.event.findUniqueOrThrow({
        where: { externalId: copy.externalId.slice(DEMO_EXTERNAL_ID_PREFIX.length) },
      });
      const zone = copy.venue.timezone;
      const before = toWallClock(original.startsAt, zone);
      const after = toWallClock(copy.startsAt, zone);
      const weekday = (wall: typeof before) =>
        new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay();

      expect(copy.startsAt > now).toBe(true);
      expect(original.startsAt < now).toBe(true);
      expect(weekday(after)).toBe(weekday(before));
      expect([after.hour, after.minute]).toEqual([before.hour, before.minute]);
      expect(after.year - before.year).toBeGreaterThanOrEqual(1);
    }
  });

  it('copies comparables to the demo events', async () => {
    const count = await database.prisma.comparablePrice.count({
      where: { eventId: demo.concert.id },
    });

    expect(count).toBe(1046);
  });

  it('gives alice and bob wants that make a swap possible', async () => {
    const alice = await database.prisma.user.findUniqueOrThrow({
      where: { email: 'alice@example.test' },
      include: { wants: { include: { event: { include: { venue: true } } } } },
    });
    const bob = await database.prisma.user.findUniqueOrThrow({
      where: { email: 'bob@example.test' },
      include: { wants: { include: { event: { include: { venue: true } } } } },
    });

    // Bob's home game is what alice wants; alice's home concert is what bob wants.
    expect(alice.wants.map((want) => want.eventId)).toContain(demo.games[0]!.id);
    expect(bob.wants.map((want) => want.eventId)).toContain(demo.concert.id);
    expect(alice.wants[0]?.event?.venue.city).toBe(bob.homeCity);
    expect(bob.wants[0]?.event?.venue.city).toBe(alice.homeCity);
  });

  it('creates no duplicates on a second run', async () => {
    const { prisma } = database;
    const counts = async () => ({
      users: await prisma.user.count(),
      events: await prisma.event.count(),
      wants: await prisma.want.count(),
      comparables: await prisma.comparablePrice.count(),
      marketPrices: await prisma.marketPrice.count(),
    });
    const before = await counts();
    const again = await seedDemo(prisma, { now });

    expect(await counts()).toEqual(before);
    expect(again.userIds).toEqual(demo.userIds);
    expect(again.concert.id).toBe(demo.concert.id);
  });

  it('rejects a database without the catalogue', async () => {
    const empty = await createTestDatabase();
    try {
      await expect(seedDemo(empty.prisma, { now })).rejects.toThrow(/run seedCatalogue first/);
    } finally {
      await empty.drop();
    }
  });
});
