"""Time XGBoost's own predict(pred_contribs=True) for the valuation benchmark.

Reads JSON from stdin: {"model_dir", "rows", "repeats", "threads"}, with null for a missing
value. Writes JSON: the best time in seconds over the repeats for the whole batch, and the
contributions of the first row so the caller can check both sides did the same work.
"""

import json
import os
import sys
import time

import numpy as np
import xgboost as xgb


def main():
    request = json.load(sys.stdin)
    with open(os.path.join(request["model_dir"], "feature-spec.json"), encoding="utf-8") as handle:
        spec = json.load(handle)
    booster = xgb.Booster()
    booster.load_model(os.path.join(request["model_dir"], spec["model_file"]))
    booster.set_param({"nthread": request["threads"]})
    rows = np.array(
        [[np.nan if value is None else value for value in row] for row in request["rows"]],
        dtype=np.float32,
    )
    matrix = xgb.DMatrix(rows, feature_names=spec["features"], nthread=request["threads"])
    booster.predict(matrix, pred_contribs=True)
    times = []
    for _ in range(request["repeats"]):
        start = time.perf_counter()
        contributions = booster.predict(matrix, pred_contribs=True)
        times.append(time.perf_counter() - start)
    json.dump({
        "xgboost": xgb.__version__,
        "best_seconds": min(times),
        "median_seconds": sorted(times)[len(times) // 2],
        "first_row": contributions[0].tolist(),
    }, sys.stdout)


if __name__ == "__main__":
    main()
