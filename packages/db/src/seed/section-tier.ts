// The seat tier of a section label, shared by the seed (to file comparable prices) and by
// valuation (to pick the comparables of a ticket). It lives in the db package because the db
// package must not import the domain package, and both need the same rule.
import type { EventCategory } from '../generated/prisma/client.ts';

/** 1 is the most desirable seating (floor, field, lower bowl), 3 the least (upper deck). */
export type SectionTier = 1 | 2 | 3;

const UPPER_WORDS = /\b(upper|balcony|bleachers?|nosebleed|gallery|grandstand)\b/;
const MIDDLE_WORDS = /\b(club|mezzanine|loge|dress circle|terrace)\b/;
const LOWER_WORDS = /\b(floor|field|pit|lower|courtside|suite|box|orchestra|stalls|premium)\b/;
const GENERAL_ADMISSION = /\b(ga|general admission)\b/;
// A "C" before a section number ("Section C114" in the concert listings) marks a club section.
const CLUB_PREFIX = /(^|\s)c\d{2,3}[a-z]?$/;
const TRAILING_NUMBER = /(\d+)[a-z]?$/;

/**
 * Classifies a section label into a seat tier. Words win over numbers: upper/balcony → 3,
 * club/mezzanine/loge → 2, floor/field/lower/suite → 1. General admission is the floor (1) at
 * concerts and festivals but the cheapest seating (3) at sports events. Otherwise the
 * label's last number decides: 100-level → 1, 200-level → 2, 300-level and above → 3; one-
 * or two-digit sections (single-bowl college stadiums) and four-digit suite numbers → 1.
 * An unrecognised label is tier 2, so a guess errs toward neither end.
 */
export function sectionTierOf(section: string, category: EventCategory): SectionTier {
  const label = section.trim().toLowerCase();

  if (UPPER_WORDS.test(label)) return 3;
  if (MIDDLE_WORDS.test(label)) return 2;
  if (LOWER_WORDS.test(label)) return 1;
  if (GENERAL_ADMISSION.test(label)) {
    return category === 'CONCERT' || category === 'FESTIVAL' ? 1 : 3;
  }
  if (CLUB_PREFIX.test(label)) return 2;

  const digits = TRAILING_NUMBER.exec(label)?.[1];
  if (digits === undefined) return 2;
  if (digits.length !== 3) return 1;

  const level = Number(digits[0]);
  if (level <= 1) return 1;

  return level === 2 ? 2 : 3;
}
