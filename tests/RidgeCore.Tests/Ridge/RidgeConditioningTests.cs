using System;
using Xunit;
using Xunit.Abstractions;
using static RidgeCore.Tests.RidgeEstimator.RidgeReference;

namespace RidgeCore.Tests.RidgeEstimator;

/// <summary>Problems the normal equations cannot be trusted with: in memory they fall back to QR, from statistics they
/// refuse with <see cref="IllConditionedException"/>; problems with no unique solution throw
/// <see cref="SingularMatrixException"/> saying why and suggesting λ &gt; 0.</summary>
public class RidgeConditioningTests(ITestOutputHelper output)
{
    /// <summary>A NIST Filip-like problem: 82 points with x from −3.13 to −8.78 and a degree-10 polynomial in raw
    /// powers of x (κ of the equilibrated centered Gram far beyond 10¹²), generated from coefficients near Filip's
    /// certified ones plus a deterministic wiggle.</summary>
    private static (double[] X, double[] Y, double[] Exact) FilipLike()
    {
        double[] b = [-1467.48961422980, -2772.17959193342, -2316.37108160893, -1127.97394098372, -354.478233703349,
            -75.1242017393757, -10.8753180355343, -1.06221498588947, -0.670191154593408E-01, -0.246781078275479E-02,
            -0.402962525080404E-04];
        const int n = 82, q = 11;
        var design = new double[n * q];
        var x = new double[n * (q - 1)];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double t = -3.13 - (5.65 * i / (n - 1));
            double power = 1, value = 0;
            for (int j = 0; j < q; j++)
            {
                design[i * q + j] = power;
                if (j > 0) x[i * (q - 1) + j - 1] = power;
                value += b[j] * power;
                power *= t;
            }

            y[i] = value + 0.003 * Math.Sin(7.0 * i);
        }

