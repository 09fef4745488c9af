#!/usr/bin/python3
"""Times scikit-learn's LogisticRegression on data shaped like LogisticBenchmarks (n = 100 000, p = 64, uniform X in
[-1, 1), labels drawn from a logistic model), single thread, with its default solver (lbfgs) and tolerance, C = 1
(RidgeCore lambda = 1/(2n)); newton-cholesky, the exact-Newton solver closest to RidgeCore's IRLS, is timed too. Each
line ends with the largest gradient component at the fitted model, RidgeCore's stopping measure, so the accuracy each
run reached can be compared with RidgeCore's tolerance. Each line gives the median of the repeats (what the ratios in
bench/results use, as BenchmarkDotNet's median is RidgeCore's side) and the best.

Usage: OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 bench/sklearn/logistic.py [--repeats 9]
"""
import argparse
import time

import numpy as np
from sklearn.linear_model import LogisticRegression


def gradient_max(model, X, y):
    """The largest absolute component of the gradient of mean log-loss + lambda*||theta||^2 (lambda = 1/(2nC), the
    intercept unpenalized) at the fitted model: RidgeCore's stopping measure (LogisticOptions.Tolerance)."""
    n = X.shape[0]
    theta, b = model.coef_[0], model.intercept_[0]
    p = 1 / (1 + np.exp(-(X @ theta + b)))
    g = X.T @ (p - y) / n + theta / (model.C * n)
    return max(np.abs(g).max(), abs((p - y).mean()))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--p", type=int, default=64)
    args = parser.parse_args()
    rng = np.random.default_rng(41)
    X = rng.uniform(-1, 1, size=(args.n, args.p))
    beta = rng.uniform(-0.5, 0.5, size=args.p)
    y = (rng.uniform(size=args.n) < 1 / (1 + np.exp(-(0.2 + X @ beta)))).astype(float)
    for solver in ("lbfgs", "newton-cholesky"):
        times = []
        for _ in range(args.repeats):
            model = LogisticRegression(C=1.0, solver=solver)
            t0 = time.perf_counter()
            model.fit(X, y)
            times.append(time.perf_counter() - t0)
        times.sort()
        median, best = times[len(times) // 2], times[0]
        print(f"LogisticRegression({solver}) n={args.n} p={args.p}: median {median * 1e3:8.1f} ms, best {best * 1e3:8.1f} ms, "
              f"n_iter {model.n_iter_[0]}, "
              f"largest gradient component {gradient_max(model, X, y):.2e}")


if __name__ == "__main__":
    main()
