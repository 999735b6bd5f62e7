// Demo accounts, demo events and wants for trying the marketplace by hand. Needs the catalogue
// (seedCatalogue) first. Creates no tickets: ticket files come from the test-ticket generator,
// which should give alice a ticket for the demo concert and bob one for `games[0]`, so that
// the wants below let the matcher propose a swap between them.
import { hash } from '@node-rs/argon2';

import type { KycStatus, PrismaClient, Role } from '../generated/prisma/client.ts';
import type { SeedLogger } from './catalogue.ts';
import { CONCERT_EXTERNAL_ID } from './concert.ts';
import { pickDemoGames, upsertDemoCopy, type DemoEvent } from './demo-events.ts';

/**
 * The password of every demo account. It is published on purpose: demo accounts exist only
 * in local and test databases.
 */
export const DEMO_PASSWORD = 'swap-demo-pass';

export const DEMO_EMAIL_DOMAIN = 'example.test';

const DAY_MS = 24 * 60 * 60 * 1000;
// Demo events start at least this long after `now`, so they stay tradable for a while.
const MIN_DAYS_AHEAD = 14;

export interface SeedDemoOptions {
  /** The clock for placing demo events in the future; defaults to the current time. */
  now?: Date;
  logger?: SeedLogger;
}

type DemoUserKey = 'compliance' | 'support' | 'admin' | 'alice' | 'bob' | 'carol';

export interface DemoSummary {
  /** The demo password, returned so a command-line seed can print it. */
  password: string;
  userIds: Record<DemoUserKey, string>;
  concert: DemoEvent;
  games: DemoEvent[];
  wants: number;
}

interface DemoUser {
  key: DemoUserKey;
  displayName: string;
  role: Role;
  kycStatus: KycStatus;
  homeCity: string | null;
  destinationCities: string[];
}

/** Seeds the demo users, the demo copies of events and the traders' wants. */
export async function seedDemo(
  prisma: PrismaClient,
  options: SeedDemoOptions = {},
): Promise<DemoSummary> {
  const now = options.now ?? new Date();
  const notBefore = new Date(now.getTime() + MIN_DAYS_AHEAD * DAY_MS);

  const concertSource = await prisma.event.findUnique({
    where: { externalId: CONCERT_EXTERNAL_ID },
    select: { venue: { select: { city: true } } },
  });
  if (!concertSource) {
    throw new Error(`event ${CONCERT_EXTERNAL_ID} not found; run seedCatalogue first`);
  }

  const gameIds = await pickDemoGames(prisma, concertSource.venue.city);
  const concert = await upsertDemoCopy(prisma, CONCERT_EXTERNAL_ID, notBefore);
  const games: DemoEvent[] = [];
  for (const externalId of gameIds) {
    games.push(await upsertDemoCopy(prisma, externalId, notBefore));
  }
  const [bobsGame, carolsGame] = games as [DemoEvent, DemoEvent, ...DemoEvent[]];

  const userIds = await upsertUsers(prisma, now, [
    staff('compliance', 'Casey Compliance', 'COMPLIANCE'),
    staff('support', 'Sam Support', 'SUPPORT'),
    staff('admin', 'Ada Admin', 'ADMIN'),
    trader('alice', 'Alice Archer', 'VERIFIED', concert.city, [bobsGame.city]),
    trader('bob', 'Bob Brennan', 'VERIFIED', bobsGame.city, [concert.city]),
    trader('carol', 'Carol Chen', 'PENDING', carolsGame.city, [concert.city]),
  ]);

  const wants = await replaceWants(prisma, userIds, { concert, bobsGame, carolsGame, now });

  const summary: DemoSummary = { password: DEMO_PASSWORD, userIds, concert, games, wants };
  options.logger?.info(
    { users: Object.keys(userIds).length, demoEvents: games.length + 1, wants },
    'demo data seeded',
  );

  return summary;
}

function staff(key: DemoUserKey, displayName: string, role: Role): DemoUser {
  return { key, displayName, role, kycStatus: 'NONE', homeCity: null, destinationCities: [] };
}

function trader(
  key: DemoUserKey,
  displayName: string,
  kycStatus: KycStatus,
  homeCity: string,
  destinationCities: string[],
): DemoUser {
  return { key, displayName, role: 'TRADER', kycStatus, homeCity, destinationCities };
}

/** Upserts the users by email, resetting each to its demo state and the demo password. */
async function upsertUsers(
  prisma: PrismaClient,
  now: Date,
  users: DemoUser[],
): Promise<Record<DemoUserKey, string>> {
  const ids: Partial<Record<DemoUserKey, string>> = {};

  for (const user of users) {
    const email = `${user.key}@${DEMO_EMAIL_DOMAIN}`;
    const reviewedById = user.kycStatus === 'VERIFIED' ? ids.compliance : undefined;
    const fields = {
      displayName: user.displayName,
      passwordHash: await hash(DEMO_PASSWORD),
      role: user.role,
      kycStatus: user.kycStatus,
      kycReviewedById: reviewedById ?? null,
      kycReviewedAt: reviewedById ? now : null,
      homeCity: user.homeCity,
      destinationCities: user.destinationCities,
    };
    const stored = await prisma.user.upsert({
      where: { email },
      create: { email, ...fields },
      update: fields,
      select: { id: true },
    });
    ids[user.key] = stored.id;
  }

  return ids as Record<DemoUserKey, string>;
}

/**
 * Replaces the traders' wants. Alice wants bob's game and bob wants alice's concert, so a
 * ticket for each makes a two-way match. Carol, whose KYC is pending, wants any sports event
 * in her city in the coming year and any concert, so she shows up in matching without being
 * able to trade.
 */
async function replaceWants(
  prisma: PrismaClient,
  userIds: Record<DemoUserKey, string>,
  events: { concert: DemoEvent; bobsGame: DemoEvent; carolsGame: DemoEvent; now: Date },
): Promise<number> {
  const traders = [userIds.alice, userIds.bob, userIds.carol];
  const inOneYear = new Date(events.now.getTime() + 365 * DAY_MS);

  const result = await prisma.$transaction(async (tx) => {
    await tx.want.deleteMany({ where: { userId: { in: traders } } });

    return tx.want.createMany({
      data: [
        { userId: userIds.alice, eventId: events.bobsGame.id, quantity: 1 },
        { userId: userIds.bob, eventId: events.concert.id, quantity: 1 },
        {
          userId: userIds.carol,
          category: 'SPORTS',
          city: events.carolsGame.city,
          dateFrom: events.now,
          dateTo: inOneYear,
        },
        { userId: userIds.carol, category: 'CONCERT' },
      ],
    });
  });

  return result.count;
}
