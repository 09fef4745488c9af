using System;

namespace RidgeCore.Tests.Iterative;

/// <summary>
/// Naive L2 logistic regression: plain Newton on the full (p + 1)-dimensional objective
/// (1/Σw)Σ wᵢℓᵢ + λ‖θ‖² (intercept last and unpenalized), the Hessian formed entry by entry and solved by Gaussian
/// elimination with partial pivoting, with step halving while the objective does not decrease. Slow and obvious.
/// </summary>
public static class LogisticReference
{
    public static (double[] Theta, double Intercept) Fit(double[] x, double[] y, double[]? w, int n, int p, double lambda, bool intercept, int iterations = 60)
    {
        int q = intercept ? p + 1 : p;
        var beta = new double[q];
        double f = Objective(x, y, w, n, p, lambda, beta, intercept);
        for (int it = 0; it < iterations; it++)
        {
            double[] g = Gradient(x, y, w, n, p, lambda, beta, intercept);
            var h = new double[q, q + 1];
            double wsum = 0;
            for (int i = 0; i < n; i++)
            {
                double wi = w?[i] ?? 1;
                wsum += wi;
                double m = Margin(x, i, p, beta, intercept);
                double pr = 1 / (1 + Math.Exp(-m));
                double s = wi * pr * (1 - pr);
                for (int a = 0; a < q; a++)
                {
                    double xa = a < p ? x[(i * p) + a] : 1;
                    for (int b = 0; b < q; b++)
                    {
                        double xb = b < p ? x[(i * p) + b] : 1;
                        h[a, b] += s * xa * xb;
                    }
                }
            }

            for (int a = 0; a < q; a++)
            {
                for (int b = 0; b < q; b++)
                {
                    h[a, b] /= wsum;
                }

                if (a < p)
                {
                    h[a, a] += 2 * lambda;
                }

                h[a, q] = -g[a];
            }

            double[] d = Solve(h, q);
            double t = 1;
            for (int k = 0; k < 60; k++, t /= 2)
            {
                var trial = new double[q];
                for (int a = 0; a < q; a++)
                {
                    trial[a] = beta[a] + (t * d[a]);
                }

                double ft = Objective(x, y, w, n, p, lambda, trial, intercept);
                if (ft <= f)
                {
                    beta = trial;
                    f = ft;
                    break;
                }
            }
        }

        var theta = new double[p];
        Array.Copy(beta, theta, p);
        return (theta, intercept ? beta[p] : 0);
    }

    /// <summary>The gradient of the objective (θ then b), with compensated sums.</summary>
    public static double[] Gradient(double[] x, double[] y, double[]? w, int n, int p, double lambda, double[] beta, bool intercept)
    {
        int q = intercept ? p + 1 : p;
        var sums = new Neumaier[q];
        var wsum = default(Neumaier);
        for (int i = 0; i < n; i++)
        {
            double wi = w?[i] ?? 1;
            wsum.Add(wi);
            double m = Margin(x, i, p, beta, intercept);
            double r = wi * ((1 / (1 + Math.Exp(-m))) - y[i]);
            for (int a = 0; a < q; a++)
            {
                sums[a].Add(r * (a < p ? x[(i * p) + a] : 1));
            }
        }

        var g = new double[q];
        for (int a = 0; a < q; a++)
        {
            g[a] = (sums[a].Value / wsum.Value) + (a < p ? 2 * lambda * beta[a] : 0);
        }

        return g;
    }

    public static double Objective(double[] x, double[] y, double[]? w, int n, int p, double lambda, double[] beta, bool intercept)
    {
        double sum = 0, wsum = 0;
        for (int i = 0; i < n; i++)
        {
            double wi = w?[i] ?? 1;
            double m = Margin(x, i, p, beta, intercept);
            sum += wi * (Math.Log(1 + Math.Exp(-Math.Abs(m))) + Math.Max(m, 0) - (y[i] * m));
            wsum += wi;
        }

        double pen = 0;
        for (int j = 0; j < p; j++)
        {
            pen += beta[j] * beta[j];
        }

        return (sum / wsum) + (lambda * pen);
    }

    private static double Margin(double[] x, int i, int p, double[] beta, bool intercept)
    {
        double m = intercept ? beta[p] : 0;
        for (int j = 0; j < p; j++)
        {
            m += x[(i * p) + j] * beta[j];
        }

        return m;
    }

    private static double[] Solve(double[,] a, int q)
    {
        for (int c = 0; c < q; c++)
        {
            int piv = c;
            for (int r = c + 1; r < q; r++)
            {
                if (Math.Abs(a[r, c]) > Math.Abs(a[piv, c]))
                {
                    piv = r;
                }
            }

            for (int k = 0; k <= q; k++)
            {
                (a[c, k], a[piv, k]) = (a[piv, k], a[c, k]);
            }

            for (int r = c + 1; r < q; r++)
            {
                double f = a[r, c] / a[c, c];
                for (int k = c; k <= q; k++)
                {
                    a[r, k] -= f * a[c, k];
                }
            }
        }

        var d = new double[q];
        for (int r = q - 1; r >= 0; r--)
        {
            double s = a[r, q];
            for (int k = r + 1; k < q; k++)
            {
                s -= a[r, k] * d[k];
            }

            d[r] = s / a[r, r];
        }

        return d;
    }

    private struct Neumaier
    {
        private double _sum;
        private double _c;

        public readonly double Value => _sum + _c;

        public void Add(double v)
        {
            double t = _sum + v;
            _c += Math.Abs(_sum) >= Math.Abs(v) ? (_sum - t) + v : (v - t) + _sum;
            _sum = t;
        }
    }
}
