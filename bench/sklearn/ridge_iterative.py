#!/usr/bin/python3
"""Times scikit-learn's matrix-free conjugate-gradient ridge, Ridge(solver="sparse_cg"), on data shaped like
IterativeFromDataBenchmarks (n = 100 000, p = 64, uniform X in [-1, 1), y = X·beta + noise), single thread, beside
Ridge(solver="cholesky") on the same data, so the RidgeCore/scikit-learn ratios can be read on a quiet machine.

Usage: OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 bench/sklearn/ridge_iterative.py [--repeats 9]

RidgeCore's lambda = 1e-3 is scikit-learn's alpha = lambda * n (the objective (1/n)·Σr² + lambda·|theta|² times n).
sparse_cg stops when |r| <= tol·|b| on the centered normal equations, RidgeCore's rule with Tolerance = 1e-8. The
median of the repeats (the figure the ratios use) and the best are reported, after one warm-up fit; the largest
relative difference of the coefficients from the Cholesky solution shows that the CG fit reached the same answer.
"""
import argparse
import time
import warnings

import numpy as np
from sklearn.linear_model import Ridge


def timed(make, X, y, repeats):
    make().fit(X, y)  # warm-up
    times = []
    model = None
    for _ in range(repeats):
        model = make()
        t0 = time.perf_counter()
        model.fit(X, y)
        times.append(time.perf_counter() - t0)
    return sorted(times)[len(times) // 2], min(times), model


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()
    lam = 1e-3
    for p in (64,):
        rng = np.random.default_rng(61)
        X = rng.uniform(-1, 1, size=(args.n, p))
        beta = rng.uniform(-1, 1, size=p)
        y = X @ beta + rng.uniform(-0.1, 0.1, size=args.n)
        alpha = lam * args.n
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cg_median, cg_best, cg = timed(lambda: Ridge(alpha=alpha, solver="sparse_cg", tol=1e-8), X, y, args.repeats)
            ch_median, ch_best, ch = timed(lambda: Ridge(alpha=alpha, solver="cholesky"), X, y, args.repeats)
        diff = np.max(np.abs(cg.coef_ - ch.coef_)) / np.max(np.abs(ch.coef_))
        print(f"Ridge sparse_cg n={args.n} p={p}: median {cg_median * 1e3:8.2f} ms, best {cg_best * 1e3:8.2f} ms, "
              f"{int(np.max(cg.n_iter_)) if cg.n_iter_ is not None else -1} iterations, max rel diff from cholesky {diff:.1e}")
        print(f"Ridge cholesky  n={args.n} p={p}: median {ch_median * 1e3:8.2f} ms, best {ch_best * 1e3:8.2f} ms")


if __name__ == "__main__":
    main()
