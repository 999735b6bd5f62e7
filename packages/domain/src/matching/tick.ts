import type { Tx } from '@ts/db';

import { appendAudit } from '../audit/audit.ts';
import { emitEvent } from '../audit/outbox.ts';
import type { Services } from '../context.ts';
import { expireProposals } from '../trades/proposals.ts';
import { choosePairs, pairKey, type Candidate, type WantRule } from './score.ts';

export interface TickResult {
  tickId: string;
  skipped: boolean;
  candidates: number;
  proposalsCreated: number;
  proposalsExpired: number;
}

/**
 * Runs one matching tick in one transaction. An advisory lock keeps ticks from overlapping
 * across processes, and the tick id makes a retried tick a no-op once it has committed.
 */
export async function runMatchingTick(services: Services, tickId: string): Promise<TickResult> {
  const empty = { tickId, candidates: 0, proposalsCreated: 0, proposalsExpired: 0 };

  return services.prisma.$transaction(
    async (tx) => {
      const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`
        SELECT pg_try_advisory_xact_lock(hashtext('matching_tick')) AS locked`;
      if (!lock?.locked) {
        return { ...empty, skipped: true };
      }
      const done = await tx.matchingTick.findUnique({ where: { id: tickId }, select: { id: true } });
      if (done) {
        return { ...empty, skipped: true };
      }

      const now = services.now();
      await tx.matchingTick.create({ data: { id: tickId, startedAt: now } });
      const proposalsExpired = await expireProposals(tx, now);
      const candidates = await loadCandidates(tx, now);
      const wantsByUser = await loadWants(tx, candidates);
      const excluded = await loadRejectedPairs(tx, candidates);
      const pairs = choosePairs(candidates, wantsByUser, services.config.matchTolerance, excluded);
      const expiresAt = new Date(now.getTime() + services.config.proposalTtlMinutes * 60_000);

      for (const pair of pairs) {
        const proposal = await tx.proposal.create({
          data: {
            tickId,
            score: pair.score,
            expiresAt,
            legs: {
              create: [
                { ticketId: pair.a.ticketId, fromUserId: pair.a.ownerId, toUserId: pair.b.ownerId },
                { ticketId: pair.b.ticketId, fromUserId: pair.b.ownerId, toUserId: pair.a.ownerId },
              ],
            },
          },
          select: { id: true },
        });
        await appendAudit(tx, {
          actorId: null,
          action: 'proposal.created',
          entityType: 'Proposal',
          entityId: proposal.id,
          data: { tickId, tickets: [pair.a.ticketId, pair.b.ticketId], gap: pair.gap },
        });
        await emitEvent(tx, { type: 'Proposal', id: proposal.id }, {
          type: 'proposal.created',
          version: 1,
          proposalId: proposal.id,
          userIds: [pair.a.ownerId, pair.b.ownerId],
        });
      }

      await tx.matchingTick.update({
        where: { id: tickId },
        data: { finishedAt: services.now(), pairsFound: pairs.length },
      });

      return {
        tickId,
        skipped: false,
        candidates: candidates.length,
        proposalsCreated: pairs.length,
        proposalsExpired,
      };
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}

/** Listed, valued tickets of verified traders for future events, not already proposed. */
async function loadCandidates(tx: Tx, now: Date): Promise<Candidate[]> {
  const rows = await tx.ticket.findMany({
    where: {
      state: 'LISTED',
      valueMinor: { not: null },
      event: { startsAt: { gt: now } },
      owner: { kycStatus: 'VERIFIED', role: 'TRADER' },
      proposalLegs: { none: { proposal: { state: 'OPEN' } } },
    },
    select: {
      id: true,
      ownerId: true,
      valueMinor: true,
      event: {
        select: { id: true, category: true, startsAt: true, venue: { select: { city: true } } },
      },
      owner: { select: { homeCity: true, destinationCities: true } },
    },
  });

  return rows.flatMap((row) => {
    if (!row.event || row.valueMinor === null) {
      return [];
    }

    return [{
      ticketId: row.id,
      ownerId: row.ownerId,
      valueMinor: row.valueMinor,
      eventId: row.event.id,
      category: row.event.category,
      city: row.event.venue.city,
      startsAt: row.event.startsAt,
      ownerHomeCity: row.owner.homeCity,
      ownerDestinations: row.owner.destinationCities,
    }];
  });
}

async function loadWants(tx: Tx, candidates: Candidate[]): Promise<Map<string, WantRule[]>> {
  const owners = [...new Set(candidates.map((c) => c.ownerId))];
  const wants = await tx.want.findMany({
    where: { userId: { in: owners } },
    select: { userId: true, eventId: true, category: true, city: true, dateFrom: true, dateTo: true },
  });
  const byUser = new Map<string, WantRule[]>();
  for (const { userId, ...rule } of wants) {
    byUser.set(userId, [...(byUser.get(userId) ?? []), rule]);
  }

  return byUser;
}

/** Ticket pairs a trader already turned down, so the same swap is not proposed again. */
async function loadRejectedPairs(tx: Tx, candidates: Candidate[]): Promise<Set<string>> {
  const proposals = await tx.proposal.findMany({
    where: {
      state: 'REJECTED',
      legs: { some: { ticketId: { in: candidates.map((c) => c.ticketId) } } },
    },
    select: { legs: { select: { ticketId: true } } },
  });
  const keys = new Set<string>();
  for (const proposal of proposals) {
    const [first, second] = proposal.legs;
    if (first && second && proposal.legs.length === 2) {
      keys.add(pairKey(first.ticketId, second.ticketId));
    }
  }

  return keys;
}
