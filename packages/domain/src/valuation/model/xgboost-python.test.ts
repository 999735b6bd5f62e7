// Cross-checks the TypeScript evaluator against Python XGBoost on rows the test makes up,
// including missing values and values exactly at split thresholds. CI installs python3-xgboost;
// elsewhere the test is skipped with a message.
import { describe, expect, it } from 'vitest';

import type { EventCategory } from '@ts/db';

import { sectionScore, ticketTier } from './features.ts';
import { defaultModelDir, loadServedModel } from './served-model.ts';
import { explainRow } from './xgboost.ts';
import { findXgboostPython, runPythonScript } from './xgboost-python.ts';

const python = findXgboostPython();
if (!python) {
  console.warn(
    'Skipping the XGBoost cross-check: no Python with xgboost was found. Install it with ' +
      '`apt-get install python3-xgboost` or set PYTHON to an interpreter that has it.',
  );
}

interface PythonOutput {
  xgboost: string;
  margins: number[];
  contributions: number[][];
  sections: Array<{ tier: number; score: number }>;
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;

  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;

    return state / 2 ** 32;
  };
}

function makeRows(count: number): number[][] {
  const model = loadServedModel(defaultModelDir);
  const next = random(7);
  const thresholds = model.spec.features.map(() => [] as number[]);
  for (const tree of model.price.trees) {
    tree.left.forEach((child, node) => {
      if (child !== -1) thresholds[tree.feature[node]!]!.push(tree.threshold[node]!);
    });
  }

  return Array.from({ length: count }, () =>
    model.spec.features.map((name, index) => {
      const roll = next();
      if (roll < 0.1) return Number.NaN;
      const cuts = thresholds[index]!;
      // A third of the values sit exactly on a split threshold, where float32 rounding matters.
      if (roll < 0.4 && cuts.length > 0) return cuts[Math.floor(next() * cuts.length)]!;
      const range = model.spec.coverage.ranges[name] ?? [0, 10];

      return range[0] + next() * (range[1] - range[0]) * 1.2;
    }),
  );
}

const SECTIONS: Array<[string, string | null, EventCategory]> = [
  ['Section 316', '15', 'CONCERT'],
  ['Field A3', '5', 'CONCERT'],
  ['Section C114', '13A', 'CONCERT'],
  ['Mezzanine Goal 220', '7', 'SPORTS'],
  ['Lower Center 112', '55', 'SPORTS'],
  ['General Admission', null, 'SPORTS'],
  ['GA', 'A', 'FESTIVAL'],
  ['Upper Deck 5', '2', 'SPORTS'],
  ['Suite E1504', '', 'CONCERT'],
];

describe.skipIf(!python)('served model against Python XGBoost', () => {
  const model = loadServedModel(defaultModelDir);
  const rows = makeRows(300);
  const output = python
    ? runPythonScript<PythonOutput>(python, 'check_model.py', {
        model_dir: defaultModelDir,
        rows: rows.map((row) => row.map((value) => (Number.isNaN(value) ? null : value))),
        sections: SECTIONS,
      })
    : null;

  // Mismatches are collected and compared with an empty list, so a failure names every row
  // and feature that differs instead of stopping at the first.
  it('predicts what XGBoost predicts, missing values and thresholds included', () => {
    const mismatches = rows.flatMap((row, index) => {
      const margin = explainRow(model.price, row).margin;
      const expected = output!.margins[index]!;

      return Math.abs(margin - expected) < 2e-5 ? [] : [{ index, margin, expected }];
    });

    expect(mismatches).toEqual([]);
  });

  it('computes the SHAP values XGBoost computes', () => {
    const mismatches = rows.flatMap((row, index) => {
      const explanation = explainRow(model.price, row);
      const expected = output!.contributions[index]!;
      const values = [...explanation.contributions, explanation.bias];

      return values.flatMap((value, feature) =>
        Math.abs(value - expected[feature]!) < 2e-5
          ? []
          : [{ index, feature, value, expected: expected[feature] }],
      );
    });

    expect(mismatches).toEqual([]);
  });

  it('scores sections as the training script does', () => {
    SECTIONS.forEach(([label, row, category], index) => {
      const tier = ticketTier(null, label, category);

      expect(tier).toBe(output!.sections[index]!.tier);
      expect(sectionScore(model.spec, tier, row)).toBeCloseTo(output!.sections[index]!.score, 9);
    });
  });
});
