// The model the server values tickets with: the price model, its error model and the feature
// spec, as `pnpm valuation:train` wrote them to ml/model/.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { parseXgboostModel, type TreeEnsemble } from './xgboost.ts';

/** The contents of ml/model/feature-spec.json that serving reads. */
export interface FeatureSpec {
  version: string;
  model_file: string;
  error_model_file: string;
  features: string[];
  encodings: {
    category: Record<string, number>;
    section_score: { tier_base: Record<string, number>; row_penalty: number; row_scale: number };
  };
  confidence: {
    tolerance: number;
    unseen_category_factor: number;
    out_of_range_factor: number;
    fallback_below: number;
  };
  coverage: {
    /** [min, max] seen in training per feature, or null for a feature the model never splits on. */
    ranges: Record<string, [number, number] | null>;
    categories: number[];
  };
}

export interface ServedModel {
  version: string;
  spec: FeatureSpec;
  /** Predicts ln(price per ticket in USD). */
  price: TreeEnsemble;
  /** Predicts the expected absolute error of the price model's log price. */
  error: TreeEnsemble;
}

/** Folder of the artifacts the training script writes, relative to this file. */
export const defaultModelDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../../ml/model',
);

const loaded = new Map<string, ServedModel>();

/**
 * Loads the served model from `dir` (VALUATION_MODEL_DIR, else ml/model) once per process.
 * Raises when the spec and the model file disagree on the features.
 */
export function loadServedModel(
  dir = process.env.VALUATION_MODEL_DIR ?? defaultModelDir,
): ServedModel {
  const cached = loaded.get(dir);
  if (cached) return cached;

  const readJson = (file: string): unknown =>
    JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  const spec = readJson('feature-spec.json') as FeatureSpec;
  const price = parseXgboostModel(readJson(spec.model_file));
  const error = parseXgboostModel(readJson(spec.error_model_file));
  for (const model of [price, error]) {
    if (model.featureNames.join() !== spec.features.join()) {
      throw new Error(
        `model ${spec.version} in ${dir}: the model's features (${model.featureNames.join()}) ` +
          `differ from feature-spec.json (${spec.features.join()}); retrain with ` +
          '`pnpm valuation:train`',
      );
    }
  }

  const served: ServedModel = { version: spec.version, spec, price, error };
  loaded.set(dir, served);

  return served;
}
