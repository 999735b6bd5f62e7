/** A start date and time read from text. */
export interface DateReading {
  /** See `TicketFields.startsAt`: a UTC instant, a local date-time, or a date. */
  iso: string;
  /** How complete and unambiguous the reading is, between 0 and 1. */
  certainty: number;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov',
  'dec'];
const monthPattern = String.raw`(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|` +
  String.raw`july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`;

const DAY_MONTH_YEAR = new RegExp(
  String.raw`\b(\d{1,2})(?:st|nd|rd|th)?\.?\s+${monthPattern}\.?,?\s+(\d{4})\b`, 'i');
const MONTH_DAY_YEAR = new RegExp(
  String.raw`\b${monthPattern}\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`, 'i');
const ISO_DATE = /\b(\d{4})-(\d{2})-(\d{2})\b/;
const DOTTED_DATE = /\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b/;
const SLASHED_DATE = /\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/;

const TIME = /(?<![\d:])(\d{1,2})[:.h](\d{2})(?!\d)\s*([ap]\.?m\.?)?|(?<![\d:])(\d{1,2})\s*([ap]\.?m\.?)(?![a-z])/gi;
// Words before a time that mark it as the start rather than doors or gates opening.
const START_WORDS = /(start|show|kick[- ]?off|begins?|performance|event)\W*$/i;
const DOOR_WORDS = /(doors?|gates?|entry|admission)\W*(open\w*)?\W*$/i;

// Zone abbreviations printed by Intl and ticket shops, with their offsets in minutes. CST
// and IST are ambiguous worldwide; CST is read as US Central, and IST is left out.
const ZONE_OFFSETS: Record<string, number> = {
  UTC: 0, GMT: 0, Z: 0, WET: 0, BST: 60, WEST: 60, CET: 60, CEST: 120, EET: 120, EEST: 180,
  MSK: 180, EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480,
  PDT: -420, AKST: -540, AKDT: -480, HST: -600, AEST: 600, AEDT: 660, ACST: 570, AWST: 480,
  NZST: 720, NZDT: 780, JST: 540,
};
const ZONE = new RegExp(
  String.raw`^\s*[(\[]?\s*(?:(GMT|UTC)\s?([+\-−–])\s?(\d{1,2})(?::?(\d{2}))?|` +
    String.raw`(${Object.keys(ZONE_OFFSETS).join('|')}))\b`,
);

interface DateParts {
  year: number;
  month: number;
  day: number;
  /** Index just after the date in the text. */
  end: number;
  ambiguous: boolean;
}

/**
 * Reads the first date in `text` and the start time printed after it. `monthFirst` decides
 * `02/07/2026` when both numbers could be the month (true for US dollar tickets).
 */
export function findStart(text: string, options: { monthFirst?: boolean } = {}):
  DateReading | undefined {
  const date = findDate(text, options.monthFirst ?? false);
  if (!date) {
    return undefined;
  }
  const datePart = `${date.year}-${pad(date.month)}-${pad(date.day)}`;
  const ambiguity = date.ambiguous ? 0.7 : 1;

  const time = findTime(text.slice(date.end));
  if (!time) {
    return { iso: datePart, certainty: 0.55 * ambiguity };
  }
  const localIso = `${datePart}T${pad(time.hour)}:${pad(time.minute)}`;
  if (time.offsetMinutes === undefined) {
    return { iso: localIso, certainty: 0.8 * ambiguity };
  }

  const utcMillis = Date.UTC(date.year, date.month - 1, date.day, time.hour, time.minute) -
    time.offsetMinutes * 60_000;

  return { iso: new Date(utcMillis).toISOString(), certainty: 0.97 * ambiguity };
}

function findDate(text: string, monthFirst: boolean): DateParts | undefined {
  const candidates: DateParts[] = [];

  const named = DAY_MONTH_YEAR.exec(text);
  if (named) {
    candidates.push(parts(named, Number(named[3]), monthIndex(named[2]), Number(named[1])));
  }
  const us = MONTH_DAY_YEAR.exec(text);
  if (us) {
    candidates.push(parts(us, Number(us[3]), monthIndex(us[1]), Number(us[2])));
  }
  const iso = ISO_DATE.exec(text);
  if (iso) {
    candidates.push(parts(iso, Number(iso[1]), Number(iso[2]), Number(iso[3])));
  }
  const dotted = DOTTED_DATE.exec(text);
  if (dotted) {
    candidates.push(parts(dotted, Number(dotted[3]), Number(dotted[2]), Number(dotted[1])));
  }
  const slashed = SLASHED_DATE.exec(text);
  if (slashed) {
    const first = Number(slashed[1]);
    const second = Number(slashed[2]);
    const readMonthFirst = first > 12 ? false : second > 12 ? true : monthFirst;
    candidates.push({
      ...parts(slashed, Number(slashed[3]), readMonthFirst ? first : second,
        readMonthFirst ? second : first),
      ambiguous: first <= 12 && second <= 12 && first !== second,
    });
  }

  // The earliest date in the text is the event's; later ones are often sale or print dates.
  return candidates
    .filter((candidate) => isValidDate(candidate.year, candidate.month, candidate.day))
    .sort((a, b) => a.end - b.end)[0];
}

function parts(match: RegExpExecArray, year: number, month: number, day: number): DateParts {
  return { year, month, day, end: match.index + match[0].length, ambiguous: false };
}

interface TimeReading {
  hour: number;
  minute: number;
  offsetMinutes?: number;
}

// The start time is the one after a start word, else the first one not after a doors word,
// else the first one.
function findTime(text: string): TimeReading | undefined {
  const times = [...text.matchAll(TIME)].flatMap((match) => {
    const time = toTime(match);

    return time ? [{ ...time, match }] : [];
  });
  const before = (entry: (typeof times)[number]) =>
    text.slice(Math.max(0, entry.match.index - 24), entry.match.index);
  const chosen = times.find((entry) => START_WORDS.test(before(entry))) ??
    times.find((entry) => !DOOR_WORDS.test(before(entry))) ??
    times[0];
  if (!chosen) {
    return undefined;
  }

  const after = text.slice(chosen.match.index + chosen.match[0].length);

  return { hour: chosen.hour, minute: chosen.minute, offsetMinutes: zoneOffset(after) };
}

function toTime(match: RegExpMatchArray): { hour: number; minute: number } | undefined {
  let hour = Number(match[1] ?? match[4]);
  const minute = Number(match[2] ?? 0);
  const meridiem = (match[3] ?? match[5] ?? '').toLowerCase().replace(/\./g, '');
  if (meridiem) {
    if (hour < 1 || hour > 12) {
      return undefined;
    }
    hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
  }
  if (hour > 23 || minute > 59) {
    return undefined;
  }

  return { hour, minute };
}

function zoneOffset(textAfterTime: string): number | undefined {
  const match = ZONE.exec(textAfterTime);
  if (!match) {
    return undefined;
  }
  if (match[5]) {
    return ZONE_OFFSETS[match[5]];
  }
  const sign = match[2] === '+' ? 1 : -1;

  return sign * (Number(match[3]) * 60 + Number(match[4] ?? 0));
}

function monthIndex(name: string | undefined): number {
  return MONTHS.indexOf((name ?? '').slice(0, 3).toLowerCase()) + 1;
}

function isValidDate(year: number, month: number, day: number): boolean {
  if (year < 2000 || year > 2100 || month < 1 || month > 12 || day < 1) {
    return false;
  }

  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
