"""Train the ticket valuation model with XGBoost and write its artifacts to ml/model/.

Usage: python3 ml/train.py [--version xgb-YYYY-MM-DD-N] [--seed 42] [--out ml/model]

Needs python3-xgboost (Debian ships 1.7.4) and its numpy. The same seed and data give the same
model file. The target is the natural log of the price per ticket in US dollars, so the
model's raw output (margin) is a log price and its SHAP values are in log units.

Writes:
  valuation-<version>.json        the price model, XGBoost JSON format
  valuation-<version>.error.json  the error model: expected absolute log error per input
  feature-spec.json               feature names, order, encodings, confidence rule, coverage
  metrics.json                    MAPE of the model and of the median baseline on the test split
  test-vectors.json               inputs, predictions and SHAP values from XGBoost itself
"""

import argparse
import json
import math
import os
import statistics
import sys

import numpy as np
import xgboost as xgb

from features import (
    CATEGORY_CODES,
    FEATURES,
    ROW_PENALTY,
    ROW_SCALE,
    TIER_BASE,
    feature_vector,
    stubhub_rows,
    tickpick_rows,
    vividseats_rows,
)
from platform_rows import platform_rows

DEFAULT_VERSION = "xgb-2026-12-04-1"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Held-out time split by event date: games on or after these days are the test set, so the
# model is judged on events later than any it was trained on. The concert is one scrape of
# one event with no time axis, so it stays in training.
TEST_FROM = {"tickpick": "2025-11-01", "stubhub": "2018-04-05", "platform": "9999-12-31"}

PRICE_PARAMS = {
    "objective": "reg:squarederror",
    "eta": 0.05,
    "max_depth": 5,
    "min_child_weight": 3,
    "subsample": 0.8,
    "colsample_bytree": 0.9,
    "tree_method": "hist",
    "nthread": 1,
}
PRICE_ROUNDS = 300
ERROR_PARAMS = {**PRICE_PARAMS, "max_depth": 4, "eta": 0.05}
ERROR_ROUNDS = 150
ERROR_FOLDS = 5

# Confidence is the chance that the market price lies within 50 % of the value, when the
# absolute log error is taken as exponentially distributed with the mean the error model
# predicts: 1 - exp(-ln(1.5) / expected_error).
CONFIDENCE_TOLERANCE = 0.5
UNSEEN_CATEGORY_FACTOR = 0.5
OUT_OF_RANGE_FACTOR = 0.8
TEST_VECTOR_COUNT = 50


def split_rows(rows):
    train, test = [], []
    for row in rows:
        cutoff = TEST_FROM.get(row["source"])
        is_test = cutoff is not None and row["event_day"] is not None and (
            row["event_day"].isoformat() >= cutoff
        )
        (test if is_test else train).append(row)
    return train, test


def matrix(rows):
    return np.array([feature_vector(row) for row in rows], dtype=np.float32)


def mape(actual, predicted):
    return float(np.mean(np.abs(predicted - actual) / actual))


def median_baseline(train, test):
    """The comparables rule without the test event's own prices: the median training price of
    the same source and seat tier, else of the same category."""
    groups, categories = {}, {}
    for row in train:
        groups.setdefault((row["source"], row["tier"]), []).append(row["price"])
        categories.setdefault(row["category"], []).append(row["price"])
    medians = {key: statistics.median(values) for key, values in groups.items()}
    category_medians = {key: statistics.median(values) for key, values in categories.items()}
    return np.array([
        medians.get((row["source"], row["tier"]), category_medians[row["category"]])
        for row in test
    ])


def fold_of(event_key, folds):
    # A stable hash (Python's hash() is salted per process), so folds are reproducible.
    return sum(event_key.encode("utf-8")) % folds


def out_of_fold_errors(train, seed):
    """Absolute log errors of models that never saw the row's event, the error model's target."""
    x = matrix(train)
    y = np.log([row["price"] for row in train])
    folds = np.array([fold_of(row["event_key"], ERROR_FOLDS) for row in train])
    errors = np.zeros(len(train))
    for fold in range(ERROR_FOLDS):
        held = folds == fold
        if not held.any() or held.all():
            continue
        booster = xgb.train(
            {**PRICE_PARAMS, "seed": seed, "base_score": float(np.mean(y[~held]))},
            xgb.DMatrix(x[~held], label=y[~held], feature_names=FEATURES),
            PRICE_ROUNDS,
        )
        predicted = booster.predict(xgb.DMatrix(x[held], feature_names=FEATURES))
        errors[held] = np.abs(predicted - y[held])
    return errors


