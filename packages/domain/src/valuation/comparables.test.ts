import { randomUUID } from 'node:crypto';

import type { EventCategory, PrismaClient } from '@ts/db';
import { createTestDatabase, type TestDatabase } from '@ts/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DomainError } from '../errors.ts';
import { COMPARABLES_MODEL_VERSION } from './comparables.ts';
import { valueTicket } from './value-ticket.ts';

const now = new Date('2026-12-04T12:00:00Z');
const observedAt = new Date('2026-10-01T12:00:00Z');

let database: TestDatabase;
let prisma: PrismaClient;
let ownerId: string;
let cappedOwnerId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = database.prisma;
  await prisma.venue.create({
    data: { id: 1, name: 'Test Stadium', city: 'Las Vegas', timezone: 'America/Los_Angeles' },
  });
  await prisma.jurisdictionRule.create({
    data: { code: 'CAP110', name: 'Capped at 110 %', maxPercentOfFace: 110 },
  });
  ownerId = (await createUser('owner@example.test', 'US')).id;
  cappedOwnerId = (await createUser('capped@example.test', 'CAP110')).id;
});

afterAll(async () => {
  await database?.drop();
});

function createUser(email: string, jurisdiction: string) {
  return prisma.user.create({
    data: { email, passwordHash: 'not-a-real-hash', displayName: email, jurisdiction },
  });
}

async function createEvent(category: EventCategory, tierPrices: Record<number, number[]> = {}) {
  const event = await prisma.event.create({
    data: {
      externalId: `test:${randomUUID()}`,
      name: 'Test event',
      category,
      startsAt: new Date('2027-06-01T03:00:00Z'),
      venueId: 1,
    },
  });
  const rows = Object.entries(tierPrices).flatMap(([tier, prices]) =>
    prices.map((priceMinor) => ({
      eventId: event.id,
      sectionTier: Number(tier),
      priceMinor,
      source: 'test',
      observedAt,
    })),
  );
  await prisma.comparablePrice.createMany({ data: rows });

  return event;
}

async function createTicket(fields: {
  eventId: string | null;
  section?: string;
  sectionTier?: number;
  faceValueMinor?: number;
  owner?: string;
}) {
  const owner = fields.owner ?? ownerId;

  return prisma.ticket.create({
    data: {
      ownerId: owner,
      uploadedById: owner,
      eventId: fields.eventId,
      section: fields.section ?? null,
      sectionTier: fields.sectionTier ?? null,
      faceValueMinor: fields.faceValueMinor ?? null,
      barcodeHash: randomUUID(),
      barcodeFormat: 'QR_CODE',
      fileSha256: randomUUID(),
      storageKey: `tickets/${randomUUID()}.pdf`,
      mimeType: 'application/pdf',
      sizeBytes: 1_000,
    },
  });
}

// Without a model, so these tests pin the comparables rule the model falls back to.
function value(ticketId: string) {
  return prisma.$transaction((tx) => valueTicket(tx, { ticketId, now, model: null }));
}

