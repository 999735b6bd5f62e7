// Model valuation, fallback, cap, cache, revaluation and "Why this price?" on a real database,
// Redis and pg-boss. The served model is used as trained. Some tests change its fallback
// threshold, so that they do not depend on how confident this model version happens to be.
import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Actor } from '../context.ts';
import { createHarness, type Harness } from '../testing/harness.ts';
import { revalueJobName } from './demand.ts';
import { explainTicketValue } from './explain.ts';
import { loadServedModel, type ServedModel } from './model/served-model.ts';
import { revalueListedTickets, revalueTicket } from './revalue.ts';
import { valueTicket } from './value-ticket.ts';

const now = new Date('2026-12-04T12:00:00Z');
const served = loadServedModel();

/** Copies the served model with another fallback threshold: 0 always trusts it, 2 never. */
function withThreshold(threshold: number): ServedModel {
  return {
    ...served,
    spec: { ...served.spec, confidence: { ...served.spec.confidence, fallback_below: threshold } },
  };
}

let harness: Harness;
let owner: Actor;
let stranger: Actor;
let venueId = 700_000;

beforeAll(async () => {
  harness = await createHarness();
  harness.setNow(now);
  owner = await harness.createUser({ name: 'Owner' });
  stranger = await harness.createUser({ name: 'Stranger' });
  await harness.boss.createQueue(revalueJobName, { policy: 'short' });
  await harness.services.prisma.jurisdictionRule.create({
    data: { code: 'CAP100', name: 'Capped at face value', maxPercentOfFace: 100 },
  });
});

afterAll(async () => {
  await harness?.close();
});

async function createEvent(options: { category?: 'SPORTS' | 'THEATRE'; tierPrices?: number[] }) {
  const prisma = harness.services.prisma;
  venueId += 1;
  await prisma.venue.create({
    data: {
      id: venueId,
      name: 'Arena',
      city: 'Philadelphia',
      timezone: 'America/New_York',
      capacity: 19_543,
    },
  });
  const event = await prisma.event.create({
    data: {
      externalId: `test:${randomUUID()}`,
      name: 'Home game',
      category: options.category ?? 'SPORTS',
      startsAt: new Date('2026-12-20T00:30:00Z'),
      venueId,
    },
  });
  await prisma.comparablePrice.createMany({
    data: (options.tierPrices ?? []).map((priceMinor) => ({
      eventId: event.id,
      sectionTier: 1,
      priceMinor,
      source: 'test',
      observedAt: new Date('2026-11-01T00:00:00Z'),
    })),
  });

  return event;
}

