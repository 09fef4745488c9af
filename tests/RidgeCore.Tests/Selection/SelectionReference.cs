using System;

namespace RidgeCore.Tests.Selection;

/// <summary>A small dense ridge problem, and the obviously-correct brute-force answers the λ search must reproduce.</summary>
public sealed record SelectionProblem(int N, int P, int T, double[] X, double[] Y, double[]? W)
{
    public MatrixView<double> XView => new(X, N, P);

    public MatrixView<double> YView => new(Y, N, T);

    public double Weight(int i) => W is null ? 1.0 : W[i];

    /// <summary>Random data with column offsets and spreads, a sparse true β, noise, optionally weights (one of them 0).</summary>
    public static SelectionProblem Random(int n, int p, int t, int seed, bool weighted, double noise = 1.0, double offset = 5.0)
    {
        var random = new Random(seed);
        var x = new double[n * p];
        var spread = new double[p];
        var shift = new double[p];
        for (int j = 0; j < p; j++)
        {
            spread[j] = 0.5 + (2.5 * random.NextDouble());
            shift[j] = offset * ((2 * random.NextDouble()) - 1);
        }

        for (int i = 0; i < n; i++)
            for (int j = 0; j < p; j++)
                x[(i * p) + j] = shift[j] + (spread[j] * Gaussian(random));
        var beta = new double[p * t];
        for (int k = 0; k < beta.Length; k++)
            beta[k] = random.NextDouble() < 0.6 ? Gaussian(random) : 0;
        var y = new double[n * t];
        for (int i = 0; i < n; i++)
            for (int q = 0; q < t; q++)
            {
                double s = 1.5;
                for (int j = 0; j < p; j++) s += x[(i * p) + j] * beta[(j * t) + q];
                y[(i * t) + q] = s + (noise * Gaussian(random));
            }

        double[]? w = null;
        if (weighted)
        {
            w = new double[n];
            for (int i = 0; i < n; i++) w[i] = 0.2 + (2.8 * random.NextDouble());
            w[n / 2] = 0;
        }

        return new SelectionProblem(n, p, t, x, y, w);
    }

    private static double Gaussian(Random random)
        => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Weighted (or raw) Gram diagonal over the used rows, for the standardized loads.</summary>
    public double[] GramDiagonal(bool intercept)
    {
        var mean = Means(intercept, null, out _).X;
        var d = new double[P];
        for (int i = 0; i < N; i++)
            for (int j = 0; j < P; j++)
            {
                double c = X[(i * P) + j] - mean[j];
                d[j] += Weight(i) * c * c;
            }

        return d;
    }

    public double WeightSum(bool[]? use = null)
    {
        double s = 0;
        for (int i = 0; i < N; i++) if (use is null || use[i]) s += Weight(i);
        return s;
    }

    private (double[] X, double[] Y) Means(bool intercept, bool[]? use, out double sw)
    {
        sw = WeightSum(use);
        var mx = new double[P];
        var my = new double[T];
        if (!intercept) return (mx, my);
        for (int i = 0; i < N; i++)
        {
            if (use is not null && !use[i]) continue;
            for (int j = 0; j < P; j++) mx[j] += Weight(i) * X[(i * P) + j] / sw;
            for (int q = 0; q < T; q++) my[q] += Weight(i) * Y[(i * T) + q] / sw;
        }

        return (mx, my);
    }

    /// <summary>θ (p × t) and b minimizing Σ_used wᵢ(yᵢ − b − xᵢθ)² + Σⱼ loadⱼθⱼ², by Gaussian elimination with partial
    /// pivoting on the centered normal equations.</summary>
    public (double[] Theta, double[] B) Solve(bool[]? use, bool intercept, double[] load)
    {
        var (mx, my) = Means(intercept, use, out _);
        int p = P, t = T;
        var a = new double[p, p];
        var c = new double[p, t];
        for (int i = 0; i < N; i++)
        {
            if (use is not null && !use[i]) continue;
            double wi = Weight(i);
            for (int j = 0; j < p; j++)
            {
                double xj = X[(i * p) + j] - mx[j];
                for (int k = 0; k < p; k++) a[j, k] += wi * xj * (X[(i * p) + k] - mx[k]);
                for (int q = 0; q < t; q++) c[j, q] += wi * xj * (Y[(i * t) + q] - my[q]);
            }
        }

        for (int j = 0; j < p; j++) a[j, j] += load[j];
        double[] theta = GaussSolve(a, c, p, t);
        var b = new double[t];
        for (int q = 0; q < t; q++)
        {
            b[q] = my[q];
            for (int j = 0; j < p; j++) b[q] -= mx[j] * theta[(j * t) + q];
        }

        return (theta, b);
    }

    public double Predict(int row, int target, double[] theta, double[] b)
    {
        double s = b[target];
        for (int j = 0; j < P; j++) s += X[(row * P) + j] * theta[(j * T) + target];
        return s;
    }

    /// <summary>The full-data penalty loads of λ (Σw·λ·fⱼ, or λ·fⱼ·Gⱼⱼ standardized).</summary>
    public double[] Loads(double lambda, bool intercept, bool standardize, double[]? factors)
    {
        var load = new double[P];
        double[] diag = GramDiagonal(intercept);
        double sw = WeightSum();
        for (int j = 0; j < P; j++)
        {
            double f = factors?[j] ?? 1.0;
            load[j] = standardize ? lambda * f * diag[j] : sw * lambda * f;
        }

        return load;
    }

    /// <summary>Brute-force leave-one-out MSE per target: refit without row i at the full data's loads, predict row i.</summary>
    public double[] BruteForceLeaveOneOut(double lambda, bool intercept, bool standardize, double[]? factors)
    {
        double[] load = Loads(lambda, intercept, standardize, factors);
        var sse = new double[T];
        var use = new bool[N];
        for (int i = 0; i < N; i++)
        {
            Array.Fill(use, true);
            use[i] = false;
            var (theta, b) = Solve(use, intercept, load);
            for (int q = 0; q < T; q++)
            {
                double r = Y[(i * T) + q] - Predict(i, q, theta, b);
                sse[q] += Weight(i) * r * r;
            }
        }

        double sw = WeightSum();
        for (int q = 0; q < T; q++) sse[q] /= sw;
        return sse;
    }

    internal static double[] GaussSolve(double[,] a, double[,] c, int p, int t)
    {
        var m = (double[,])a.Clone();
        var r = (double[,])c.Clone();
        for (int col = 0; col < p; col++)
        {
            int pivot = col;
            for (int i = col + 1; i < p; i++) if (Math.Abs(m[i, col]) > Math.Abs(m[pivot, col])) pivot = i;
            for (int k = 0; k < p; k++) (m[col, k], m[pivot, k]) = (m[pivot, k], m[col, k]);
            for (int q = 0; q < t; q++) (r[col, q], r[pivot, q]) = (r[pivot, q], r[col, q]);
            for (int i = col + 1; i < p; i++)
            {
                double f = m[i, col] / m[col, col];
                for (int k = col; k < p; k++) m[i, k] -= f * m[col, k];
                for (int q = 0; q < t; q++) r[i, q] -= f * r[col, q];
            }
        }

        var x = new double[p * t];
        for (int q = 0; q < t; q++)
            for (int i = p - 1; i >= 0; i--)
            {
                double s = r[i, q];
                for (int k = i + 1; k < p; k++) s -= m[i, k] * x[(k * t) + q];
                x[(i * t) + q] = s / m[i, i];
            }

        return x;
    }
}
