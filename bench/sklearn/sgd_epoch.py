#!/usr/bin/python3
"""Times one epoch of scikit-learn's SGDRegressor on data shaped like SgdBenchmarks (n = 100 000, p = 64 and 256,
uniform X in [-1, 1), y = X·beta + noise), single thread, so the lead can measure the RidgeCore/scikit-learn ratio on a
quiet machine.

Usage: OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 bench/sklearn/sgd_epoch.py [--repeats 9]

One epoch = partial_fit over all rows, and also fit(max_iter=1, tol=None) (scikit-learn's SGD is per-sample: batch size 1; shuffle=True reshuffles each
call; squared loss, penalty l2, alpha = 1e-4 i.e. RidgeCore lambda = 1e-4, learning_rate invscaling as in RidgeCore's
benchmark). The median of the repeats (what the ratios in bench/results use, as BenchmarkDotNet's median is RidgeCore's
side) and the best are reported, after one warm-up epoch.
"""
import argparse
import time
import warnings

import numpy as np
from sklearn.linear_model import SGDRegressor


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()
    for p in (64, 256):
        rng = np.random.default_rng(31)
        X = rng.uniform(-1, 1, size=(args.n, p))
        beta = rng.uniform(-1, 1, size=p)
        y = X @ beta + rng.uniform(-0.1, 0.1, size=args.n)
        model = SGDRegressor(loss="squared_error", penalty="l2", alpha=1e-4, learning_rate="invscaling",
                             eta0=0.002, shuffle=True, random_state=0)
        model.partial_fit(X, y)  # warm-up (allocations, first shuffle)
        times = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            model.partial_fit(X, y)
            times.append(time.perf_counter() - t0)
        median, best = sorted(times)[len(times) // 2], min(times)
        gbs = args.n * p * 8 / median / 1e9
        print(f"SGDRegressor partial_fit epoch  n={args.n} p={p}: median {median * 1e3:8.2f} ms  ({gbs:5.2f} GB/s of X), "
              f"best {best * 1e3:8.2f} ms")
        # fit(max_iter=1): one epoch through the fit path (input validation once, no per-call checks beyond it).
        times = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for _ in range(args.repeats):
                model = SGDRegressor(loss="squared_error", penalty="l2", alpha=1e-4, learning_rate="invscaling",
                                     eta0=0.002, shuffle=True, random_state=0, max_iter=1, tol=None)
                t0 = time.perf_counter()
                model.fit(X, y)
                times.append(time.perf_counter() - t0)
        median, best = sorted(times)[len(times) // 2], min(times)
        print(f"SGDRegressor fit(max_iter=1)    n={args.n} p={p}: median {median * 1e3:8.2f} ms, best {best * 1e3:8.2f} ms")


if __name__ == "__main__":
    main()