async function createTicket(eventId: string, fields: { faceValueMinor?: number } = {}) {
  return harness.services.prisma.ticket.create({
    data: {
      ownerId: owner.userId,
      uploadedById: owner.userId,
      eventId,
      state: 'LISTED',
      listedAt: now,
      section: 'Lower Center 112',
      row: '10',
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

function value(ticketId: string, model: ServedModel | null) {
  return harness.services.prisma.$transaction((tx) => valueTicket(tx, { ticketId, now, model }));
}

function latestValuation(ticketId: string) {
  return harness.services.prisma.valuation.findFirstOrThrow({
    where: { ticketId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
  });
}

describe('valueTicket with the model', () => {
  it('stores the model value with its features and contributions', async () => {
    const event = await createEvent({ tierPrices: [20_000, 21_000, 22_000] });
    const ticket = await createTicket(event.id);

    const result = await value(ticket.id, withThreshold(0));

    expect(result.method).toBe('MODEL');
    expect(result.fallback).toBe(false);
    expect(result.modelVersion).toBe(served.version);
    expect(result.valueMinor).toBe(result.predictedMinor);
    const stored = await latestValuation(ticket.id);
    expect(stored.method).toBe('MODEL');
    expect(stored.modelVersion).toBe(served.version);
    expect(stored.predictedMinor).toBe(result.predictedMinor);
    const features = stored.features as { values: Record<string, number | null> };
    expect(features.values.venue_capacity).toBe(19_543);
    expect(features.values.days_to_event).toBe(15);
    const contributions = stored.contributions as Array<{ feature: string; valueMinor: number }>;
    expect(contributions.map((c) => c.feature)).toEqual(served.spec.features);
    const sum = contributions.reduce((total, c) => total + c.valueMinor, 0);
    expect(stored.baseValueMinor! + sum).toBe(stored.predictedMinor);
  });

  it('falls back to comparables below the confidence threshold', async () => {
    const event = await createEvent({ tierPrices: [20_000, 21_000, 22_000] });
    const ticket = await createTicket(event.id);

    const result = await value(ticket.id, withThreshold(2));

    expect(result.method).toBe('COMPARABLES');
    expect(result.fallback).toBe(true);
    expect(result.valueMinor).toBe(21_000);
    expect(result.predictedMinor).not.toBeNull();
    const stored = await latestValuation(ticket.id);
    expect(stored.fallback).toBe(true);
    expect(stored.comparables).toBe(3);
    const features = stored.features as { comparablesUsed: Array<{ priceMinor: number }> };
    expect(features.comparablesUsed.map((c) => c.priceMinor)).toEqual([21_000, 20_000, 22_000]);
    expect(stored.contributions).not.toBeNull();
  });

  it('lowers confidence for a category the model never saw', async () => {
    const event = await createEvent({ category: 'THEATRE', tierPrices: [5_000, 6_000, 7_000] });
    const ticket = await createTicket(event.id);

    const result = await value(ticket.id, served);

    expect(result.fallback).toBe(true);
    expect(result.valueMinor).toBe(6_000);
    const stored = await latestValuation(ticket.id);
    expect((stored.features as { unseenCategory: boolean }).unseenCategory).toBe(true);
  });

  it('keeps the model value when no comparable exists', async () => {
    const event = await createEvent({});
    const ticket = await createTicket(event.id);

    const result = await value(ticket.id, withThreshold(2));

    expect(result.method).toBe('MODEL');
    expect(result.fallback).toBe(false);
    expect(result.valueMinor).toBe(result.predictedMinor);
  });

  it('caps the model value at the face value of the jurisdiction', async () => {
    const cappedOwner = await harness.services.prisma.user.update({
      where: { id: owner.userId },
      data: { jurisdiction: 'CAP100' },
    });
    const event = await createEvent({});
    const ticket = await createTicket(event.id, { faceValueMinor: 100 });

    const result = await value(ticket.id, withThreshold(0));

    expect(result.capped).toBe(true);
    expect(result.valueMinor).toBe(100);
    expect(result.predictedMinor).toBeGreaterThan(100);
    expect((await latestValuation(ticket.id)).capped).toBe(true);
    await harness.services.prisma.user.update({
      where: { id: cappedOwner.id },
      data: { jurisdiction: 'US' },
    });
  });

  it('values two seats of the same section alike', async () => {
    const event = await createEvent({});
    const first = await createTicket(event.id);
    const second = await createTicket(event.id);

    const a = await value(first.id, withThreshold(0));
    const b = await value(second.id, withThreshold(0));

    expect(a.valueMinor).toBe(b.valueMinor);
  });
});

describe('revalueTicket', () => {
  it('reuses the cached valuation until demand moves', async () => {
    const event = await createEvent({ tierPrices: [20_000, 21_000, 22_000] });
    const ticket = await createTicket(event.id);

    const first = await revalueTicket(harness.services, ticket.id);
    const second = await revalueTicket(harness.services, ticket.id);

    expect(first.cached).toBe(false);
    expect(second.cached).toBe(true);
    expect(second.valuation.valuationId).toBe(first.valuation.valuationId);
    const where = { ticketId: ticket.id };
    expect(await harness.services.prisma.valuation.count({ where })).toBe(1);

    await harness.services.prisma.eventView.create({
      data: { eventId: event.id, viewerId: stranger.userId, viewedAt: now },
    });
    const third = await revalueTicket(harness.services, ticket.id);

    expect(third.cached).toBe(false);
    const stored = await latestValuation(ticket.id);
    expect((stored.features as { demand: { views: number } }).demand.views).toBe(1);
  });

  it('values again when a newer valuation replaced the cached one', async () => {
    const event = await createEvent({ tierPrices: [20_000, 21_000, 22_000] });
    const ticket = await createTicket(event.id);
    await revalueTicket(harness.services, ticket.id);
    await value(ticket.id, served);

    const again = await revalueTicket(harness.services, ticket.id);

    expect(again.cached).toBe(false);
  });

  it('keys the cache by model version', async () => {
    const event = await createEvent({ tierPrices: [20_000, 21_000, 22_000] });
    const ticket = await createTicket(event.id);
    await revalueTicket(harness.services, ticket.id);

    const next = { ...served, version: 'xgb-next' };
    const newer = await revalueTicket(harness.services, ticket.id, next);

    expect(newer.cached).toBe(false);
    expect(newer.valuation.modelVersion).toBe('xgb-next');
  });
});

describe('revalueListedTickets', () => {
  it('revalues each listed ticket of the event once', async () => {
    const event = await createEvent({ tierPrices: [20_000, 21_000, 22_000] });
    await createTicket(event.id);
    await createTicket(event.id);

    const first = await revalueListedTickets(harness.services, { eventId: event.id });
    const second = await revalueListedTickets(harness.services, { eventId: event.id });

    expect(first).toEqual({ checked: 2, revalued: 2, failed: 0 });
    expect(second).toEqual({ checked: 2, revalued: 0, failed: 0 });
  });
});

describe('market views', () => {
  it('records a view and queues a revaluation of the event', async () => {
    const event = await createEvent({ tierPrices: [20_000, 21_000, 22_000] });

    await harness.caller(stranger).market.browse({ eventId: event.id });

    expect(await harness.services.prisma.eventView.count({ where: { eventId: event.id } })).toBe(1);
    const jobs = await harness.boss.findJobs(revalueJobName, { data: { eventId: event.id } });
    expect(jobs).toHaveLength(1);
  });
});

describe('valuation.explain', () => {
  it('shows the owner contributions largest first and the history', async () => {
    const event = await createEvent({ tierPrices: [20_000, 21_000, 22_000] });
    const ticket = await createTicket(event.id);
    await value(ticket.id, withThreshold(2));
    await value(ticket.id, withThreshold(0));

    const explained = await harness.caller(owner).valuation.explain({ ticketId: ticket.id });

    expect(explained.history).toHaveLength(2);
    expect(explained.history[0]!.fallback).toBe(true);
    expect(explained.history[1]!.method).toBe('MODEL');
    const sizes = explained.latest!.contributions.map((c) => Math.abs(c.valueMinor));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(explained.latest!.contributions[0]!.label).not.toBe('');
  });

  it('lists the comparables a fallback used', async () => {
    const event = await createEvent({ tierPrices: [20_000, 21_000, 22_000] });
    const ticket = await createTicket(event.id);
    await value(ticket.id, withThreshold(2));

    const meta = { requestId: 'explain-test', ipAddress: '127.0.0.1' };
    const explained = await explainTicketValue(
      { services: harness.services, actor: owner, meta },
      ticket.id,
    );

    expect(explained.latest!.fallback).toBe(true);
    expect(explained.latest!.comparables).toHaveLength(3);
    expect(explained.latest!.comparablesMedianMinor).toBe(21_000);
  });

  it('reports NOT_FOUND to anyone but the owner', async () => {
    const event = await createEvent({ tierPrices: [20_000, 21_000, 22_000] });
    const ticket = await createTicket(event.id);
    await value(ticket.id, served);

    await expect(
      harness.caller(stranger).valuation.explain({ ticketId: ticket.id }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
