using System;
using Xunit;
using static RidgeCore.Tests.RidgeEstimator.RidgeReference;

namespace RidgeCore.Tests.RidgeEstimator;

/// <summary>What a model says about itself (R², df, λ, n, Σw, paths) against naive computations, the QR path against
/// the Cholesky path, and a solver that is reused across fits.</summary>
public class RidgeDiagnosticsTests
{
    [Theory]
    [InlineData(true, false, false)]
    [InlineData(false, true, true)]
    [InlineData(true, true, true)]
    public void RSquared_and_degrees_of_freedom_match_naive_formulas(bool intercept, bool standardize, bool weighted)
    {
        Problem pr = RandomProblem(40, 6, 2, seed: 61, weighted: weighted, zeroWeights: weighted);
        double[] w = pr.W ?? Fill(pr.N, 1.0);
        var options = new RidgeOptions { TargetLambdas = new[] { 0.02, 0.7 }, FitIntercept = intercept, Standardize = standardize };
        RidgeModel model = Ridge.Fit(pr.XView, pr.YView, options, w);
        var predictions = new double[pr.N * 2];
        model.Predict(pr.XView, predictions);

        double wsum = Harness.Reference.Sum(w).Value;
        for (int k = 0; k < 2; k++)
        {
            double[] yk = Column(pr.Y, pr.N, 2, k);
            double mean = intercept ? Harness.Reference.Dot(w, yk).Value / wsum : 0;
            double rss = 0, tss = 0;
            for (int i = 0; i < pr.N; i++)
            {
                rss += w[i] * Math.Pow(yk[i] - predictions[i * 2 + k], 2);
                tss += w[i] * Math.Pow(yk[i] - mean, 2);
            }

            Assert.Equal(1 - rss / tss, model.RSquared[k], 1e-12);
            Assert.Equal(NaiveDegreesOfFreedom(pr, w, options.TargetLambdas.Span[k], intercept, standardize), model.EffectiveDegreesOfFreedom[k], 1e-11);
        }

        Assert.Equal(40, model.RowCount);
        Assert.Equal(wsum, model.WeightSum, 1e-12);
        Assert.Equal(intercept, model.FitIntercept);
        Assert.Equal(standardize, model.Standardized);
        Assert.Equal(new[] { 0.02, 0.7 }, model.Lambdas.ToArray());
        Assert.True(model.EffectiveDegreesOfFreedom[1] < model.EffectiveDegreesOfFreedom[0]);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void QR_path_solves_the_same_problem_as_Cholesky(bool intercept, bool standardize)
    {
        Problem pr = RandomProblem(25, 8, 2, seed: 62, weighted: true, zeroWeights: true);
        var options = new RidgeOptions
        {
            TargetLambdas = new[] { 0.05, 0.0 },
            PenaltyFactors = new[] { 1.0, 0.0, 2, 1, 1, 1, 1, 1 },
            FitIntercept = intercept,
            Standardize = standardize,
        };
        RidgeModel cholesky = Ridge.Fit(pr.XView, pr.YView, options, pr.W);
        options.MaxConditionNumber = 1; // nothing passes: every group falls back
        options.Refine = false;
        var e = Assert.ThrowsAny<IllConditionedException>(() => Ridge.Fit(pr.XView, pr.YView, options, pr.W));
        Assert.Equal(1, e.Limit);

        // Just below the smaller Cholesky estimate: every group falls back, and QR (whose estimate is about the square
        // root) passes.
        options.MaxConditionNumber = 0.5 * Math.Min(cholesky.ConditionNumbers[0], cholesky.ConditionNumbers[1]);
        options.Refine = true;
        RidgeModel viaQr = Ridge.Fit(pr.XView, pr.YView, options, pr.W);
        Assert.Equal(new[] { RidgeSolverPath.QR, RidgeSolverPath.QR }, viaQr.SolverPaths.ToArray());
        Assert.True(RelativeError(viaQr.Coefficients, cholesky.Coefficients) <= 1e-11, $"{RelativeError(viaQr.Coefficients, cholesky.Coefficients):E2}");
        Assert.True(RelativeError(viaQr.Intercepts, cholesky.Intercepts) <= 1e-11);
        for (int k = 0; k < 2; k++)
        {
            Assert.Equal(cholesky.EffectiveDegreesOfFreedom[k], viaQr.EffectiveDegreesOfFreedom[k], 1e-10);
            Assert.Equal(cholesky.RSquared[k], viaQr.RSquared[k], 1e-12);
        }
    }

    [Fact]
    public void Solver_reuse_gives_the_same_results_as_fresh_fits_and_models_are_snapshots()
    {
        Problem a = RandomProblem(30, 5, 1, seed: 63);
        Problem b = RandomProblem(50, 5, 1, seed: 64, weighted: true);
        using var solver = new RidgeSolver(5);
        solver.Fit(a.XView, a.YView, new RidgeOptions { Lambda = 0.1 });
        RidgeModel first = solver.ToModel();
        solver.Fit(b.XView, b.YView, new RidgeOptions { Lambda = 0.3, FitIntercept = false, Standardize = true }, b.W);
        RidgeModel second = solver.ToModel();
        solver.Fit(a.XView, a.YView, new RidgeOptions { Lambda = 0.1 });

        Assert.Equal(first.Coefficients.ToArray(), solver.Coefficients.ToArray());
        Assert.Equal(first.Intercepts.ToArray(), solver.Intercepts.ToArray());
        RidgeModel fresh = Ridge.Fit(b.XView, b.YView, new RidgeOptions { Lambda = 0.3, FitIntercept = false, Standardize = true }, b.W);
        Assert.Equal(fresh.Coefficients.ToArray(), second.Coefficients.ToArray());
        Assert.Equal(0.0, second.Intercepts[0]);
        Assert.Equal(first.Coefficients.ToArray(), solver.ToModel().Coefficients.ToArray());
    }

    [Fact]
    public void Thread_count_and_chunking_do_not_change_a_refined_fit()
    {
        // 20 000 rows: one thread feeds the accumulator in 8 192-row chunks, two threads take its striped path.
        Problem pr = RandomProblem(20_000, 5, 2, seed: 66, weighted: true, offset: 100);
        RidgeModel one = Ridge.Fit(pr.XView, pr.YView, new RidgeOptions { Lambda = 1e-4 }, pr.W);
        RidgeModel two = Ridge.Fit(pr.XView, pr.YView, new RidgeOptions { Lambda = 1e-4, DegreeOfParallelism = 2 }, pr.W);
        Assert.True(RelativeError(one.Coefficients, two.Coefficients) <= 1e-15, $"{RelativeError(one.Coefficients, two.Coefficients):E2}");
        Assert.True(RelativeError(one.Intercepts, two.Intercepts) <= 1e-15);
        Solution want = Solve(pr, [1e-4, 1e-4], null, intercept: true, standardize: false);
        Assert.True(RelativeError(one.Coefficients, want.Theta) <= 1e-13, $"{RelativeError(one.Coefficients, want.Theta):E2}");
    }

    [Fact]
    public void Float_predictions_follow_the_double_ones()
    {
        Problem pr = RandomProblem(40, 7, 2, seed: 65);
        RidgeModel model = Ridge.Fit(pr.XView, pr.YView, new RidgeOptions { Lambda = 0.1 });
        var d = new double[80];
        var f = new float[80];
        model.Predict(pr.XView, d);
        model.Predict(new MatrixView<float>(ToSingle(pr.X), 40, 7), f);
        for (int i = 0; i < 80; i++) Assert.Equal(d[i], f[i], 1e-4 * Math.Max(1, Math.Abs(d[i])));
    }

    /// <summary>df = tr((G + D)⁻¹G) by p naive solves (Gaussian elimination), G centered (raw without an intercept).</summary>
    internal static double NaiveDegreesOfFreedom(Problem pr, double[] w, double lambda, bool intercept, bool standardize)
    {
        int n = pr.N, p = pr.P;
        double wsum = Harness.Reference.Sum(w).Value;
        var mean = new double[p];
        if (intercept)
            for (int j = 0; j < p; j++) mean[j] = Harness.Reference.Dot(w, Column(pr.X, n, p, j)).Value / wsum;
        var g = new double[p, p];
        for (int i = 0; i < p; i++)
            for (int j = 0; j < p; j++)
            {
                double s = 0;
                for (int r = 0; r < n; r++) s += w[r] * (pr.X[r * p + i] - mean[i]) * (pr.X[r * p + j] - mean[j]);
                g[i, j] = s;
            }

        double trace = 0;
        for (int c = 0; c < p; c++)
        {
            var a = new double[p, p + 1];
            for (int i = 0; i < p; i++)
            {
                for (int j = 0; j < p; j++) a[i, j] = g[i, j];
                a[i, i] += lambda * (standardize ? g[i, i] : wsum);
                a[i, p] = g[i, c];
            }

            trace += Gauss(a, p)[c];
        }

        return trace;
    }
}