        return (x, y, Cholesky.ExactLeastSquares.Solve(design, y, n, q));
    }

    [Fact]
    public void Filip_like_fit_in_memory_falls_back_to_QR_and_keeps_six_digits()
    {
        (double[] x, double[] y, double[] exact) = FilipLike();
        var xv = new MatrixView<double>(x, 82, 10);
        var yv = new MatrixView<double>(y, 82, 1);
        RidgeModel model = Ridge.Fit(xv, yv, new RidgeOptions { Lambda = 0 });
        double[] got = [model.Intercepts[0], .. model.Coefficients];
        double lre = MinLre(got, exact);
        output.WriteLine($"Filip-like: path {model.SolverPath}, kappa(R) estimate {model.ConditionNumber:E2}, min LRE {lre:F2}");
        Assert.Equal(RidgeSolverPath.QR, model.SolverPath);
        Assert.True(lre >= 6.0, $"QR fallback kept {lre:F2} digits");
        Assert.Equal(10, model.EffectiveDegreesOfFreedom[0], 1e-6);
    }

    [Fact]
    public void Filip_like_fit_from_statistics_refuses_with_the_estimate_and_a_remedy()
    {
        (double[] x, double[] y, _) = FilipLike();
        using var acc = new GramAccumulator(10);
        acc.Add(new MatrixView<double>(x, 82, 10), new MatrixView<double>(y, 82, 1));
        var e = Assert.ThrowsAny<IllConditionedException>(() => Ridge.Fit(acc, new RidgeOptions { Lambda = 0 }));
        output.WriteLine(e.Message);
        Assert.True(e.ConditionNumber > 1e12, $"estimate {e.ConditionNumber:E2}");
        Assert.Equal(RidgeOptions.DefaultMaxConditionNumber, e.Limit);
        Assert.Contains("λ > 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("condition estimate", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, e.Target);
    }

    [Fact]
    public void Condition_limit_decides_between_Cholesky_and_the_fallback()
    {
        RidgeNistTests.NistCase c = RidgeNistTests.Load("Longley");
        var xv = new MatrixView<double>(c.X, c.N, c.P);
        var yv = new MatrixView<double>(c.Y, c.N, 1);
        var strict = new RidgeOptions { Lambda = 0, MaxConditionNumber = 1e3 };

        // Longley's equilibrated normal matrix has κ ≈ 2·10⁴: above this limit, but X itself (κ ≈ √ of it) is below.
        RidgeModel model = Ridge.Fit(xv, yv, strict);
        Assert.Equal(RidgeSolverPath.QR, model.SolverPath);
        Assert.True(model.ConditionNumber <= 1e3);
        Assert.True(MinLre([model.Intercepts[0], .. model.Coefficients], c.Certified) >= 9);

        using var acc = new GramAccumulator(c.P);
        acc.Add(xv, yv);
        var e = Assert.Throws<IllConditionedException>(() => Ridge.Fit(acc, strict));
        Assert.Equal(1e3, e.Limit);
        Assert.InRange(e.ConditionNumber, 1e3, 1e6);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Lambda_zero_with_at_least_as_many_features_as_rows_is_singular(bool inMemory)
    {
        Problem pr = RandomProblem(5, 5, 1, seed: 31);
        var options = new RidgeOptions { Lambda = 0 };
        var e = Assert.Throws<SingularMatrixException>(() => Fit(pr, options, inMemory));
        Assert.Equal(-1, e.Feature);
        Assert.Contains("λ > 0", e.Message, StringComparison.Ordinal);

        // Any λ > 0 makes it solvable; so does a fit without an intercept, which has one more row to spare.
        Assert.Equal(5, Fit(pr, new RidgeOptions { Lambda = 1e-3 }, inMemory).Coefficients.Length);
        Assert.Equal(5, Fit(pr, new RidgeOptions { Lambda = 0, FitIntercept = false }, inMemory).Coefficients.Length);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Unpenalized_constant_column_is_singular_unless_standardized(bool inMemory)
    {
        Problem pr = RandomProblem(20, 3, 1, seed: 32);
        for (int i = 0; i < pr.N; i++) pr.X[i * 3 + 1] = 7.25;

        var e = Assert.Throws<SingularMatrixException>(() => Fit(pr, new RidgeOptions { Lambda = 0 }, inMemory));
        Assert.Equal(1, e.Feature);
        Assert.Contains("constant", e.Message, StringComparison.Ordinal);
        Assert.Throws<SingularMatrixException>(() => Fit(pr, new RidgeOptions { Lambda = 1, PenaltyFactors = new[] { 1.0, 0.0, 1.0 } }, inMemory));

        // Standardized: the constant column is dropped (coefficient exactly 0), even at λ = 0.
        foreach (double lambda in new[] { 0.0, 0.5 })
        {
            RidgeModel model = Fit(pr, new RidgeOptions { Lambda = lambda, Standardize = true }, inMemory);
            Assert.Equal(0.0, model.GetCoefficient(1));
            double df = model.EffectiveDegreesOfFreedom[0];
            Assert.True(lambda == 0 ? Math.Abs(df - 2) <= 1e-12 : df is > 0 and < 2, $"df {df} at λ = {lambda}: the dropped column does not count");
        }

        // Penalized (λ > 0, not standardized): solvable, and the coefficient is negligible.
        Assert.True(Math.Abs(Fit(pr, new RidgeOptions { Lambda = 0.5 }, inMemory).GetCoefficient(1)) < 1e-10);
    }

    [Fact]
    public void Too_many_unpenalized_features_for_the_rows_is_singular()
    {
        Problem pr = RandomProblem(4, 6, 1, seed: 33);
        var options = new RidgeOptions { Lambda = 1, PenaltyFactors = new[] { 0.0, 0.0, 0.0, 0.0, 1.0, 1.0 } };
        var e = Assert.Throws<SingularMatrixException>(() => Fit(pr, options, true));
        Assert.Contains("4 unpenalized coefficients", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exactly_collinear_columns_at_lambda_zero_are_refused_in_memory_too()
    {
        Problem pr = RandomProblem(30, 3, 1, seed: 34);
        for (int i = 0; i < pr.N; i++) pr.X[i * 3 + 2] = 2 * pr.X[i * 3] - pr.X[i * 3 + 1];
        var e = Assert.ThrowsAny<IllConditionedException>(() => Fit(pr, new RidgeOptions { Lambda = 0 }, true));
        output.WriteLine(e.Message);
        Assert.Contains("λ > 0", e.Message, StringComparison.Ordinal);
        Assert.Equal(RidgeSolverPath.CholeskyRefined, Fit(pr, new RidgeOptions { Lambda = 1e-6 }, true).SolverPath);
    }

    private static RidgeModel Fit(Problem pr, RidgeOptions options, bool inMemory)
    {
        if (inMemory) return Ridge.Fit(pr.XView, pr.YView, options);
        using var acc = new GramAccumulator(pr.P, pr.T, options.FitIntercept ? GramMode.Centered : GramMode.Uncentered);
        acc.Add(pr.XView, pr.YView);
        return Ridge.Fit(acc, options);
    }
}
