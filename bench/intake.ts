// Measures ticket intake on a generated, labelled corpus and on the real barcode images in
// fixtures/: barcode decode rate, per-field accuracy of OCR and extraction, and the median
// time per file, by file kind.
//
// INTAKE_CORPUS_COUNT sets the corpus size (default 200); INTAKE_CORPUS_DIR the folder,
// which is reused when its manifest has that many files (default: a folder in the OS temp
// directory named after the count).
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { makeCorpus, type CorpusEntry } from '../scripts/make-corpus.ts';
import { decodeBarcodes } from '../packages/domain/src/tickets/barcode/decode.ts';
import { loadZxing } from '../packages/domain/src/tickets/barcode/zxing.ts';
import {
  createLocalOcrEngine,
  readTicketText,
  type TicketFieldName,
  type TicketFields,
} from '../packages/domain/src/tickets/ocr/index.ts';

const FIELDS: TicketFieldName[] = ['eventName', 'startsAt', 'venue', 'section', 'row', 'seat',
  'faceValueMinor', 'currency'];
const root = path.resolve(import.meta.dirname, '..');

interface FileResult {
  kind: string;
  barcodeRead: boolean;
  fieldsRight: Partial<Record<TicketFieldName, boolean>>;
  milliseconds: number;
}

async function loadCorpus(): Promise<{ dir: string; manifest: CorpusEntry[] }> {
  const count = Number(process.env.INTAKE_CORPUS_COUNT ?? 200);
  const dir = process.env.INTAKE_CORPUS_DIR ??
    path.join(tmpdir(), `ticket-swap-intake-corpus-${count}`);
  const manifestPath = path.join(dir, 'manifest.json');
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as CorpusEntry[];
    if (manifest.length === count) {
      console.log(`Reusing the corpus of ${count} files in ${dir}`);

      return { dir, manifest };
    }
  }

  console.log(`Generating a corpus of ${count} files in ${dir} ...`);
  const started = performance.now();
  const manifest = await makeCorpus(dir, count);
  console.log(`  generated in ${((performance.now() - started) / 1000).toFixed(0)} s`);

  return { dir, manifest };
}

// Text fields are compared without case, spacing and punctuation, because OCR often drops a
// space ("BalconyB") or a comma and a reviewer would accept the value as read.
function normalized(value: string | number): string {
  return String(value).toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

function localStart(instant: string, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(instant)).replace(' ', 'T');
}

function compareFields(fields: TicketFields, truth: CorpusEntry['truth']) {
  const right: Partial<Record<TicketFieldName, boolean>> = {};
  for (const field of FIELDS) {
    const read = fields[field]?.value;
    if (read === undefined) {
      right[field] = false;
      continue;
    }
    if (field === 'startsAt') {
      // A start without a printed zone is right when it is the venue's local time.
      const text = String(read);
      right[field] = text.endsWith('Z')
        ? new Date(text).getTime() === new Date(truth.startsAt).getTime()
        : text === localStart(truth.startsAt, truth.timeZone);
      continue;
    }
    right[field] = normalized(read) === normalized(truth[field]);
  }

  return right;
}

async function runCorpus(engine: ReturnType<typeof createLocalOcrEngine>) {
  const { dir, manifest } = await loadCorpus();
  const results: FileResult[] = [];

  for (const [index, entry] of manifest.entries()) {
    const bytes = new Uint8Array(await readFile(path.join(dir, entry.file)));
    const mimeType = entry.file.endsWith('.pdf') ? 'application/pdf'
      : entry.file.endsWith('.png') ? 'image/png' : 'image/jpeg';
    const started = performance.now();
    const barcodes = await decodeBarcodes(bytes, mimeType);
    const ocr = await readTicketText(bytes, mimeType, { engine });
    const milliseconds = performance.now() - started;

    const result = {
      kind: entry.kind,
      barcodeRead: barcodes.some((barcode) => barcode.text === entry.barcodeText),
      fieldsRight: compareFields(ocr.fields, entry.truth),
      milliseconds,
    };
    results.push(result);
    if (process.env.INTAKE_VERBOSE) {
      const wrong = FIELDS.filter((field) => !result.fieldsRight[field]);
      console.log(`${index} ${entry.file} barcode=${result.barcodeRead} ` +
        `wrong=[${wrong.map((field) => `${field}:${String(ocr.fields[field]?.value)}`).join('; ')}] ` +
        `${milliseconds.toFixed(0)} ms`);
    }
  }

  return results;
}

