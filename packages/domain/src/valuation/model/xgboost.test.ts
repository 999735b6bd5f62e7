import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { contributionsInMinor, predictionConfidence } from './predict.ts';
import { defaultModelDir, loadServedModel } from './served-model.ts';
import { explainRow, parseXgboostModel, predictMargin } from './xgboost.ts';

interface TestVector {
  input: Array<number | null>;
  margin: number;
  contributions: number[];
  bias: number;
  expected_error: number;
  confidence: number;
}

const served = loadServedModel(defaultModelDir);
const vectors = JSON.parse(
  readFileSync(path.join(defaultModelDir, 'test-vectors.json'), 'utf8'),
) as { version: string; features: string[]; rows: TestVector[] };

function inputOf(vector: TestVector): number[] {
  return vector.input.map((value) => (value === null ? Number.NaN : value));
}

// XGBoost adds float32 leaf values in float32, so its margins differ from a float64 sum by a
// few units in the last place of each of the 300 additions.
const FLOAT32_TOLERANCE = 2e-5;

describe('served model against XGBoost test vectors', () => {
  it('has the vectors of the served version', () => {
    expect(vectors.version).toBe(served.version);
    expect(vectors.features).toEqual(served.spec.features);
    expect(vectors.rows.length).toBeGreaterThanOrEqual(50);
  });

  it('includes rows with missing values', () => {
    expect(vectors.rows.some((row) => row.input.includes(null))).toBe(true);
  });

  it.each(vectors.rows.map((row, index) => [index, row] as const))(
    'row %i: margin, SHAP values and additivity',
    (_index, row) => {
      const input = inputOf(row);
      const explanation = explainRow(served.price, input);

      const margin = predictMargin(served.price, input);
      expect(Math.abs(margin - row.margin)).toBeLessThan(FLOAT32_TOLERANCE);
      expect(Math.abs(explanation.margin - row.margin)).toBeLessThan(FLOAT32_TOLERANCE);
      expect(Math.abs(explanation.bias - row.bias)).toBeLessThan(FLOAT32_TOLERANCE);
      explanation.contributions.forEach((value, feature) => {
        expect(Math.abs(value - row.contributions[feature]!)).toBeLessThan(FLOAT32_TOLERANCE);
      });
      const total = explanation.bias + explanation.contributions.reduce((sum, v) => sum + v, 0);
      expect(Math.abs(total - explanation.margin)).toBeLessThan(1e-6);
    },
  );

  it('matches the error model and the confidence of the training script', () => {
    for (const row of vectors.rows) {
      const input = inputOf(row);
      const confidence = predictionConfidence(served, input);

      expect(Math.abs(predictMargin(served.error, input) - row.expected_error)).toBeLessThan(1e-4);
      expect(Math.abs(confidence.confidence - row.confidence)).toBeLessThan(1e-4);
    }
  });
});

// Two trees small enough to work out Shapley values by hand: a stump on feature a, and a tree
// that splits on a and then, on its left branch only, on b. The served model's test vectors
// cover deeper paths that split on one feature twice.
function handMadeModel() {
  const tree = (nodes: {
    left: number[];
    right: number[];
    feature: number[];
    condition: number[];
    cover: number[];
    defaultLeft: number[];
  }) => ({
    left_children: nodes.left,
    right_children: nodes.right,
    split_indices: nodes.feature,
    split_conditions: nodes.condition,
    default_left: nodes.defaultLeft,
    sum_hessian: nodes.cover,
    split_type: nodes.left.map(() => 0),
  });

  return parseXgboostModel({
    learner: {
      feature_names: ['a', 'b'],
      learner_model_param: { base_score: '1.0E0', num_feature: '2', num_class: '0' },
      objective: { name: 'reg:squarederror' },
      gradient_booster: {
        name: 'gbtree',
        model: {
          tree_info: [0, 0],
          trees: [
            tree({
              left: [1, -1, -1],
              right: [2, -1, -1],
              feature: [0, 0, 0],
              condition: [0.5, 2, -1],
              cover: [40, 30, 10],
              defaultLeft: [1, 0, 0],
            }),
            tree({
              left: [1, 3, -1, -1, -1],
              right: [2, 4, -1, -1, -1],
              feature: [0, 1, 0, 0, 0],
              condition: [0.5, 0.5, 4, 1, 3],
              cover: [40, 30, 10, 15, 15],
              defaultLeft: [0, 1, 0, 0, 0],
            }),
          ],
        },
      },
    },
  });
}

