import { describe, expect, it } from 'vitest';

import { extractTicketFields } from './extract.ts';
import type { OcrPage } from './types.ts';

/** Builds a page from text lines, each word with the given confidence. */
function page(lines: string[], confidence = 0.95): OcrPage {
  return {
    pageNumber: 1,
    lines: lines.map((text, index) => {
      const words = text.split(' ').map((word, position) => ({
        text: word,
        confidence,
        box: { left: 0.1 + position * 0.08, top: 0.1 + index * 0.04, width: 0.07, height: 0.02 },
      }));

      return { text, confidence, box: { left: 0.1, top: 0.1 + index * 0.04, width: 0.8,
        height: 0.02 }, words };
    }),
  };
}

describe('extractTicketFields', () => {
  it('reads short labels on one line', () => {
    const fields = extractTicketFields([page([
      'SEC 221 ROW AA SEAT 5-6',
      'Price $45.00',
    ])]);

    expect(fields.section?.value).toBe('221');
    expect(fields.row?.value).toBe('AA');
    expect(fields.seat?.value).toBe('5-6');
    expect(fields.faceValueMinor?.value).toBe(4500);
    expect(fields.currency?.value).toBe('USD');
  });

  it('undoes O for 0 and l for 1 in numbers and labels', () => {
    const fields = extractTicketFields([page(['Secti0n: 1O4', 'R0W: l2', 'Seat(s): 3O'])]);

    expect(fields.section?.value).toBe('104');
    expect(fields.row?.value).toBe('12');
    expect(fields.seat?.value).toBe('30');
    expect(fields.row!.confidence).toBeLessThan(0.95 * 0.97);
  });

  it('reads face value with a code and a comma decimal', () => {
    const fields = extractTicketFields([page(['Face value: EUR 1.234,50'])]);

    expect(fields.faceValueMinor?.value).toBe(123_450);
    expect(fields.currency?.value).toBe('EUR');
  });

  it('reads a US date with zone as a UTC instant', () => {
    const fields = extractTicketFields([page(['Date: Sat, Mar 21, 2026, 8:00 PM CDT'])]);

    expect(fields.startsAt?.value).toBe('2026-03-22T01:00:00.000Z');
  });

  it('keeps a date without zone as local time', () => {
    const fields = extractTicketFields([page(['Doors 18:30', '21.03.2026', 'Show 20:00'])]);

    expect(fields.startsAt?.value).toBe('2026-03-21T20:00');
  });

  it('scales confidence by OCR confidence', () => {
    const sure = extractTicketFields([page(['Row: 12'], 0.99)]);
    const unsure = extractTicketFields([page(['Row: 12'], 0.5)]);

    expect(sure.row!.confidence).toBeGreaterThan(unsure.row!.confidence);
  });

  it('returns nothing for empty text', () => {
    expect(extractTicketFields([{ pageNumber: 1, lines: [] }])).toEqual({});
  });
});
