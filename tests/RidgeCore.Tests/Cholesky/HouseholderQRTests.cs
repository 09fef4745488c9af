using System;
using Xunit;
using Xunit.Abstractions;
using static RidgeCore.Tests.Cholesky.CholeskyReference;

namespace RidgeCore.Tests.Cholesky;

public class HouseholderQRTests(ITestOutputHelper output)
{
    /// <summary>Log relative error, NIST's accuracy measure: about the number of correct significant digits, capped at 15.</summary>
    private static double MinLre(double[] got, double[] certified)
    {
        double worst = 15;
        for (int i = 0; i < got.Length; i++)
        {
            double rel = Math.Abs(got[i] - certified[i]) / Math.Abs(certified[i]);
            worst = Math.Min(worst, rel == 0 ? 15 : -Math.Log10(rel));
        }

        return worst;
    }

    /// <summary>A NIST Filip-like problem: 82 points with x from −3.13 to −8.78, a degree-10 polynomial in raw powers of
    /// x (κ(X) ≈ 1e15, ≈ 5e9 after column scaling), generated from coefficients near Filip's certified ones plus a
    /// deterministic wiggle.</summary>
    private static (double[] X, double[] Y) FilipLike()
    {
        double[] b = [-1467.48961422980, -2772.17959193342, -2316.37108160893, -1127.97394098372, -354.478233703349,
            -75.1242017393757, -10.8753180355343, -1.06221498588947, -0.670191154593408E-01, -0.246781078275479E-02,
            -0.402962525080404E-04];
        const int n = 82, p = 11;
        var x = new double[n * p];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double t = -3.13 - (5.65 * i / (n - 1));
            double power = 1, value = 0;
            for (int j = 0; j < p; j++)
            {
                x[i * p + j] = power;
                value += b[j] * power;
                power *= t;
            }

            y[i] = value + 0.003 * Math.Sin(7.0 * i);
        }

