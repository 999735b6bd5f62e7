// One model valuation: the predicted price, its SHAP explanation in minor units and the
// confidence that decides whether the value falls back to comparables.
import type { ServedModel } from './served-model.ts';
import { explainRow, predictMargin } from './xgboost.ts';

export interface Contribution {
  feature: string;
  /** SHAP value on the model's scale, ln(USD). */
  logValue: number;
  /** The same contribution in minor units; the sum over features is predicted − base value. */
  valueMinor: number;
}

export interface ModelPrediction {
  predictedMinor: number;
  baseValueMinor: number;
  margin: number;
  bias: number;
  contributions: Contribution[];
  confidence: number;
  /** Expected absolute error of the log price, from the error model. */
  expectedError: number;
  /** Features outside the range the model was trained on. */
  outOfRange: string[];
  unseenCategory: boolean;
}

/** Converts a log price in USD to minor units (cents). */
function minorOf(logPrice: number): number {
  return Math.round(100 * Math.exp(logPrice));
}

/**
 * Spreads the gap between two prices in minor units over the log-space SHAP values. Each
 * contribution is scaled by the logarithmic mean L of the two prices, since
 * L × (ln p − ln b) = p − b: the shares add up exactly and keep their signs. Rounding uses
 * largest remainders, so the integer shares still sum to the gap.
 */
export function contributionsInMinor(
  logValues: readonly number[],
  baseMinor: number,
  predictedMinor: number,
): number[] {
  const logGap = Math.log(predictedMinor) - Math.log(baseMinor);
  const scale = Math.abs(logGap) < 1e-12 ? baseMinor : (predictedMinor - baseMinor) / logGap;
  const exact = logValues.map((value) => value * scale);
  const rounded = exact.map((value) => Math.floor(value));
  let remainder = predictedMinor - baseMinor - rounded.reduce((sum, value) => sum + value, 0);
  const order = exact
    .map((value, index) => ({ index, fraction: value - Math.floor(value) }))
    .sort((a, b) => b.fraction - a.fraction || a.index - b.index);
  for (const { index } of order) {
    if (remainder <= 0) break;
    rounded[index]! += 1;
    remainder -= 1;
  }

  return rounded;
}

/**
 * Returns the chance that the market price lies within the spec's tolerance of the value,
 * taking the absolute log error as exponential with the error model's mean, scaled down when
 * the input lies outside what training covered.
 */
export function predictionConfidence(model: ServedModel, vector: readonly number[]) {
  const { spec } = model;
  const expectedError = Math.max(predictMargin(model.error, vector), 1e-6);
  const tolerance = Math.log(1 + spec.confidence.tolerance);
  let confidence = 1 - Math.exp(-tolerance / expectedError);

  const categoryIndex = spec.features.indexOf('category');
  const unseenCategory = !spec.coverage.categories.includes(vector[categoryIndex]!);
  if (unseenCategory) confidence *= spec.confidence.unseen_category_factor;

  const outOfRange: string[] = [];
  spec.features.forEach((name, index) => {
    const bounds = spec.coverage.ranges[name];
    // Training compared float32 values, as XGBoost stores them.
    const value = Math.fround(vector[index]!);
    if (name === 'category' || !bounds || Number.isNaN(value)) return;
    if (value < bounds[0] || value > bounds[1]) outOfRange.push(name);
  });
  confidence *= spec.confidence.out_of_range_factor ** outOfRange.length;

  return {
    confidence: Math.min(1, Math.max(0, confidence)),
    expectedError,
    outOfRange,
    unseenCategory,
  };
}

/** Values one feature row with the served model. */
export function predictWithExplanation(
  model: ServedModel,
  vector: readonly number[],
): ModelPrediction {
  const explanation = explainRow(model.price, vector);
  const predictedMinor = minorOf(explanation.margin);
  const baseValueMinor = minorOf(explanation.bias);
  const inMinor = contributionsInMinor(explanation.contributions, baseValueMinor, predictedMinor);
  const contributions = model.spec.features.map((feature, index) => ({
    feature,
    logValue: explanation.contributions[index]!,
    valueMinor: inMinor[index]!,
  }));

  return {
    predictedMinor,
    baseValueMinor,
    margin: explanation.margin,
    bias: explanation.bias,
    contributions,
    ...predictionConfidence(model, vector),
  };
}
