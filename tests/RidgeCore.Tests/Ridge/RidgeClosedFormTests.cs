using System;
using Xunit;
using static RidgeCore.Tests.RidgeEstimator.RidgeReference;

namespace RidgeCore.Tests.RidgeEstimator;

/// <summary>Ridge fits equal the naive closed form on random problems: every combination of intercept and
/// standardization, weights (some zero), several targets with their own λ, penalty factors (one zero), p &gt; n, float
/// and double, in memory and from statistics.</summary>
public class RidgeClosedFormTests
{
    public static TheoryData<int, int, int, bool, bool, bool, int> Cases => new()
    {
        // n, p, t, intercept, standardize, weighted, seed
        { 40, 5, 1, true, false, false, 1 },
        { 40, 5, 2, false, false, true, 2 },
        { 60, 9, 3, true, true, true, 3 },
        { 30, 7, 2, false, true, false, 4 },
        { 12, 30, 2, true, false, true, 5 },   // p > n
        { 9, 17, 1, false, true, true, 6 },    // p > n, no intercept
        { 300, 33, 2, true, true, false, 7 },  // across the kernel block edges
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void In_memory_double_fit_matches_the_closed_form(int n, int p, int t, bool intercept, bool standardize, bool weighted, int seed)
    {
        Problem pr = RandomProblem(n, p, t, seed, weighted, zeroWeights: weighted);
        (RidgeOptions options, double[] lambdas, double[] factors) = Options(p, t, intercept, standardize, seed);
        Solution want = Solve(pr, lambdas, factors, intercept, standardize);

        foreach (bool refine in new[] { true, false })
        {
            options.Refine = refine;
            RidgeModel model = pr.W is null ? Ridge.Fit(pr.XView, pr.YView, options) : Ridge.Fit(pr.XView, pr.YView, options, pr.W);
            double tol = refine ? 1e-13 : 1e-10;
            Assert.True(RelativeError(model.Coefficients, want.Theta) <= tol, $"refine={refine}: coefficients off by {RelativeError(model.Coefficients, want.Theta):E2}");
            Assert.True(RelativeError(model.Intercepts, want.Intercepts) <= tol, $"refine={refine}: intercepts off by {RelativeError(model.Intercepts, want.Intercepts):E2}");
            Assert.Equal(refine ? RidgeSolverPath.CholeskyRefined : RidgeSolverPath.Cholesky, model.SolverPath);
            Assert.Equal(lambdas, model.Lambdas.ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float_fit_matches_the_closed_form_of_its_float_data(int n, int p, int t, bool intercept, bool standardize, bool weighted, int seed)
    {
        Problem pr = RoundedToSingle(RandomProblem(n, p, t, seed, weighted, zeroWeights: weighted));
        (RidgeOptions options, double[] lambdas, double[] factors) = Options(p, t, intercept, standardize, seed);
        Solution want = Solve(pr, lambdas, factors, intercept, standardize);
        var x = new MatrixView<float>(ToSingle(pr.X), n, p);
        var y = new MatrixView<float>(ToSingle(pr.Y), n, t);

        // Refined from the widened data: double accuracy although the Gram was accumulated in float.
        RidgeModel refined = pr.W is null ? Ridge.Fit(x, y, options) : Ridge.Fit(x, y, options, ToSingle(pr.W));
        Assert.True(RelativeError(refined.Coefficients, want.Theta) <= 1e-12, $"refined: {RelativeError(refined.Coefficients, want.Theta):E2}");
        Assert.True(RelativeError(refined.Intercepts, want.Intercepts) <= 1e-12);

        options.Refine = false;
        RidgeModel plain = pr.W is null ? Ridge.Fit(x, y, options) : Ridge.Fit(x, y, options, ToSingle(pr.W));
        Assert.True(RelativeError(plain.Coefficients, want.Theta) <= 2e-4, $"unrefined: {RelativeError(plain.Coefficients, want.Theta):E2}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fit_from_statistics_matches_the_closed_form(int n, int p, int t, bool intercept, bool standardize, bool weighted, int seed)
    {
        Problem pr = RandomProblem(n, p, t, seed, weighted, zeroWeights: weighted);
        (RidgeOptions options, double[] lambdas, double[] factors) = Options(p, t, intercept, standardize, seed);
        Solution want = Solve(pr, lambdas, factors, intercept, standardize);

        // A centered accumulator serves both kinds of fit; an uncentered one only fits without an intercept.
        foreach (GramMode mode in intercept ? new[] { GramMode.Centered } : new[] { GramMode.Centered, GramMode.Uncentered })
        {
            using var acc = new GramAccumulator(p, t, mode);
            if (pr.W is null) acc.Add(pr.XView, pr.YView);
            else acc.Add(pr.XView, pr.YView, pr.W);
            RidgeModel model = Ridge.Fit(acc, options);
            Assert.True(RelativeError(model.Coefficients, want.Theta) <= 1e-10, $"{mode}: {RelativeError(model.Coefficients, want.Theta):E2}");
            Assert.True(RelativeError(model.Intercepts, want.Intercepts) <= 1e-10);
            Assert.Equal(RidgeSolverPath.Cholesky, model.SolverPath);
            Assert.Equal(n, model.RowCount);
        }
    }

    [Fact]
    public void Targets_sharing_a_lambda_give_the_same_answer_as_separate_fits()
    {
        Problem pr = RandomProblem(50, 6, 3, seed: 11);
        var options = new RidgeOptions { TargetLambdas = new[] { 0.5, 0.01, 0.5 } };
        RidgeModel joint = Ridge.Fit(pr.XView, pr.YView, options);
        for (int k = 0; k < 3; k++)
        {
            var yk = new MatrixView<double>(Column(pr.Y, pr.N, 3, k), pr.N, 1);
            RidgeModel single = Ridge.Fit(pr.XView, yk, new RidgeOptions { Lambda = options.TargetLambdas.Span[k] });
            for (int j = 0; j < 6; j++) Assert.Equal(single.GetCoefficient(j), joint.GetCoefficient(j, k), 1e-13);
            Assert.Equal(single.Intercepts[0], joint.Intercepts[k], 1e-12);
        }
    }

    /// <summary>Options with one λ per target (the first target also λ = 0 when it is identifiable) and penalty
    /// factors with a zero (an unpenalized feature).</summary>
    private static (RidgeOptions, double[], double[]) Options(int p, int t, bool intercept, bool standardize, int seed)
    {
        var lambdas = new double[t];
        for (int k = 0; k < t; k++) lambdas[k] = 0.05 * (k + 1) * (1 + seed % 3);
        var factors = new double[p];
        for (int j = 0; j < p; j++) factors[j] = j == 1 ? 0 : 0.5 + j % 3;
        var options = new RidgeOptions
        {
            FitIntercept = intercept,
            Standardize = standardize,
            TargetLambdas = lambdas,
            PenaltyFactors = factors,
        };
        return (options, lambdas, factors);
    }
}
