// Benchmarks valuation serving: predictions with exact TreeSHAP per second in this process,
// as a ratio to XGBoost's own predict(pred_contribs=True) on the same model and rows (run in
// Python through child_process). Writes its figures to BENCHMARKS.md between markers, so a
// rerun replaces its own section and leaves the rest of the file alone.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  defaultModelDir,
  loadServedModel,
} from '../packages/domain/src/valuation/model/served-model.ts';
import { explainRow } from '../packages/domain/src/valuation/model/xgboost.ts';
import {
  findXgboostPython,
  runPythonScript,
} from '../packages/domain/src/valuation/model/xgboost-python.ts';

const ROW_COUNT = Number(process.env.BENCH_VALUATION_ROWS ?? 5_000);
const REPEATS = 5;
const benchmarksFile = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../BENCHMARKS.md',
);
const START = '<!-- valuation-bench:start -->';
const END = '<!-- valuation-bench:end -->';

interface PythonTiming {
  xgboost: string;
  best_seconds: number;
  median_seconds: number;
  first_row: number[];
}

/** Repeats the test-vector rows (held-out inputs, some with missing values) to ROW_COUNT. */
function benchmarkRows(): number[][] {
  const vectors = JSON.parse(
    readFileSync(path.join(defaultModelDir, 'test-vectors.json'), 'utf8'),
  ) as { rows: Array<{ input: Array<number | null> }> };
  const inputs = vectors.rows.map((row) => row.input.map((v) => (v === null ? Number.NaN : v)));

  return Array.from({ length: ROW_COUNT }, (_, index) => inputs[index % inputs.length]!);
}

function timeTypeScript(rows: number[][]) {
  const model = loadServedModel();
  let checksum = 0;
  for (const row of rows.slice(0, 500)) checksum += explainRow(model.price, row).margin;

  const times: number[] = [];
  for (let repeat = 0; repeat < REPEATS; repeat += 1) {
    const start = process.hrtime.bigint();
    for (const row of rows) checksum += explainRow(model.price, row).contributions[0]!;
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  times.sort((a, b) => a - b);

  return { best: times[0]!, median: times[Math.floor(times.length / 2)]!, checksum };
}

function timePython(python: string, rows: number[][], threads: number): PythonTiming {
  return runPythonScript<PythonTiming>(python, 'bench_contribs.py', {
    model_dir: defaultModelDir,
    rows: rows.map((row) => row.map((v) => (Number.isNaN(v) ? null : v))),
    repeats: REPEATS,
    threads,
  });
}

function main() {
  const python = findXgboostPython();
  if (!python) {
    throw new Error('no Python with xgboost found; install python3-xgboost or set PYTHON');
  }
  const model = loadServedModel();
  const rows = benchmarkRows();
  const ours = timeTypeScript(rows);
  const single = timePython(python, rows, 1);
  const cores = cpus().length;
  const parallel = timePython(python, rows, cores);

  // Both sides must explain the same row the same way, or the timing compares different work.
  const first = explainRow(model.price, rows[0]!);
  const worst = Math.max(
    ...first.contributions.map((value, index) => Math.abs(value - single.first_row[index]!)),
  );
  if (worst > 1e-4) throw new Error(`SHAP values differ from XGBoost's by ${worst}`);

  const perSecond = (seconds: number) => ROW_COUNT / seconds;
  const tsRate = perSecond(ours.median);
  const singleRate = perSecond(single.median_seconds);
  const parallelRate = perSecond(parallel.median_seconds);
  const treeCount = model.price.trees.length;
  const today = new Date().toISOString().slice(0, 10);
  const format = (rate: number) => Math.round(rate).toLocaleString('en-US');

  const section = [
    START,
    '## Valuation: predictions with SHAP values',
    '',
    '`pnpm bench:valuation` runs `bench/valuation.ts`. It explains the same rows with the',
    'TypeScript TreeSHAP evaluator in one Node.js thread and with XGBoost\'s own',
    `\`predict(pred_contribs=True)\` from Python, on the served model ${model.version}`,
    `(${treeCount} trees, depth up to ${model.price.maxDepth}). The rows are the 50 held-out`,
    'test-vector inputs, some with missing values, repeated to ' +
      `${ROW_COUNT.toLocaleString('en-US')}.`,
    `Each figure is the median of ${REPEATS} timed passes after a warm-up. The Python side`,
    'times only the prediction call, not the start of the interpreter.',
    '',
    `Measured ${today} on the ${cores}-core development VM (XGBoost ${single.xgboost},`,
    `Node.js ${process.versions.node}), while other work ran on the machine:`,
    '',
    '| evaluator | rows per second | TypeScript rate ÷ this rate |',
    '|---|---|---|',
    `| TypeScript, 1 thread | ${format(tsRate)} | 1.00 |`,
    `| XGBoost, 1 thread | ${format(singleRate)} | ${(tsRate / singleRate).toFixed(2)} |`,
    `| XGBoost, ${cores} threads | ${format(parallelRate)} | ` +
      `${(tsRate / parallelRate).toFixed(2)} |`,
    '',
    'One valuation needs one row, so either rate is far above what a request needs.',
    END,
  ].join('\n');

  const current = readFileSync(benchmarksFile, 'utf8');
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const updated = start >= 0 && end > start
    ? current.slice(0, start) + section + current.slice(end + END.length)
    : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(benchmarksFile, updated);

  console.log(section);
}

main();
