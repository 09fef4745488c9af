using System;
using RidgeCore.Tests.Harness;

namespace RidgeCore.Tests.RidgeEstimator;

/// <summary>
/// The closed form of the ridge problem, written naively and for accuracy: weighted means by compensated sums, the
/// centered (or raw) Gram and right-hand side by Dot2 dot products of the centered columns, the load Σw·λ·fⱼ
/// (λ·fⱼ·Gⱼⱼ when standardizing) added on the diagonal, and Gaussian elimination with partial pivoting per target.
/// Constant columns (standardized fits) are left out, their coefficients 0, as RidgeCore documents.
/// </summary>
public static class RidgeReference
{
    public sealed record Problem(int N, int P, int T, double[] X, double[] Y, double[]? W)
    {
        public MatrixView<double> XView => new(X, N, P);

        public MatrixView<double> YView => new(Y, N, T);
    }

    public sealed record Solution(double[] Theta, double[] Intercepts);

    public static Solution Solve(Problem pr, double[] lambdas, double[]? factors, bool intercept, bool standardize)
    {
        int n = pr.N, p = pr.P, t = pr.T;
        double[] w = pr.W ?? Fill(n, 1.0);
        double wsum = Reference.Sum(w).Value;
        var meanX = new double[p];
        var meanY = new double[t];
        if (intercept)
        {
            for (int j = 0; j < p; j++) meanX[j] = Reference.Dot(w, Column(pr.X, n, p, j)).Value / wsum;
            for (int k = 0; k < t; k++) meanY[k] = Reference.Dot(w, Column(pr.Y, n, t, k)).Value / wsum;
        }

        var xc = new double[p][];
        var yc = new double[t][];
        for (int j = 0; j < p; j++) xc[j] = Weighted(Centered(Column(pr.X, n, p, j), meanX[j]), null);
        for (int k = 0; k < t; k++) yc[k] = Centered(Column(pr.Y, n, t, k), meanY[k]);
        var wx = new double[p][];
        for (int j = 0; j < p; j++) wx[j] = Weighted(xc[j], w);

        var gram = new double[p, p];
        for (int i = 0; i < p; i++)
            for (int j = 0; j < p; j++)
                gram[i, j] = Reference.Dot(wx[i], xc[j]).Value;

        var constant = new bool[p];
        for (int j = 0; j < p; j++)
        {
            double tol = intercept ? 256 * 2.220446049250313e-16 * Math.Abs(meanX[j]) : 0;
            constant[j] = standardize && !(gram[j, j] > wsum * tol * tol);
        }

        var theta = new double[p * t];
        var b = new double[t];
        for (int k = 0; k < t; k++)
        {
            var a = new double[p, p + 1];
            for (int i = 0; i < p; i++)
            {
                for (int j = 0; j < p; j++)
                {
                    a[i, j] = constant[i] || constant[j] ? (i == j ? 1 : 0) : gram[i, j];
                }

                double f = factors?[i] ?? 1.0;
                if (!constant[i]) a[i, i] += lambdas[k] * f * (standardize ? gram[i, i] : wsum);
                a[i, p] = constant[i] ? 0 : Reference.Dot(wx[i], yc[k]).Value;
            }

            double[] sol = Gauss(a, p);
            for (int j = 0; j < p; j++) theta[j * t + k] = sol[j];
            b[k] = intercept ? meanY[k] - Reference.Dot(meanX, sol).Value : 0;
        }

        return new Solution(theta, b);
    }