describe('explainRow on a hand-made ensemble', () => {
  const model = handMadeModel();

  it('gives a stump its leaf minus the cover-weighted mean', () => {
    // Tree 1 alone: mean = (2 * 30 - 1 * 10) / 40 = 1.25; a row going right gets -1 - 1.25.
    // Tree 2: mean = (1 * 15 + 3 * 15 + 4 * 10) / 40 = 2.5.
    const explanation = explainRow(model, [1, 0]);

    expect(explanation.bias).toBeCloseTo(1 + 1.25 + 2.5, 12);
    expect(explanation.margin).toBeCloseTo(1 - 1 + 4, 12);
    // Feature b only matters below the left branch of tree 2, which this row never reaches.
    // Its Shapley value is still nonzero, because with a unknown the row might go there.
    const [a, b] = explanation.contributions as [number, number];
    expect(a + b).toBeCloseTo(explanation.margin - explanation.bias, 12);
    // Exact Shapley values of tree 2 for x = (1, 0), both orders averaged:
    // v({}) = 2.5, v({a}) = 4, v({b}) = 0.75 * 1 + 0.25 * 4 = 1.75, v({a, b}) = 4.
    // phi_b = ((1.75 - 2.5) + (4 - 4)) / 2 = -0.375 and phi_a = ((4 - 2.5) + (4 - 1.75)) / 2.
    expect(b).toBeCloseTo(-0.375, 12);
    expect(a).toBeCloseTo(-2.25 + 1.875, 12);
  });

  it('sends a missing value down the default branch', () => {
    // Tree 1 defaults left (2); tree 2 defaults right at the root (4).
    expect(predictMargin(model, [Number.NaN, 0])).toBeCloseTo(1 + 2 + 4, 12);
    const explanation = explainRow(model, [Number.NaN, Number.NaN]);
    const total = explanation.bias + explanation.contributions[0]! + explanation.contributions[1]!;

    expect(total).toBeCloseTo(explanation.margin, 12);
  });

  it('rejects categorical splits', () => {
    const json = {
      learner: {
        learner_model_param: { base_score: '0', num_feature: '1' },
        objective: { name: 'reg:squarederror' },
        gradient_booster: {
          name: 'gbtree',
          model: {
            tree_info: [0],
            trees: [{
              left_children: [-1],
              right_children: [-1],
              split_indices: [0],
              split_conditions: [0],
              default_left: [0],
              sum_hessian: [1],
              split_type: [1],
            }],
          },
        },
      },
    };

    expect(() => parseXgboostModel(json)).toThrow(/categorical/);
  });
});

describe('contributionsInMinor', () => {
  it('sums exactly to the gap between prediction and base value', () => {
    const shares = contributionsInMinor([0.4, -0.1, 0.05, 0], 10_000, 14_191);

    expect(shares.reduce((sum, value) => sum + value, 0)).toBe(4_191);
    expect(shares[0]).toBeGreaterThan(0);
    expect(shares[1]).toBeLessThan(0);
    expect(shares[3]).toBe(0);
  });

  it('handles a prediction equal to the base value', () => {
    const shares = contributionsInMinor([0.2, -0.2], 5_000, 5_000);

    expect(shares.reduce((sum, value) => sum + value, 0)).toBe(0);
    expect(shares[0]).toBe(1_000);
    expect(shares[1]).toBe(-1_000);
  });
});
