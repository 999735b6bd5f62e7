// Reading the market-data CSVs and turning their text cells into typed values.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { parse } from 'csv-parse/sync';

export type CsvRecord = Record<string, string>;

/** Reads a CSV file with a header row into one record per line, keyed by column name. */
export async function readCsv(dataDir: string, fileName: string): Promise<CsvRecord[]> {
  const text = await readFile(path.join(dataDir, fileName), 'utf8');

  return parse(text, { columns: true, skip_empty_lines: true, trim: true }) as CsvRecord[];
}

/** Returns the cell of a required column, raising when the column is absent from the file. */
export function cell(record: CsvRecord, column: string): string {
  const value = record[column];
  if (value === undefined) {
    throw new Error(`CSV column "${column}" is missing; check the file header`);
  }

  return value;
}

/** Parses a number cell such as "71168.0"; an empty cell is null. */
export function optionalNumber(text: string): number | null {
  if (text === '') return null;
  const value = Number(text);
  if (!Number.isFinite(value)) {
    throw new Error(`invalid number "${text}" in CSV cell`);
  }

  return value;
}

/** Parses a whole-number cell written as a float ("12.0"), rounding; an empty cell is null. */
export function optionalInt(text: string): number | null {
  const value = optionalNumber(text);

  return value === null ? null : Math.round(value);
}

/** Converts a US-dollar amount ("43.5") to integer cents; an empty cell is null. */
export function dollarsToMinor(text: string): number | null {
  const dollars = optionalNumber(text);

  return dollars === null ? null : Math.round(dollars * 100);
}

export function parseBoolean(text: string): boolean {
  return text.toLowerCase() === 'true';
}

/**
 * Parses the calendar dates of the TickPick file, which mixes "11/1/2025" (month/day/year)
 * with ISO "2025-08-29". Returns milliseconds at 00:00 UTC of that calendar date.
 */
export function parseCalendarDate(text: string): number {
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (iso) return Date.UTC(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3]));

  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (us) return Date.UTC(Number(us[3]), Number(us[1]) - 1, Number(us[2]));

  throw new Error(`invalid date "${text}"; expected M/D/YYYY or YYYY-MM-DD`);
}

/** Parses "14:45:19" or "0:58" into milliseconds after midnight. */
export function parseClockTime(text: string): number {
  const match = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!match) throw new Error(`invalid time "${text}"; expected H:MM or H:MM:SS`);

  return ((Number(match[1]) * 60 + Number(match[2])) * 60 + Number(match[3] ?? 0)) * 1000;
}
