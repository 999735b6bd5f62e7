import { findStart } from './dates.ts';
import { findMoney } from './money.ts';
import { editDistance } from './text.ts';
import type { FieldReading, OcrLine, OcrPage, OcrWord, TicketFields } from './types.ts';

type LabelField = 'section' | 'row' | 'seat' | 'price' | 'event' | 'venue' | 'date';

// Labels as they appear on tickets, upper case and letters only ("Seat(s):" reads SEATS).
const LABELS: Array<[string[], LabelField]> = [
  [['FACE', 'VALUE'], 'price'],
  [['TICKET', 'PRICE'], 'price'],
  [['DATE', 'TIME'], 'date'],
  [['SECTION'], 'section'],
  [['SECT'], 'section'],
  [['SEC'], 'section'],
  [['BLOCK'], 'section'],
  [['ROW'], 'row'],
  [['SEATS'], 'seat'],
  [['SEAT'], 'seat'],
  [['PRICE'], 'price'],
  [['EVENT'], 'event'],
  [['VENUE'], 'venue'],
  [['LOCATION'], 'venue'],
  [['DATE'], 'date'],
  [['WHEN'], 'date'],
];

// How much a kind of match is trusted, multiplied by the OCR confidence of the words used.
const CERTAINTY = {
  labelInline: 0.97,
  labelColumn: 0.93,
  fuzzyLabel: 0.9,
  correctedValue: 0.85,
  unlabelledMoney: 0.7,
  largestLine: 0.8,
  venueGuess: 0.7,
};

