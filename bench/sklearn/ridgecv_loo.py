#!/usr/bin/python3
"""Times scikit-learn's RidgeCV (its default efficient leave-one-out) with 13 alphas on n = 100 000, p = 64 double
data: the reference for CrossValidationBenchmarks.LeaveOneOut13 (RidgeCore must be at least 20x faster).

    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 /usr/bin/python3 bench/sklearn/ridgecv_loo.py

Single thread on purpose (the RidgeCore benchmark is single-threaded; set the variables before Python starts, numpy's
BLAS reads them at import). Same shape and the same grid as the C# benchmark: alphas = 10^-3 ... 10^3 (13 points),
which are lambda = alpha / n in RidgeCore's convention. The data are drawn the same way (X uniform in [-1, 1),
y = X.beta + uniform noise in [-0.5, 0.5), beta_j = (j mod 7) - 3) but from numpy's generator, so the values differ.
Prints the median and minimum of the repeats, in ms, and the chosen alpha.
"""
import os
import sys
import time

import numpy as np
import sklearn
from sklearn.linear_model import RidgeCV

N, P, REPEATS = 100_000, 64, int(sys.argv[1]) if len(sys.argv) > 1 else 7


def main():
    rng = np.random.default_rng(31)
    X = rng.uniform(-1.0, 1.0, size=(N, P))
    beta = (np.arange(P) % 7) - 3.0
    y = X @ beta + rng.uniform(-0.5, 0.5, size=N)
    alphas = np.logspace(-3, 3, 13)
    model = RidgeCV(alphas=alphas)  # default: fit_intercept=True, efficient LOO (gcv_mode="auto" -> svd for n > p)
    model.fit(X, y)  # warm-up
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        model.fit(X, y)
        times.append(time.perf_counter() - start)
    times.sort()
    threads = {k: os.environ.get(k, "unset") for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}; {threads}")
    print(f"RidgeCV LOO, n={N}, p={P}, 13 alphas: median {1e3 * times[len(times) // 2]:.1f} ms, "
          f"min {1e3 * times[0]:.1f} ms over {REPEATS} runs; alpha_ = {model.alpha_:g} (lambda = {model.alpha_ / N:g})")
    print(f"RidgeCore's 20x floor: {1e3 * times[len(times) // 2] / 20:.1f} ms")


if __name__ == "__main__":
    main()