        return (x, y);
    }

    [Fact]
    public void Filip_like_degree_10_fit_keeps_six_or_more_digits_where_the_normal_equations_cannot_be_trusted()
    {
        (double[] x, double[] y) = FilipLike();
        const int n = 82, p = 11;
        double[] exact = ExactLeastSquares.Solve(x, y, n, p);

        using var qr = new HouseholderQR(n, p);
        qr.Factor(new MatrixView<double>(x, n, p));
        var beta = new double[p];
        qr.SolveLeastSquares(y, beta);
        double lre = MinLre(beta, exact);
        output.WriteLine($"Filip-like: QR min LRE {lre:F2}, kappa1(R) estimate {qr.EstimateConditionNumber():E2}");
        Assert.True(lre >= 6.0, $"QR kept only {lre:F2} digits");
        Assert.True(qr.EstimateConditionNumber() > 1e12);

        // The normal equations either break down or report a condition number near 1/eps: the fallback is detectable.
        var gram = new double[p * p];
        for (int j = 0; j < p; j++)
            for (int k = 0; k < p; k++)
            {
                double s = 0;
                for (int i = 0; i < n; i++) s += x[i * p + j] * x[i * p + k];
                gram[j * p + k] = s;
            }

        using var chol = new CholeskyFactor(p);
        bool factored = chol.TryFactor(new MatrixView<double>(gram, p, p));
        output.WriteLine(factored ? $"normal equations: kappa1 estimate {chol.EstimateConditionNumber():E2}" : $"normal equations: pivot {chol.FailedPivot} failed ({chol.FailedPivotValue:E2})");
        Assert.True(!chol.TryFactor(new MatrixView<double>(gram, p, p)) || chol.EstimateConditionNumber() > 1e14);
    }

    [Fact]
    public void Longley_matches_the_certified_values_to_nine_digits()
    {
        double[,] data =
        {
            { 83.0, 234289, 2356, 1590, 107608, 1947, 60323 }, { 88.5, 259426, 2325, 1456, 108632, 1948, 61122 },
            { 88.2, 258054, 3682, 1616, 109773, 1949, 60171 }, { 89.5, 284599, 3351, 1650, 110929, 1950, 61187 },
            { 96.2, 328975, 2099, 3099, 112075, 1951, 63221 }, { 98.1, 346999, 1932, 3594, 113270, 1952, 63639 },
            { 99.0, 365385, 1870, 3547, 115094, 1953, 64989 }, { 100.0, 363112, 3578, 3350, 116219, 1954, 63761 },
            { 101.2, 397469, 2904, 3048, 117388, 1955, 66019 }, { 104.6, 419180, 2822, 2857, 118734, 1956, 67857 },
            { 108.4, 442769, 2936, 2798, 120445, 1957, 68169 }, { 110.8, 444546, 4681, 2637, 121950, 1958, 66513 },
            { 112.6, 482704, 3813, 2552, 123366, 1959, 68655 }, { 114.2, 502601, 3931, 2514, 125368, 1960, 69564 },
            { 115.7, 518173, 4806, 2572, 127852, 1961, 69331 }, { 116.9, 554894, 4007, 2827, 130081, 1962, 70551 },
        };
        double[] certified = [-3482258.63459582, 15.0618722713733, -0.358191792925910E-01, -2.02022980381683,
            -1.03322686717359, -0.511041056535807E-01, 1829.15146461355];
        const int n = 16, p = 7;
        var x = new double[n * p];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i * p] = 1;
            for (int j = 0; j < 6; j++) x[i * p + j + 1] = data[i, j];
            y[i] = data[i, 6];
        }

        using var qr = new HouseholderQR(n, p);
        qr.Factor(new MatrixView<double>(x, n, p));
        var beta = new double[p];
        double rss = qr.SolveLeastSquares(y, beta);
        output.WriteLine($"Longley: QR min LRE {MinLre(beta, certified):F2}, RSS {rss:R}");
        Assert.True(MinLre(beta, certified) >= 9.0, $"LRE {MinLre(beta, certified):F2}");
        Assert.Equal(836424.055505915, rss, 1e-6 * 836424.0);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(50, 7)]
    [InlineData(300, 40)]
    public void Well_conditioned_least_squares_matches_the_normal_equations(int n, int p)
    {
        double[] x = RandomVector(n * p, seed: n + p);
        double[] y = RandomVector(n, seed: 3);
        using var qr = new HouseholderQR(n, p);
        qr.Factor(new MatrixView<double>(x, n, p));
        var beta = new double[p];
        double rss = qr.SolveLeastSquares(y, beta);

        double[] expected = NormalEquations(x, y, n, p, Fill(p, 0));
        for (int j = 0; j < p; j++) Assert.True(Math.Abs(beta[j] - expected[j]) <= 1e-10 * Math.Max(1, MaxAbs(expected)));
        double direct = 0;
        for (int i = 0; i < n; i++)
        {
            double r = y[i];
            for (int j = 0; j < p; j++) r -= x[i * p + j] * beta[j];
            direct += r * r;
        }

        Assert.Equal(direct, rss, 1e-10 * Math.Max(1, direct));
    }

    [Theory]
    [InlineData(40, 6)]
    [InlineData(5, 12)]
    public void Load_gives_the_ridge_solution_even_with_fewer_rows_than_columns(int n, int p)
    {
        double[] x = RandomVector(n * p, seed: 9);
        double[] y = RandomVector(n, seed: 10);
        double[] d = RandomVector(p, seed: 11);
        for (int j = 0; j < p; j++) d[j] = Math.Abs(d[j]) + 0.1;
        using var qr = new HouseholderQR(n, p);

        qr.Factor(new MatrixView<double>(x, n, p), 0.3);
        var beta = new double[p];
        double objective = qr.SolveLeastSquares(y, beta);
        double[] expected = NormalEquations(x, y, n, p, Fill(p, 0.3));
        for (int j = 0; j < p; j++) Assert.True(Math.Abs(beta[j] - expected[j]) <= 1e-10 * Math.Max(1, MaxAbs(expected)));
        double direct = 0;
        for (int i = 0; i < n; i++)
        {
            double r = y[i];
            for (int j = 0; j < p; j++) r -= x[i * p + j] * beta[j];
            direct += r * r;
        }

        for (int j = 0; j < p; j++) direct += 0.3 * beta[j] * beta[j];
        Assert.Equal(direct, objective, 1e-10 * Math.Max(1, direct));

        qr.Factor(new MatrixView<double>(x, n, p), d);
        qr.SolveLeastSquares(y, beta);
        expected = NormalEquations(x, y, n, p, d);
        for (int j = 0; j < p; j++) Assert.True(Math.Abs(beta[j] - expected[j]) <= 1e-10 * Math.Max(1, MaxAbs(expected)));
    }

    [Fact]
    public void Zero_column_is_rank_deficiency_named_by_its_index()
    {
        const int n = 20, p = 5;
        double[] x = RandomVector(n * p, seed: 1);
        for (int i = 0; i < n; i++) x[i * p + 3] = 0;
        using var qr = new HouseholderQR(n, p);
        qr.Factor(new MatrixView<double>(x, n, p));
        Assert.Equal(double.PositiveInfinity, qr.EstimateConditionNumber());
        var e = Assert.Throws<NotPositiveDefiniteException>(() => qr.SolveLeastSquares(new double[n], new double[p]));
        Assert.Equal(3, e.Pivot);

        // With a load the problem is well posed again.
        qr.Factor(new MatrixView<double>(x, n, p), 1e-2);
        var beta = new double[p];
        qr.SolveLeastSquares(RandomVector(n, seed: 2), beta);
        Assert.Equal(0.0, beta[3]);
    }

    [Fact]
    public void Bad_input_names_the_argument_and_index()
    {
        const int n = 6, p = 3;
        double[] x = RandomVector(n * p, seed: 4);
        using var qr = new HouseholderQR(n, p);
        Assert.Throws<InvalidOperationException>(() => qr.SolveLeastSquares(new double[n], new double[p]));
        Assert.Equal("matrix", Assert.Throws<ArgumentException>(() => qr.Factor(new MatrixView<double>(x, p, n))).ParamName);
        x[4 * p + 2] = double.NaN;
        var e = Assert.Throws<InvalidValueException>(() => qr.Factor(new MatrixView<double>(x, n, p)));
        Assert.Equal((4L, 2), (e.Row, e.Column));
        x[4 * p + 2] = 1;
        var load = new double[p];
        load[1] = -1;
        e = Assert.Throws<InvalidValueException>(() => qr.Factor(new MatrixView<double>(x, n, p), load));
        Assert.Equal(("diagonalLoad", 1L), (e.ParamName, e.Row));
        qr.Factor(new MatrixView<double>(x, n, p));
        var target = new double[n];
        target[5] = double.PositiveInfinity;
        e = Assert.Throws<InvalidValueException>(() => qr.SolveLeastSquares(target, new double[p]));
        Assert.Equal(("target", 5L), (e.ParamName, e.Row));
        Assert.Equal("coefficients", Assert.Throws<ArgumentException>(() => qr.SolveLeastSquares(new double[n], new double[p + 1])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new HouseholderQR(0, 3));
    }

    [Fact]
    public void Refactoring_and_solving_allocate_nothing()
    {
        const int n = 100, p = 10;
        double[] x = RandomVector(n * p, seed: 5);
        double[] y = RandomVector(n, seed: 6);
        var beta = new double[p];
        using var qr = new HouseholderQR(n, p);
        void Work()
        {
            qr.Factor(new MatrixView<double>(x, n, p), 0.1);
            qr.SolveLeastSquares(y, beta);
            _ = qr.EstimateConditionNumber();
        }

        RidgeCore.Tests.Harness.AllocationAssert.None(Work);
    }

    private static double[] NormalEquations(double[] x, double[] y, int n, int p, double[] load)
    {
        var g = new double[p * p];
        var r = new double[p];
        for (int j = 0; j < p; j++)
        {
            for (int k = 0; k < p; k++)
            {
                double s = 0;
                for (int i = 0; i < n; i++) s += x[i * p + j] * x[i * p + k];
                g[j * p + k] = s;
            }

            double t = 0;
            for (int i = 0; i < n; i++) t += x[i * p + j] * y[i];
            r[j] = t;
        }

        double[] l = Factor(g, p, load)!;
        return Backward(l, p, Forward(l, p, r));
    }
}