def coverage_of(train, booster):
    """Training range of each feature the model splits on. A feature it never splits on (the
    platform demand, zero in all historical rows) cannot take the model out of its range."""
    used = set(booster.get_score(importance_type="weight").keys())
    x = matrix(train)
    ranges = {}
    for index, name in enumerate(FEATURES):
        if name not in used:
            ranges[name] = None
            continue
        column = x[:, index]
        column = column[~np.isnan(column)]
        ranges[name] = [float(column.min()), float(column.max())] if column.size else None
    categories = sorted({int(row["category"]) for row in train})
    return {"ranges": ranges, "categories": categories}


def confidence_of(vector, expected_error, coverage):
    """Mirror of the TypeScript confidence rule (packages/domain/src/valuation/model/)."""
    tolerance = math.log(1 + CONFIDENCE_TOLERANCE)
    confidence = 1 - math.exp(-tolerance / max(expected_error, 1e-6))
    category = vector[FEATURES.index("category")]
    if int(category) not in coverage["categories"]:
        confidence *= UNSEEN_CATEGORY_FACTOR
    for index, name in enumerate(FEATURES):
        bounds = coverage["ranges"][name]
        value = vector[index]
        if name == "category" or bounds is None or math.isnan(value):
            continue
        if value < bounds[0] or value > bounds[1]:
            confidence *= OUT_OF_RANGE_FACTOR
    return min(1.0, max(0.0, confidence))


def per_source(test, actual, model_prices, baseline_prices):
    report = {}
    for source in sorted({row["source"] for row in test}):
        mask = np.array([row["source"] == source for row in test])
        report[source] = {
            "rows": int(mask.sum()),
            "model_mape": mape(actual[mask], model_prices[mask]),
            "median_baseline_mape": mape(actual[mask], baseline_prices[mask]),
        }
    return report


