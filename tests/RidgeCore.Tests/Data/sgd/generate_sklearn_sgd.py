#!/usr/bin/python3
"""One unshuffled epoch of scikit-learn's SGDRegressor (per-sample SGD, constant learning rate) for RidgeCore's
convention test: RidgeCore with batch size 1, lambda = alpha and eta = eta0 / 2 must take exactly the same steps.

Why: scikit-learn minimizes (1/n) sum 1/2 (y - yhat)^2 + alpha * 1/2 ||w||^2 and steps w <- (1 - eta0 alpha) w -
eta0 (yhat - y) x, b <- b - eta0 (yhat - y); RidgeCore's objective is twice that with lambda = alpha, and its step is
theta <- (1 - 2 eta lambda) theta - eta * 2 (yhat - y) x. Run with /usr/bin/python3 (scikit-learn 1.2.1); writes
sklearn_sgd.json next to itself.
"""
import json
import os

import numpy as np
from sklearn.linear_model import SGDRegressor

rng = np.random.default_rng(7)
n, p = 60, 4
X = rng.normal(size=(n, p))
y = X @ rng.normal(size=p) + 0.5 + 0.1 * rng.normal(size=n)
alpha, eta0 = 0.01, 0.02
model = SGDRegressor(loss="squared_error", penalty="l2", alpha=alpha, learning_rate="constant", eta0=eta0,
                     shuffle=False, fit_intercept=True, average=False)
model.partial_fit(X, y)
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sklearn_sgd.json")
with open(out, "w") as f:
    json.dump({"n": n, "p": p, "alpha": alpha, "eta0": eta0, "x": X.ravel().tolist(), "y": y.tolist(),
               "coefficients": model.coef_.tolist(), "intercept": float(model.intercept_[0])}, f)
print("wrote", out, model.coef_, model.intercept_)