// Words in lines that are about the ticket rather than the event.
const BOILERPLATE = /\b(e-?tickets?|admit|admits|admission|barcode|print(ed)?|scan|entrance|terms|conditions|order|booking|reference|refund|resale|phone|holder|organiser|organizer)\b/i;
const VENUE_WORDS = /\b(stadium|arena|theatre|theater|hall|park|centre|center|field|dome|club|garden|gardens|bowl|coliseum|colosseum|amphitheat(re|er)|pavilion|opera|house|ballroom|forum|palace|concertgebouw|auditorium|ground|grounds)\b/i;
const NOISE_TOKEN = /^[|[\]{}()_\-—–=:;.,'"`~*•·&/\\!]+$/;
// Box borders read as runs of bars, brackets and ones ("||", "[|", "1:1").
const BORDER_TOKEN = /^(?=.*[|[\]{}:;!])[|[\]{}1lIi!:;.,]+$/;

interface Token extends OcrWord {
  /** Upper-case letters of the word after OCR digit-for-letter fixes, for label matching. */
  key: string;
}

interface Segment {
  field: LabelField;
  fuzzy: boolean;
  label: Token[];
  value: Token[];
}

interface Line extends OcrLine {
  pageNumber: number;
  tokens: Token[];
  segments: Segment[];
}

/**
 * Reads event name, start, venue, section, row, seat and face value from the lines of a
 * ticket. Labelled values (`SEC 114`, `Row: 12`, a `SEATS` column header) are trusted most.
 * The event name is the largest text above the date, and the venue a nearby line that
 * names a kind of venue.
 */
export function extractTicketFields(pages: OcrPage[]): TicketFields {
  const lines = prepareLines(pages);
  const fields: TicketFields = {};
  const labelled = readLabelledValues(lines);

  const text = lines.map((line) => line.text).join('\n');
  setSeatFields(fields, labelled);
  setPrice(fields, labelled, lines);
  setStart(fields, labelled, lines, fields.currency?.value === 'USD');
  setEventName(fields, labelled, lines);
  setVenue(fields, labelled, lines);

  return text ? fields : {};
}

function prepareLines(pages: OcrPage[]): Line[] {
  return pages
    .flatMap((page) => page.lines.map((line) => ({ ...line, pageNumber: page.pageNumber })))
    .map((line) => {
      const tokens = line.words
        .filter((word) => !NOISE_TOKEN.test(word.text) && !BORDER_TOKEN.test(word.text))
        .map((word) => ({ ...word, key: labelKey(word.text) }));

      return { ...line, text: tokens.map((token) => token.text).join(' '), tokens,
        segments: segmentsOf(tokens) };
    })
    .filter((line) => line.tokens.length > 0)
    .sort((a, b) => a.pageNumber - b.pageNumber || a.box.top - b.box.top ||
      a.box.left - b.box.left);
}

// OCR reads O as 0, I and l as 1 and S as 5 inside words, so label keys undo that.
function labelKey(text: string): string {
  const upper = text.toUpperCase();
  if ((upper.match(/[A-Z]/g)?.length ?? 0) < 2) {
    return '';
  }

  return upper.replace(/0/g, 'O').replace(/1/g, 'I').replace(/5/g, 'S').replace(/[^A-Z]/g, '');
}

function matchLabel(tokens: Token[], start: number):
  { field: LabelField; length: number; fuzzy: boolean } | undefined {
  for (const [words, field] of LABELS) {
    const keys = tokens.slice(start, start + words.length).map((token) => token.key);
    if (keys.length === words.length && words.every((word, index) => keys[index] === word)) {
      return { field, length: words.length, fuzzy: false };
    }
  }

  // One wrong or missing letter is forgiven in labels of five letters or more, which OCR
  // clips at box borders ("ECTION") or misreads ("PRlCE").
  const key = tokens[start]?.key ?? '';
  for (const [words, field] of LABELS) {
    if (words.length === 1 && words[0]!.length >= 5 && editDistance(key, words[0]!) <= 1) {
      return { field, length: 1, fuzzy: true };
    }
  }

  return undefined;
}

function segmentsOf(tokens: Token[]): Segment[] {
  const segments: Segment[] = [];
  let index = 0;
  while (index < tokens.length) {
    const label = matchLabel(tokens, index);
    if (label) {
      segments.push({ field: label.field, fuzzy: label.fuzzy,
        label: tokens.slice(index, index + label.length), value: [] });
      index += label.length;
    } else {
      segments.at(-1)?.value.push(tokens[index]!);
      index++;
    }
  }

  return segments;
}

interface LabelledValue {
  words: Token[];
  certainty: number;
  line: Line;
}

function readLabelledValues(lines: Line[]): Map<LabelField, LabelledValue> {
  const found = new Map<LabelField, LabelledValue>();
  const keep = (field: LabelField, value: LabelledValue) => {
    if (!found.has(field) && value.words.length > 0) {
      found.set(field, value);
    }
  };

  for (const line of lines) {
    // A label must start the line, or follow another label's value; a label word inside
    // running text ("the best seat in the house") is not a field.
    const startsWithLabel = line.segments.length > 0 && line.tokens[0] === line.segments[0]!.label[0];
    if (!startsWithLabel) {
      continue;
    }
    const allEmpty = line.segments.every((segment) => segment.value.length === 0);
    if (!allEmpty) {
      for (const segment of line.segments) {
        keep(segment.field, {
          words: segment.value,
          certainty: CERTAINTY.labelInline * (segment.fuzzy ? CERTAINTY.fuzzyLabel : 1),
          line,
        });
      }
      continue;
    }

    const beside = line.segments.length === 1 ? lineBeside(lines, line) : undefined;
    const below = beside ? undefined : lineBelow(lines, line);
    const valueLine = beside ?? below;
    if (!valueLine) {
      continue;
    }
    const columns = beside ? [valueLine.tokens] : splitIntoColumns(line, valueLine);
    line.segments.forEach((segment, index) => {
      keep(segment.field, {
        words: columns[index] ?? [],
        certainty: CERTAINTY.labelColumn * (segment.fuzzy ? CERTAINTY.fuzzyLabel : 1),
        line: valueLine,
      });
    });
  }

  return found;
}

// A value printed to the right of its label, which OCR may return as a separate line.
function lineBeside(lines: Line[], label: Line): Line | undefined {
  const middle = label.box.top + label.box.height / 2;

  return lines.find((other) => other !== label && other.pageNumber === label.pageNumber &&
    other.box.left > label.box.left + label.box.width &&
    Math.abs(other.box.top + other.box.height / 2 - middle) < label.box.height * 0.6 &&
    other.segments.length === 0);
}

// Values under a row of column labels: of the lines within three label heights below, the
// one with the most confidently read letters and digits, because box borders and noise
// often leave a near-empty line between labels and values.
function lineBelow(lines: Line[], header: Line): Line | undefined {
  const bottom = header.box.top + header.box.height;
  const candidates = lines.filter((other) => other.pageNumber === header.pageNumber &&
    other.box.top >= bottom - header.box.height * 0.3 &&
    other.box.top < bottom + header.box.height * 3 &&
    other.box.left + other.box.width > header.box.left &&
    other.segments.length === 0);
  const weight = (line: Line) => line.tokens.reduce((sum, token) =>
    sum + (token.text.match(/[\p{L}\p{N}]/gu)?.length ?? 0) * token.confidence, 0);

  return candidates.reduce<Line | undefined>(
    (best, line) => (!best || weight(line) > weight(best) ? line : best), undefined);
}

// Each value word belongs to the rightmost label that starts at or left of it (with a small
// margin, because values are often indented a little less or more than their labels).
function splitIntoColumns(header: Line, values: Line): Token[][] {
  const starts = header.segments.map((segment) => segment.label[0]!.box.left);
  const margin = 0.02;
  const columns: Token[][] = starts.map(() => []);
  for (const token of values.tokens) {
    let column = 0;
    starts.forEach((start, index) => {
      if (token.box.left >= start - margin) {
        column = index;
      }
    });
    columns[column]!.push(token);
  }

  return columns;
}

function meanConfidence(words: OcrWord[]): number {
  return words.length === 0 ? 0 : words.reduce((sum, word) => sum + word.confidence, 0) /
    words.length;
}

function reading(value: string | number, words: OcrWord[], certainty: number): FieldReading {
  return { value, confidence: round(meanConfidence(words) * certainty) };
}

function setSeatFields(fields: TicketFields, labelled: Map<LabelField, LabelledValue>) {
  const section = labelled.get('section');
  if (section) {
    const value = section.words.map((word) => word.text).join(' ').replace(/^[:#\-–]\s*/, '');
    const fixed = fixDigits(value);
    if (fixed.text) {
      fields.section = reading(fixed.text, section.words,
        section.certainty * (fixed.changed ? CERTAINTY.correctedValue : 1));
    }
  }

  for (const field of ['row', 'seat'] as const) {
    const found = labelled.get(field);
    if (!found) {
      continue;
    }
    // Rows and seats are short codes: "12", "AA", "5-6", "101, 102".
    const raw = found.words.map((word) => word.text).join(' ').replace(/^[:#]\s*/, '');
    const code = /^[A-Za-z0-9]{1,6}(?:\s*[-–,&]\s*[A-Za-z0-9]{1,6})*/.exec(raw)?.[0];
    if (!code) {
      continue;
    }
    const fixed = fixDigits(code.replace(/\s*([-–,&])\s*/g, (_, mark: string) =>
      SEPARATOR_SPELLING[mark] ?? '-'));
    fields[field] = reading(fixed.text, found.words,
      found.certainty * (fixed.changed ? CERTAINTY.correctedValue : 1));
  }
}

// Seat ranges and lists are spelled "5-6", "5, 6" and "5 & 6" whatever the spacing printed.
const SEPARATOR_SPELLING: Record<string, string> = { ',': ', ', '&': ' & ' };

// In a token that is mostly digits, O and o are zeros and l and I are ones.
function fixDigits(value: string): { text: string; changed: boolean } {
  let changed = false;
  const text = value.split(' ').map((token) => {
    const digits = token.match(/\d/g)?.length ?? 0;
    const confusable = token.match(/[OoIl|]/g)?.length ?? 0;
    const others = token.length - digits - confusable;
    if (confusable === 0 || digits === 0 || others > 0 || digits < confusable) {
      return token;
    }
    changed = true;

    return token.replace(/[Oo]/g, '0').replace(/[Il|]/g, '1');
  }).join(' ').trim();

  return { text, changed };
}

function setPrice(
  fields: TicketFields,
  labelled: Map<LabelField, LabelledValue>,
  lines: Line[],
) {
  const price = labelled.get('price');
  const labelledText = price ? fixDigits(price.words.map((word) => word.text).join(' ')) : undefined;
  const labelledMoney = labelledText ? findMoney(labelledText.text, { allowBare: true })[0] : undefined;

  if (price && labelledMoney) {
    const certainty = price.certainty * (labelledText?.changed ? CERTAINTY.correctedValue : 1);
    fields.faceValueMinor = reading(labelledMoney.minorUnits, price.words, certainty);
    if (labelledMoney.currency) {
      fields.currency = reading(labelledMoney.currency, price.words,
        certainty * labelledMoney.currencyCertainty);
    }

    return;
  }

  // Without a label, the first amount with a currency anywhere on the ticket.
  for (const line of lines) {
    const money = findMoney(fixDigits(line.text).text)[0];
    if (money?.currency) {
      fields.faceValueMinor = reading(money.minorUnits, line.words, CERTAINTY.unlabelledMoney);
      fields.currency = reading(money.currency, line.words,
        CERTAINTY.unlabelledMoney * money.currencyCertainty);

      return;
    }
  }
}

function setStart(
  fields: TicketFields,
  labelled: Map<LabelField, LabelledValue>,
  lines: Line[],
  monthFirst: boolean,
) {
  const label = labelled.get('date');
  const candidates: Array<{ text: string; words: OcrWord[]; certainty: number }> = [];
  if (label) {
    const index = lines.indexOf(label.line);
    const next = lines[index + 1];
    candidates.push({
      text: [label.words.map((word) => word.text).join(' '), next?.text ?? ''].join('\n'),
      words: label.words,
      certainty: 1,
    });
  }
  // A line with a date, joined to the next line because the time is often printed below.
  lines.forEach((line, index) => {
    if (!findStart(line.text)) {
      return;
    }
    const next = lines[index + 1];
    candidates.push({ text: `${line.text}\n${next?.text ?? ''}`, words: line.words,
      certainty: 0.95 });
  });

  for (const candidate of candidates) {
    const start = findStart(candidate.text, { monthFirst });
    if (start) {
      fields.startsAt = reading(start.iso, candidate.words, start.certainty * candidate.certainty);

      return;
    }
  }
}

function isNameLike(line: Line): boolean {
  const letters = line.text.match(/\p{L}/gu)?.length ?? 0;
  const visible = line.text.replace(/\s/g, '').length;

  return letters >= 4 && letters / Math.max(1, visible) >= 0.6 && line.confidence >= 0.5 &&
    line.segments.length === 0 && !BOILERPLATE.test(line.text) &&
    !findStart(line.text) && findMoney(line.text).length === 0;
}

function setEventName(
  fields: TicketFields,
  labelled: Map<LabelField, LabelledValue>,
  lines: Line[],
) {
  const label = labelled.get('event');
  if (label) {
    fields.eventName = reading(joinWords(label.words), label.words, label.certainty);

    return;
  }

  // The event name is the largest text above the date on the first page with text.
  const dateLine = lines.find((line) => findStart(`${line.text}`));
  const firstPage = lines[0]?.pageNumber;
  const candidates = lines.filter((line) => line.pageNumber === firstPage && isNameLike(line) &&
    (!dateLine || dateLine.pageNumber !== firstPage || line.box.top < dateLine.box.top));
  const largest = candidates.reduce<Line | undefined>(
    (best, line) => (!best || line.box.height > best.box.height * 1.1 ? line : best), undefined);
  if (!largest) {
    return;
  }

  // A long name wraps onto the following lines in the same size.
  const nameLines = [largest];
  for (let index = lines.indexOf(largest) + 1; index < lines.length; index++) {
    const line = lines[index]!;
    const previous = nameLines.at(-1)!;
    const sameSize = Math.abs(line.box.height - largest.box.height) < largest.box.height * 0.2;
    const adjacent = line.box.top - (previous.box.top + previous.box.height) <
      largest.box.height;
    if (!sameSize || !adjacent || !isNameLike(line)) {
      break;
    }
    nameLines.push(line);
  }
  const words = nameLines.flatMap((line) => line.tokens);
  fields.eventName = reading(joinWords(words), words, CERTAINTY.largestLine);
}

function setVenue(
  fields: TicketFields,
  labelled: Map<LabelField, LabelledValue>,
  lines: Line[],
) {
  const label = labelled.get('venue');
  if (label) {
    fields.venue = reading(joinWords(label.words), label.words, label.certainty);

    return;
  }

  const eventName = String(fields.eventName?.value ?? '');
  const dateIndex = lines.findIndex((line) => findStart(line.text));
  let best: { line: Line; score: number } | undefined;
  lines.forEach((line, index) => {
    if (!isNameLike(line) || (eventName && eventName.includes(line.text))) {
      return;
    }
    const nearDate = dateIndex >= 0 && Math.abs(index - dateIndex) <= 2 ? 1 : 0;
    const score = (VENUE_WORDS.test(line.text) ? 2 : 0) + nearDate +
      (/,\s*\p{L}/u.test(line.text) ? 0.5 : 0);
    if (score >= 1.5 && (!best || score > best.score)) {
      best = { line, score };
    }
  });
  if (best) {
    fields.venue = reading(joinWords(best.line.tokens), best.line.tokens,
      CERTAINTY.venueGuess * Math.min(1, best.score / 3));
  }
}

function joinWords(words: OcrWord[]): string {
  return words.map((word) => word.text).join(' ').replace(/^[:\-–]\s*/, '').trim();
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