interface FixtureResult {
  folder: string;
  read: boolean;
  milliseconds: number;
}

// Every image in fixtures/barcodes. Where a .txt file of the same name contains the expected
// content, the decoded text must equal it; elsewhere any decoded barcode counts.
async function runFixtures(): Promise<FixtureResult[]> {
  const results: FixtureResult[] = [];
  const base = path.join(root, 'fixtures/barcodes');
  for (const folder of await listFolders(base)) {
    for (const name of (await readdir(folder)).sort()) {
      if (!/\.(png|jpe?g|webp)$/i.test(name)) {
        continue;
      }
      const bytes = new Uint8Array(await readFile(path.join(folder, name)));
      const expectedPath = path.join(folder, name.replace(/\.[^.]+$/, '.txt'));
      const expected = existsSync(expectedPath)
        ? (await readFile(expectedPath, 'utf8')).replace(/\r?\n$/, '')
        : undefined;
      const started = performance.now();
      const barcodes = await decodeBarcodes(bytes).catch(() => []);
      const milliseconds = performance.now() - started;
      results.push({
        folder: path.relative(base, folder),
        read: expected === undefined
          ? barcodes.length > 0
          : barcodes.some((barcode) => barcode.text === expected),
        milliseconds,
      });
    }
  }

  return results;
}

async function listFolders(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const nested = await Promise.all(entries.filter((entry) => entry.isDirectory())
    .map((entry) => listFolders(path.join(folder, entry.name))));

  return [folder, ...nested.flat()];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);

  return sorted.length % 2 ? sorted[middle]! : ((sorted[middle - 1]! + sorted[middle]!) / 2);
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)} %`;
}

function printCorpusTable(results: FileResult[]) {
  const kinds = [...new Set(results.map((result) => result.kind))];
  console.log('\n| kind | files | barcode decoded | OCR fields right | ' +
    `${FIELDS.join(' | ')} | median ms/file |`);
  console.log(`|${' --- |'.repeat(5 + FIELDS.length)}`);
  for (const kind of kinds) {
    const group = results.filter((result) => result.kind === kind);
    const fieldChecks = group.flatMap((result) => FIELDS.map((field) => result.fieldsRight[field]));
    const perField = FIELDS.map((field) =>
      percent(group.filter((result) => result.fieldsRight[field]).length, group.length));
    console.log(`| ${kind} | ${group.length} | ` +
      `${percent(group.filter((result) => result.barcodeRead).length, group.length)} | ` +
      `${percent(fieldChecks.filter(Boolean).length, fieldChecks.length)} | ` +
      `${perField.join(' | ')} | ${median(group.map((result) => result.milliseconds)).toFixed(0)} |`);
  }
}

function printFixtureTable(results: FixtureResult[]) {
  console.log('\n| fixtures folder | images | barcode decoded | median ms/file |');
  console.log('| --- | --- | --- | --- |');
  for (const folder of [...new Set(results.map((result) => result.folder))]) {
    const group = results.filter((result) => result.folder === folder);
    console.log(`| ${folder} | ${group.length} | ` +
      `${percent(group.filter((result) => result.read).length, group.length)} | ` +
      `${median(group.map((result) => result.milliseconds)).toFixed(0)} |`);
  }
}

const started = performance.now();
await loadZxing();
const engine = createLocalOcrEngine();
try {
  const corpus = await runCorpus(engine);
  printCorpusTable(corpus);
  printFixtureTable(await runFixtures());
} finally {
  await engine.close();
}
console.log(`\nTotal ${((performance.now() - started) / 1000).toFixed(0)} s`);
