import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createHarness, type Harness } from '../../testing/harness.ts';
import { matchEvent } from './match-event.ts';
import type { TicketFields } from './types.ts';

let harness: Harness;
const ids: Record<string, string> = {};
const NOW = new Date('2025-09-01T12:00:00Z');

async function addEvent(key: string, name: string, startsAt: string, venue: {
  id: number; name: string; city: string; timezone: string;
}) {
  await harness.services.prisma.venue.upsert({ where: { id: venue.id }, create: venue,
    update: {} });
  const event = await harness.services.prisma.event.create({
    data: { externalId: `ocr-test:${key}`, name, category: 'SPORTS', startsAt: new Date(startsAt),
      venueId: venue.id },
    select: { id: true },
  });
  ids[key] = event.id;
}

const SANFORD = { id: 970_001, name: 'Sanford Stadium', city: 'Athens', timezone: 'America/New_York' };
const BRYANT = { id: 970_002, name: 'Bryant-Denny Stadium', city: 'Tuscaloosa',
  timezone: 'America/Chicago' };

beforeAll(async () => {
  harness = await createHarness();
  // Kick-off 19:30 in Athens is 23:30 UTC: the UTC date and the local date differ a day
  // later in the evening, which the local-date rule must get right.
  await addEvent('uga', 'Alabama at Georgia', '2025-09-27T23:30:00Z', SANFORD);
  await addEvent('uga-next', 'Georgia vs Tennessee', '2025-10-04T23:30:00Z', SANFORD);
  await addEvent('bama', 'Georgia at Alabama', '2025-09-27T19:00:00Z', BRYANT);
  await addEvent('bama-later', 'Alabama at Georgia', '2026-09-26T23:30:00Z', SANFORD);
});

afterAll(() => harness.close());

function fields(values: Record<string, string>): TicketFields {
  return Object.fromEntries(Object.entries(values).map(([key, value]) =>
    [key, { value, confidence: 0.9 }])) as TicketFields;
}

describe('matchEvent', () => {
  it('finds the event from name, venue and date', async () => {
    const match = await matchEvent(harness.services.prisma, fields({
      eventName: 'ALABAMA AT GEORGIA', venue: 'Sanford Stadium, Athens GA',
      startsAt: '2025-09-27T23:30:00.000Z',
    }), NOW);

    expect(match?.eventId).toBe(ids.uga);
    expect(match!.score).toBeGreaterThan(0.9);
  });

  it('tolerates a misread letter and a local time', async () => {
    const match = await matchEvent(harness.services.prisma, fields({
      eventName: 'Alabarna at Georgla', startsAt: '2025-09-27T19:30',
    }), NOW);

    expect(match?.eventId).toBe(ids.uga);
  });

  it('accepts the next local day', async () => {
    const match = await matchEvent(harness.services.prisma, fields({
      eventName: 'Alabama at Georgia', startsAt: '2025-09-28',
    }), NOW);

    expect(match?.eventId).toBe(ids.uga);
    expect(match!.score).toBeLessThan(0.95);
  });

  it('rejects a wrong date', async () => {
    const match = await matchEvent(harness.services.prisma, fields({
      eventName: 'Alabama at Georgia', venue: 'Sanford Stadium',
      startsAt: '2025-10-01T23:30:00.000Z',
    }), NOW);

    expect(match).toBeNull();
  });

  it('rejects an unrelated name', async () => {
    const match = await matchEvent(harness.services.prisma, fields({
      eventName: 'Northern Lights Orchestra', startsAt: '2025-09-27T23:30:00.000Z',
    }), NOW);

    expect(match).toBeNull();
  });

  it('picks the soonest upcoming event without a date', async () => {
    const match = await matchEvent(harness.services.prisma, fields({
      eventName: 'Georgia vs Tennessee', venue: 'Sanford Stadium',
    }), NOW);

    expect(match?.eventId).toBe(ids['uga-next']);
  });
});
