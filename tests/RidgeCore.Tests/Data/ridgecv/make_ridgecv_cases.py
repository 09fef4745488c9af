#!/usr/bin/python3
"""Generates the RidgeCV reference cases used by RidgeCore.Tests (RidgeCVScikitLearnTests).

Run once with Debian's /usr/bin/python3 (numpy 1.24.2, scikit-learn 1.2.1):

    /usr/bin/python3 make_ridgecv_cases.py        # writes ridgecv_cases.json next to this script

Each case is a small data set (seeded, so the output is reproducible), an alpha grid, and what
scikit-learn's RidgeCV chose on it with its default efficient leave-one-out (gcv_mode=None, scoring=None):
the index of alpha_ in the grid (per target when alpha_per_target=True) and best_score_ (the negative mean
squared leave-one-out error; for weighted fits scikit-learn averages w_i * e_i^2 over the n rows).
RidgeCore's lambda is alpha / sum(w) (alpha = lambda * n without weights), so the test runs
RidgeCV.LeaveOneOut on lambdas = alphas / sum(w) and checks it picks the same grid index.
Cases are chosen so that the best score is separated from its neighbours by far more than rounding.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.linear_model import RidgeCV


def case(name, n, p, t, seed, fit_intercept=True, weighted=False, alpha_per_target=False,
         offset=0.0, noise=1.0, collinear=False, alphas=None):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p)) * rng.uniform(0.5, 3.0, size=p) + offset
    if collinear:
        X[:, -1] = X[:, 0] + 1e-3 * rng.normal(size=n)
    beta = rng.normal(size=(p, t)) * (rng.uniform(size=(p, t)) < 0.6)
    y = X @ beta + noise * rng.normal(size=(n, t)) + (2.0 if fit_intercept else 0.0)
    w = rng.uniform(0.2, 3.0, size=n) if weighted else None
    if alphas is None:
        alphas = np.logspace(-3, 3, 13) * n
    model = RidgeCV(alphas=alphas, fit_intercept=fit_intercept, alpha_per_target=alpha_per_target)
    model.fit(X, y if t > 1 else y[:, 0], sample_weight=w)
    chosen = np.atleast_1d(model.alpha_)
    index = [int(np.argmin(np.abs(alphas - a))) for a in chosen]
    if not alpha_per_target:
        index = index * t
    score = np.atleast_1d(model.best_score_).tolist()
    return {
        "name": name, "n": n, "p": p, "t": t, "fit_intercept": fit_intercept,
        "alpha_per_target": alpha_per_target,
        "x": X.ravel().tolist(), "y": y.ravel().tolist(),
        "w": None if w is None else w.tolist(),
        "alphas": list(map(float, alphas)),
        "expected_index": index, "best_score": score,
    }


def main():
    cases = [
        case("basic", 40, 5, 1, 1),
        case("offset_columns", 60, 6, 1, 2, offset=50.0, noise=3.0),
        case("no_intercept", 30, 8, 1, 3, fit_intercept=False, noise=2.0),
        case("weighted", 50, 4, 1, 4, weighted=True, noise=2.0),
        case("wide", 25, 30, 1, 5, noise=4.0),
        case("collinear", 45, 5, 1, 6, collinear=True, noise=1.5),
        case("per_target", 40, 6, 3, 7, alpha_per_target=True, noise=2.0),
        case("shared_multi_target", 35, 4, 2, 8, noise=4.0),
    ]
    meta = {
        "generator": "make_ridgecv_cases.py",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "note": "RidgeCV(alphas, fit_intercept, alpha_per_target) with default efficient LOO; lambda = alpha / sum(w)",
        "cases": cases,
    }
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ridgecv_cases.json")
    with open(out, "w") as f:
        json.dump(meta, f, indent=1)
    for c in cases:
        print(c["name"], c["expected_index"], c["best_score"])


if __name__ == "__main__":
    main()