def nan_to_none(values):
    return [None if isinstance(v, float) and math.isnan(v) else v for v in values]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=DEFAULT_VERSION, help="model version to write")
    parser.add_argument("--seed", type=int, default=42, help="random seed for XGBoost")
    parser.add_argument("--data", default=os.path.join(ROOT, "data"), help="market data folder")
    parser.add_argument("--out", default=os.path.join(ROOT, "ml", "model"), help="output folder")
    args = parser.parse_args()

    rows = tickpick_rows(args.data) + stubhub_rows(args.data) + vividseats_rows(args.data)
    own = platform_rows(os.environ.get("DATABASE_URL"))
    rows += own
    train, test = split_rows(rows)
    print(f"rows: {len(rows)} (platform {len(own)}), train {len(train)}, test {len(test)}")

    y_train = np.log([row["price"] for row in train])
    base_score = float(np.mean(y_train))
    price_model = xgb.train(
        {**PRICE_PARAMS, "seed": args.seed, "base_score": base_score},
        xgb.DMatrix(matrix(train), label=y_train, feature_names=FEATURES),
        PRICE_ROUNDS,
    )

    oof_errors = out_of_fold_errors(train, args.seed)
    error_model = xgb.train(
        {**ERROR_PARAMS, "seed": args.seed, "base_score": float(np.mean(oof_errors))},
        xgb.DMatrix(matrix(train), label=oof_errors, feature_names=FEATURES),
        ERROR_ROUNDS,
    )

    x_test = matrix(test)
    test_matrix = xgb.DMatrix(x_test, feature_names=FEATURES)
    actual = np.array([row["price"] for row in test])
    model_prices = np.exp(price_model.predict(test_matrix).astype(np.float64))
    baseline_prices = median_baseline(train, test)
    coverage = coverage_of(train, price_model)
    expected_errors = error_model.predict(test_matrix).astype(np.float64)
    confidences = np.array([
        confidence_of(list(map(float, x_test[i])), expected_errors[i], coverage)
        for i in range(len(test))
    ])
    within = np.abs(model_prices - actual) / actual <= CONFIDENCE_TOLERANCE
    confident = confidences >= 0.75

    os.makedirs(args.out, exist_ok=True)
    model_file = f"valuation-{args.version}.json"
    error_file = f"valuation-{args.version}.error.json"
    price_model.save_model(os.path.join(args.out, model_file))
    error_model.save_model(os.path.join(args.out, error_file))

    metrics = {
        "version": args.version,
        "seed": args.seed,
        "xgboost": xgb.__version__,
        "split": {
            "kind": "time, by event date",
            "test_from": TEST_FROM,
            "note": "the concert is a single scrape of one event and is in training only",
            "train_rows": len(train),
            "test_rows": len(test),
        },
        "target": "ln(price per ticket, USD)",
        "model_mape": mape(actual, model_prices),
        "median_baseline_mape": mape(actual, baseline_prices),
        "median_baseline": "median training price of the same source and seat tier",
        "by_source": per_source(test, actual, model_prices, baseline_prices),
        "confidence": {
            "mean": float(confidences.mean()),
            "share_at_or_above_0_75": float(confident.mean()),
            "share_within_tolerance": float(within.mean()),
            "share_within_tolerance_when_confident":
                float(within[confident].mean()) if confident.any() else None,
            "model_mape_when_confident":
                mape(actual[confident], model_prices[confident]) if confident.any() else None,
        },
    }
    spec = {
        "version": args.version,
        "model_file": model_file,
        "error_model_file": error_file,
        "features": FEATURES,
        "target": "ln(price per ticket, USD); value in minor units = round(100 * exp(margin))",
        "encodings": {
            "category": CATEGORY_CODES,
            "day_of_week": "0 = Sunday .. 6 = Saturday, in the venue's time zone",
            "section_score": {
                "tier_base": {str(k): v for k, v in TIER_BASE.items()},
                "row_penalty": ROW_PENALTY,
                "row_scale": ROW_SCALE,
                "rule": "tier_base - row_penalty * min(leading row number, row_scale) / "
                        "row_scale; the tier base alone when the row has no leading number",
            },
            "team_rank": "best (lowest) poll rank of the two teams; missing when unranked",
            "elo_mean": "mean pre-game Elo of the teams that have one; missing otherwise",
            "missing": "NaN, sent down each split's default direction",
            "platform_demand": "events' views in the last 7 days, wants and listed tickets; "
                               "zero in every historical row",
        },
        "confidence": {
            "tolerance": CONFIDENCE_TOLERANCE,
            "unseen_category_factor": UNSEEN_CATEGORY_FACTOR,
            "out_of_range_factor": OUT_OF_RANGE_FACTOR,
            "fallback_below": 0.75,
        },
        "coverage": coverage,
    }

    rng = np.random.default_rng(args.seed)
    picked = sorted(rng.choice(len(test), size=min(TEST_VECTOR_COUNT, len(test)), replace=False))
    vector_rows = x_test[picked]
    # A few rows with missing values, so default directions are checked too.
    vector_rows[: 5, FEATURES.index("team_rank")] = np.nan
    vector_rows[5: 10, FEATURES.index("section_score")] = np.nan
    vector_matrix = xgb.DMatrix(vector_rows, feature_names=FEATURES)
    margins = price_model.predict(vector_matrix, output_margin=True)
    contribs = price_model.predict(vector_matrix, pred_contribs=True)
    errors = error_model.predict(vector_matrix)
    vectors = {
        "version": args.version,
        "features": FEATURES,
        "rows": [
            {
                "input": nan_to_none([float(v) for v in vector_rows[i]]),
                "margin": float(margins[i]),
                "contributions": [float(v) for v in contribs[i][:-1]],
                "bias": float(contribs[i][-1]),
                "expected_error": float(errors[i]),
                "confidence": confidence_of(
                    [float(v) for v in vector_rows[i]], float(errors[i]), coverage
                ),
            }
            for i in range(len(picked))
        ],
    }

    for name, payload in (
        ("metrics.json", metrics),
        ("feature-spec.json", spec),
        ("test-vectors.json", vectors),
    ):
        with open(os.path.join(args.out, name), "w", encoding="utf-8") as handle:
            json.dump(payload, handle, indent=2, allow_nan=False)
            handle.write("\n")

    print(json.dumps({k: metrics[k] for k in ("model_mape", "median_baseline_mape")}))
    print(json.dumps(metrics["by_source"]))
    print(json.dumps(metrics["confidence"]))
    if metrics["model_mape"] >= metrics["median_baseline_mape"]:
        print("the model does not beat the median baseline", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
