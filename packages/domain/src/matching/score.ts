import type { EventCategory } from '@ts/db';

export interface Candidate {
  ticketId: string;
  ownerId: string;
  valueMinor: number;
  eventId: string;
  category: EventCategory;
  city: string;
  startsAt: Date;
  ownerHomeCity: string | null;
  ownerDestinations: string[];
}

export interface WantRule {
  eventId: string | null;
  category: EventCategory | null;
  city: string | null;
  dateFrom: Date | null;
  dateTo: Date | null;
}

export interface ScoredPair {
  a: Candidate;
  b: Candidate;
  score: number;
  gap: number;
}

/** Relative gap between two values, measured against the larger one. */
export function valueGap(a: number, b: number): number {
  const larger = Math.max(a, b);

  return larger === 0 ? 0 : Math.abs(a - b) / larger;
}

/** Returns how well one want fits a ticket: 0 when it does not match at all. */
export function wantFit(want: WantRule, ticket: Candidate): number {
  if (want.eventId && want.eventId !== ticket.eventId) {
    return 0;
  }
  if (want.category && want.category !== ticket.category) {
    return 0;
  }
  if (want.city && want.city.toLowerCase() !== ticket.city.toLowerCase()) {
    return 0;
  }
  if (want.dateFrom && ticket.startsAt < want.dateFrom) {
    return 0;
  }
  if (want.dateTo && ticket.startsAt > want.dateTo) {
    return 0;
  }

  // A want naming the exact event is a stronger signal than one naming only a category.
  return want.eventId ? 1 : want.city ? 0.8 : 0.6;
}

export function bestWantFit(wants: WantRule[], ticket: Candidate): number {
  return wants.reduce((best, want) => Math.max(best, wantFit(want, ticket)), 0);
}

function locationFit(receiver: Candidate, ticket: Candidate): number {
  const city = ticket.city.toLowerCase();
  if (receiver.ownerHomeCity?.toLowerCase() === city) {
    return 1;
  }

  return receiver.ownerDestinations.some((d) => d.toLowerCase() === city) ? 0.7 : 0;
}

/**
 * Scores a two-way swap, or returns null when it is not allowed: both owners must want the
 * other's ticket and the values must lie within the tolerance. Higher is better; the weights
 * put wants first, value closeness second and location third.
 */
export function scorePair(
  a: Candidate,
  b: Candidate,
  wantsByUser: Map<string, WantRule[]>,
  tolerance: number,
): ScoredPair | null {
  if (a.ownerId === b.ownerId) {
    return null;
  }
  const gap = valueGap(a.valueMinor, b.valueMinor);
  if (gap > tolerance) {
    return null;
  }
  const aWantsB = bestWantFit(wantsByUser.get(a.ownerId) ?? [], b);
  const bWantsA = bestWantFit(wantsByUser.get(b.ownerId) ?? [], a);
  if (aWantsB === 0 || bWantsA === 0) {
    return null;
  }

  const closeness = 1 - gap / tolerance;
  const location = (locationFit(a, b) + locationFit(b, a)) / 2;
  const score = 0.5 * ((aWantsB + bWantsA) / 2) + 0.35 * closeness + 0.15 * location;

  return { a, b, score, gap };
}

/**
 * Chooses the pairs to propose: best score first, each ticket in at most one pair.
 * Pairs listed in `excluded` (by sorted ticket ids) were rejected before and are skipped.
 */
export function choosePairs(
  candidates: Candidate[],
  wantsByUser: Map<string, WantRule[]>,
  tolerance: number,
  excluded: Set<string> = new Set(),
): ScoredPair[] {
  const sorted = [...candidates].sort((x, y) => x.valueMinor - y.valueMinor);
  const pairs: ScoredPair[] = [];

  for (let i = 0; i < sorted.length; i += 1) {
    const a = sorted[i]!;
    for (let j = i + 1; j < sorted.length; j += 1) {
      const b = sorted[j]!;
      // Values are sorted, so once b is out of tolerance every later b is too.
      if (valueGap(a.valueMinor, b.valueMinor) > tolerance) {
        break;
      }
      if (excluded.has(pairKey(a.ticketId, b.ticketId))) {
        continue;
      }
      const pair = scorePair(a, b, wantsByUser, tolerance);
      if (pair) {
        pairs.push(pair);
      }
    }
  }

  pairs.sort((x, y) => y.score - x.score);
  const used = new Set<string>();

  return pairs.filter((pair) => {
    if (used.has(pair.a.ticketId) || used.has(pair.b.ticketId)) {
      return false;
    }
    used.add(pair.a.ticketId);
    used.add(pair.b.ticketId);

    return true;
  });
}

export function pairKey(ticketA: string, ticketB: string): string {
  return ticketA < ticketB ? `${ticketA}:${ticketB}` : `${ticketB}:${ticketA}`;
}
