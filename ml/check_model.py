"""Run XGBoost on the served model for rows sent by the TypeScript cross-check test.

Reads JSON from stdin: {"model_dir": ..., "rows": [[...], ...], "sections": [[label, row,
category], ...]}, with null for a missing value. Writes JSON to stdout: the margin and the SHAP
values (last column is the bias) of each row, and the tier and section score of each section
as ml/features.py computes them.
"""

import json
import os
import sys

import numpy as np
import xgboost as xgb

from features import section_score, section_tier


def main():
    request = json.load(sys.stdin)
    with open(os.path.join(request["model_dir"], "feature-spec.json"), encoding="utf-8") as handle:
        spec = json.load(handle)
    booster = xgb.Booster()
    booster.load_model(os.path.join(request["model_dir"], spec["model_file"]))
    rows = np.array(
        [[np.nan if value is None else value for value in row] for row in request["rows"]],
        dtype=np.float32,
    )
    matrix = xgb.DMatrix(rows, feature_names=spec["features"])
    sections = []
    for label, row, category in request["sections"]:
        tier = section_tier(label, category)
        sections.append({"tier": tier, "score": section_score(tier, row)})
    json.dump({
        "xgboost": xgb.__version__,
        "margins": booster.predict(matrix, output_margin=True).tolist(),
        "contributions": booster.predict(matrix, pred_contribs=True).tolist(),
        "sections": sections,
    }, sys.stdout)


if __name__ == "__main__":
    main()
