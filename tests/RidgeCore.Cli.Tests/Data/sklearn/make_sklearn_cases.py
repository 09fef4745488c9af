"""Generates ridge_data.csv and ridge_expected.json for RidgeCore.Cli.Tests (SklearnAgreementTests).

Run with Debian's python3 (numpy 1.24, scikit-learn 1.2.1):  /usr/bin/python3 make_sklearn_cases.py
Every value in the CSV is written with repr(), so the file holds exactly the doubles scikit-learn was given.

Convention (RidgeCore): minimize (1/Σw) Σ wᵢ (yᵢ − b − xᵢθ)² + λ‖θ‖², so scikit-learn's Ridge gets alpha = λ·Σw
(and the same sample_weight). Standardization (glmnet's convention, RidgeCore's Standardize): the penalty on θⱼ is
λ·sⱼ²·θⱼ² with sⱼ the weighted population standard deviation about the weighted mean; that is Ridge on the columns
xⱼ/sⱼ, whose coefficients are then divided by sⱼ (the intercept is unchanged).
"""
import json
import numpy as np
import sklearn
from sklearn.linear_model import Ridge

rng = np.random.default_rng(20261126)
n, p = 240, 6
scales = np.array([1.0, 10.0, 0.01, 3.0, 250.0, 0.5])
offsets = np.array([0.0, 100.0, -0.3, 5.0, 1000.0, 0.0])
z = rng.standard_normal((n, p))
z[:, 3] = 0.8 * z[:, 0] + 0.6 * z[:, 3]          # some correlation, still well conditioned
X = offsets + scales * z
beta = np.array([[1.5, -0.2, 30.0, 0.7, 0.004, -2.0],
                 [0.0, 0.05, -10.0, 1.0, -0.002, 1.0],
                 [2.0, 0.0, 0.0, -0.5, 0.001, 0.0]])
Y = X @ beta.T + np.array([3.0, -1.0, 0.5]) + rng.standard_normal((n, 3)) * np.array([0.5, 1.0, 0.2])
w = rng.uniform(0.2, 3.0, n)
w[::17] = 0.0                                      # a few rows with zero weight

names = [f"f{j}" for j in range(p)]
targets = ["y1", "y2", "y3"]
with open("ridge_data.csv", "w") as f:
    f.write(",".join(names + targets + ["w"]) + "\n")
    for i in range(n):
        f.write(",".join(repr(float(v)) for v in list(X[i]) + list(Y[i]) + [w[i]]) + "\n")

def fit(lam, weighted, intercept, standardize):
    sw = w if weighted else np.ones(n)
    total = sw.sum()
    Xf = X.copy()
    s = np.ones(p)
    if standardize:
        if intercept:
            mean = (sw[:, None] * X).sum(0) / total
            s = np.sqrt((sw[:, None] * (X - mean) ** 2).sum(0) / total)
        else:
            s = np.sqrt((sw[:, None] * X ** 2).sum(0) / total)
        Xf = X / s
    model = Ridge(alpha=lam * total, fit_intercept=intercept, solver="cholesky", tol=1e-14)
    model.fit(Xf, Y, sample_weight=sw if weighted else None)
    coef = model.coef_ / s
    icpt = np.atleast_1d(model.intercept_) if intercept else np.zeros(3)
    return {"lambda": lam, "weighted": weighted, "intercept": intercept, "standardize": standardize,
            "alpha": lam * total, "intercepts": [float(v) for v in icpt],
            "coefficients": [[float(v) for v in row] for row in coef]}

cases = [
    fit(0.3, True, True, False),
    fit(0.05, False, True, False),
    fit(0.3, True, True, True),
    fit(2.0, True, False, False),
    fit(0.1, False, False, True),
    fit(1e-4, True, True, True),
]
with open("ridge_expected.json", "w") as f:
    json.dump({"generator": "make_sklearn_cases.py", "sklearn": sklearn.__version__, "numpy": np.__version__,
               "features": names, "targets": targets, "weight": "w", "cases": cases}, f, indent=1)
print("wrote", len(cases), "cases")