    /// <summary>Gaussian elimination with partial pivoting on an augmented p × (p + 1) system.</summary>
    public static double[] Gauss(double[,] a, int p)
    {
        for (int c = 0; c < p; c++)
        {
            int pivot = c;
            for (int r = c + 1; r < p; r++) if (Math.Abs(a[r, c]) > Math.Abs(a[pivot, c])) pivot = r;
            if (pivot != c)
                for (int j = 0; j <= p; j++) (a[c, j], a[pivot, j]) = (a[pivot, j], a[c, j]);
            for (int r = c + 1; r < p; r++)
            {
                double f = a[r, c] / a[c, c];
                if (f == 0) continue;
                for (int j = c; j <= p; j++) a[r, j] -= f * a[c, j];
            }
        }

        var x = new double[p];
        for (int r = p - 1; r >= 0; r--)
        {
            double s = a[r, p];
            for (int j = r + 1; j < p; j++) s -= a[r, j] * x[j];
            x[r] = s / a[r, r];
        }

        return x;
    }

    public static Problem RandomProblem(int n, int p, int t, int seed, bool weighted = false, bool zeroWeights = false, double offset = 0)
    {
        var rng = new Random(seed);
        var x = new double[n * p];
        var y = new double[n * t];
        var trueTheta = new double[p * t];
        for (int i = 0; i < trueTheta.Length; i++) trueTheta[i] = rng.NextDouble() * 4 - 2;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < p; j++) x[i * p + j] = offset + (rng.NextDouble() * 2 - 1) * (1 + j % 3);
            for (int k = 0; k < t; k++)
            {
                double v = 0.5 * k + 0.3 * (rng.NextDouble() - 0.5);
                for (int j = 0; j < p; j++) v += x[i * p + j] * trueTheta[j * t + k];
                y[i * t + k] = v;
            }
        }

        double[]? w = null;
        if (weighted)
        {
            w = new double[n];
            for (int i = 0; i < n; i++) w[i] = zeroWeights && i % 4 == 1 ? 0 : 0.25 + rng.NextDouble() * 2;
        }

        return new Problem(n, p, t, x, y, w);
    }

    public static float[] ToSingle(double[] v)
    {
        var f = new float[v.Length];
        for (int i = 0; i < v.Length; i++) f[i] = (float)v[i];
        return f;
    }

    /// <summary>The problem rounded to float and widened back: the exact data a float fit sees.</summary>
    public static Problem RoundedToSingle(Problem pr)
        => new(pr.N, pr.P, pr.T, Reference.Widen(ToSingle(pr.X)), Reference.Widen(ToSingle(pr.Y)), pr.W is null ? null : Reference.Widen(ToSingle(pr.W)));

    /// <summary>max |got − want| / max(1, max |want|).</summary>
    public static double RelativeError(ReadOnlySpan<double> got, ReadOnlySpan<double> want)
    {
        double err = 0, scale = 1;
        for (int i = 0; i < want.Length; i++)
        {
            err = Math.Max(err, Math.Abs(got[i] - want[i]));
            scale = Math.Max(scale, Math.Abs(want[i]));
        }

        return err / scale;
    }

    /// <summary>NIST's log relative error, minimum over the values: about the number of correct significant digits, capped at 15.</summary>
    public static double MinLre(ReadOnlySpan<double> got, ReadOnlySpan<double> certified)
    {
        double worst = 15;
        for (int i = 0; i < got.Length; i++)
        {
            double rel = Math.Abs(got[i] - certified[i]) / Math.Abs(certified[i]);
            worst = Math.Min(worst, rel == 0 ? 15 : Math.Min(15, -Math.Log10(rel)));
        }

        return worst;
    }

    public static double[] Fill(int n, double v)
    {
        var a = new double[n];
        Array.Fill(a, v);
        return a;
    }

    public static double[] Column(double[] m, int n, int cols, int j)
    {
        var c = new double[n];
        for (int i = 0; i < n; i++) c[i] = m[i * cols + j];
        return c;
    }

    private static double[] Centered(double[] v, double mean)
    {
        var c = new double[v.Length];
        for (int i = 0; i < v.Length; i++) c[i] = v[i] - mean;
        return c;
    }

    private static double[] Weighted(double[] v, double[]? w)
    {
        if (w is null) return v;
        var c = new double[v.Length];
        for (int i = 0; i < v.Length; i++) c[i] = v[i] * w[i];
        return c;
    }
}