describe('valueTicket by comparables', () => {
  it('values a ticket at the median of its tier and records it', async () => {
    const event = await createEvent('CONCERT', {
      1: [10_000, 12_000, 50_000],
      3: [3_000, 3_500, 4_000, 4_500],
    });
    const ticket = await createTicket({ eventId: event.id, section: 'Section 112' });

    const result = await value(ticket.id);

    expect(result.valueMinor).toBe(12_000);
    expect(result.basis).toBe('tier');
    expect(result.sectionTier).toBe(1);
    expect(result.comparables).toBe(3);
    const stored = await prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(stored.valueMinor).toBe(12_000);
    expect(stored.valueConfidence).toBe(result.confidence);
    const valuation = await prisma.valuation.findUniqueOrThrow({
      where: { id: result.valuationId },
    });
    expect(valuation.method).toBe('COMPARABLES');
    expect(valuation.modelVersion).toBe(COMPARABLES_MODEL_VERSION);
    expect(valuation.valueMinor).toBe(12_000);
    expect(valuation.comparables).toBe(3);
  });

  it('prefers the stored tier over the section label', async () => {
    const event = await createEvent('CONCERT', {
      1: [10_000, 12_000, 50_000],
      3: [3_000, 3_500, 4_000, 4_500],
    });
    const ticket = await createTicket({
      eventId: event.id,
      section: 'Section 112',
      sectionTier: 3,
    });

    expect((await value(ticket.id)).valueMinor).toBe(3_750);
  });

  it('falls back to the whole event when the tier is thin', async () => {
    const event = await createEvent('CONCERT', {
      1: [10_000, 12_000, 50_000],
      2: [6_000],
      3: [3_000, 3_500, 4_000, 4_500],
    });
    const ticket = await createTicket({ eventId: event.id, section: 'Section 210' });

    const result = await value(ticket.id);

    expect(result.basis).toBe('event');
    // Sorted: 3000 3500 4000 4500 | 6000 10000 12000 50000.
    expect(result.valueMinor).toBe(5_250);
    expect(result.comparables).toBe(8);
  });

  it('falls back to the category market averages collected by now', async () => {
    const priced = await createEvent('FESTIVAL');
    await prisma.marketPrice.createMany({
      data: [8_000, 9_000, 13_000].map((averageMinor, index) => ({
        eventId: priced.id,
        source: 'test',
        collectedAt: new Date(observedAt.getTime() + index * 60_000),
        daysUntilEvent: 30,
        averageMinor,
      })),
    });
    // Collected after the valuation time, so it must be ignored.
    await prisma.marketPrice.create({
      data: {
        eventId: priced.id,
        source: 'test',
        collectedAt: new Date('2027-01-01T00:00:00Z'),
        daysUntilEvent: 10,
        averageMinor: 1_000_000,
      },
    });
    const unpriced = await createEvent('FESTIVAL');
    const ticket = await createTicket({ eventId: unpriced.id, section: 'GA' });

    const result = await value(ticket.id);

    expect(result.basis).toBe('category');
    expect(result.valueMinor).toBe(9_000);
    expect(result.comparables).toBe(3);
  });

  it('caps the value at the jurisdiction share of face value', async () => {
    const event = await createEvent('CONCERT', { 1: [10_000, 12_000, 50_000] });
    const ticket = await createTicket({
      eventId: event.id,
      section: 'Floor',
      faceValueMinor: 10_000,
      owner: cappedOwnerId,
    });

    const result = await value(ticket.id);

    expect(result.valueMinor).toBe(11_000);
    expect(result.medianMinor).toBe(12_000);
    expect(result.capped).toBe(true);
    const stored = await prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(stored.valueMinor).toBe(11_000);
  });

  it('leaves the value uncapped where the jurisdiction has no rule', async () => {
    const event = await createEvent('CONCERT', { 1: [10_000, 12_000, 50_000] });
    const ticket = await createTicket({
      eventId: event.id,
      section: 'Floor',
      faceValueMinor: 5_000,
    });

    const result = await value(ticket.id);

    expect(result.valueMinor).toBe(12_000);
    expect(result.capped).toBe(false);
  });

  it('keeps every valuation in the history', async () => {
    const event = await createEvent('CONCERT', { 1: [10_000, 12_000, 50_000] });
    const ticket = await createTicket({ eventId: event.id, section: 'Floor' });

    await value(ticket.id);
    await value(ticket.id);

    expect(await prisma.valuation.count({ where: { ticketId: ticket.id } })).toBe(2);
  });

  it('rejects a ticket without an event', async () => {
    const ticket = await createTicket({ eventId: null, section: 'Floor' });

    await expect(value(ticket.id)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('reports NOT_FOUND when no price is known', async () => {
    const event = await createEvent('THEATRE');
    const ticket = await createTicket({ eventId: event.id, section: 'Orchestra' });

    const error = await value(ticket.id).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'NOT_FOUND' });
    expect(await prisma.valuation.count({ where: { ticketId: ticket.id } })).toBe(0);
  });

  it('reports NOT_FOUND for an unknown ticket', async () => {
    await expect(value(randomUUID())).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
