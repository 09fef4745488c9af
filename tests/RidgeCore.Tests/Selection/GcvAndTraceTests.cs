using System;
using Xunit;

namespace RidgeCore.Tests.Selection;

/// <summary>GCV and df against the hat matrix built explicitly for small n; the trace and the default grid against
/// their definitions.</summary>
public class GcvAndTraceTests
{
    [Theory]
    [InlineData(false, true, false)]
    [InlineData(true, true, false)]
    [InlineData(true, false, false)]
    [InlineData(false, true, true)]
    public void Gcv_and_df_match_the_hat_matrix(bool weighted, bool intercept, bool standardize)
    {
        var problem = SelectionProblem.Random(n: 23, p: 5, t: 2, seed: 70, weighted, noise: 2);
        double[] grid = [1e-3, 0.03, 0.4, 3];
        var options = new RidgeOptions { FitIntercept = intercept, Standardize = standardize };
        RidgeSearchResult result = RidgeCV.Gcv(problem.XView, problem.YView, grid, options, problem.W ?? []);
        int n = problem.N, p = problem.P, m = 0;
        for (int i = 0; i < n; i++) m += problem.Weight(i) > 0 ? 1 : 0;
        double sw = problem.WeightSum();
        for (int l = 0; l < grid.Length; l++)
        {
            // h_ii = w_i/Σw (intercept) + w_i x̃_iᵀ (G + D)⁻¹ x̃_i: columns of (G + D)⁻¹ from the reference solver with unit
            // right-hand sides are not exposed, so form the quadratic forms via solves on e_j.
            double[] load = problem.Loads(grid[l], intercept, standardize, null);
            double[,] inverse = Inverse(problem, intercept, load, out double[] mean);
            double trace = 0;
            for (int i = 0; i < n; i++)
            {
                double wi = problem.Weight(i), quad = 0;
                for (int a = 0; a < p; a++)
                    for (int b = 0; b < p; b++)
                        quad += (problem.X[(i * p) + a] - mean[a]) * inverse[a, b] * (problem.X[(i * p) + b] - mean[b]);
                trace += (intercept ? wi / sw : 0) + (wi * quad);
            }

            LeaveOneOutTests.AssertRelative(trace - (intercept ? 1 : 0), result.DegreesOfFreedom[l], 1e-10, $"df at λ={grid[l]}");
            var (theta, bias) = problem.Solve(null, intercept, load);
            for (int q = 0; q < problem.T; q++)
            {
                double rss = 0;
                for (int i = 0; i < n; i++)
                {
                    double r = problem.Y[(i * problem.T) + q] - problem.Predict(i, q, theta, bias);
                    rss += problem.Weight(i) * r * r;
                }

                double expected = rss / sw / Math.Pow(1 - (trace / m), 2);
                LeaveOneOutTests.AssertRelative(expected, result.GetScore(l, q), 1e-9, $"GCV at λ={grid[l]}, target {q}");
                Assert.True(double.IsNaN(result.StandardErrors[(l * problem.T) + q]));
            }
        }

        Assert.Equal(result.BestLambdas.ToArray(), result.OneStandardErrorLambdas.ToArray());
    }

    [Fact]
    public void Gcv_from_statistics_equals_gcv_from_data()
    {
        var problem = SelectionProblem.Random(n: 90, p: 6, t: 1, seed: 3, weighted: false);
        double[] grid = [1e-3, 0.1, 1];
        using var stats = new GramAccumulator(6);
        stats.Add(problem.XView, problem.YView);
        RidgeSearchResult fromStats = RidgeCV.Gcv(stats, grid, new RidgeOptions());
        RidgeSearchResult fromData = RidgeCV.Gcv(problem.XView, problem.YView, grid, new RidgeOptions());
        Assert.Equal(fromData.Scores.ToArray(), fromStats.Scores.ToArray());
        Assert.Equal(RidgeSearchMethod.GeneralizedCrossValidation, fromStats.Method);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void Trace_equals_a_fit_from_statistics_at_every_lambda(bool intercept, bool standardize)
    {
        var problem = SelectionProblem.Random(n: 120, p: 7, t: 2, seed: 15, weighted: true);
        using var stats = new GramAccumulator(7, 2);
        stats.Add(problem.XView, problem.YView, problem.W!);
        var options = new RidgeOptions { FitIntercept = intercept, Standardize = standardize };
        double[] grid = RidgeCV.DefaultLambdaGrid(stats, options, 9);
        RidgeTrace trace = RidgeTrace.Compute(stats, grid, options);
        for (int l = 0; l < grid.Length; l++)
        {
            RidgeModel model = Ridge.Fit(stats, new RidgeOptions { Lambda = grid[l], FitIntercept = intercept, Standardize = standardize });
            ReadOnlySpan<double> block = trace.GetCoefficients(l);
            for (int i = 0; i < block.Length; i++)
                LeaveOneOutTests.AssertRelative(model.Coefficients[i], block[i], 1e-9, $"θ[{i}] at λ={grid[l]}");
            for (int q = 0; q < 2; q++)
                Assert.Equal(model.Intercepts[q], trace.Intercepts[(l * 2) + q], 1e-9 * (1 + Math.Abs(model.Intercepts[q])));
            LeaveOneOutTests.AssertRelative(model.EffectiveDegreesOfFreedom[0], trace.DegreesOfFreedom[l], 1e-9, $"df at λ={grid[l]}");
        }
    }

    [Theory]
    [InlineData(200, 12, true)]
    [InlineData(8, 30, true)]
    [InlineData(50, 5, false)]
    public void Default_grid_spans_one_to_ninety_nine_percent_of_the_degrees_of_freedom(int n, int p, bool intercept)
    {
        var problem = SelectionProblem.Random(n, p, 1, seed: n + p, weighted: false);
        var options = new RidgeOptions { FitIntercept = intercept };
        double[] grid = RidgeCV.DefaultLambdaGrid(problem.XView, options);
        Assert.Equal(50, grid.Length);
        for (int i = 1; i < grid.Length; i++)
        {
            Assert.True(grid[i] < grid[i - 1]);
            Assert.Equal(Math.Log(grid[1] / grid[0]), Math.Log(grid[i] / grid[i - 1]), 1e-9);
        }

        RidgeTrace trace = RidgeTrace.Compute(Stats(problem), grid, options);
        double high = 0.99 * Math.Min(intercept ? n - 1 : n, p);
        Assert.Equal(0.01 * p, trace.DegreesOfFreedom[0], 1e-6 * p);
        Assert.Equal(high, trace.DegreesOfFreedom[^1], 1e-6 * p);
    }

    private static GramAccumulator Stats(SelectionProblem problem)
    {
        var stats = new GramAccumulator(problem.P, problem.T);
        stats.Add(problem.XView, problem.YView);
        return stats;
    }

    private static double[,] Inverse(SelectionProblem problem, bool intercept, double[] load, out double[] mean)
    {
        int p = problem.P;
        mean = new double[p];
        double sw = problem.WeightSum();
        if (intercept)
            for (int i = 0; i < problem.N; i++)
                for (int j = 0; j < p; j++)
                    mean[j] += problem.Weight(i) * problem.X[(i * p) + j] / sw;
        var a = new double[p, 2 * p];
        for (int i = 0; i < problem.N; i++)
            for (int j = 0; j < p; j++)
                for (int k = 0; k < p; k++)
                    a[j, k] += problem.Weight(i) * (problem.X[(i * p) + j] - mean[j]) * (problem.X[(i * p) + k] - mean[k]);
        for (int j = 0; j < p; j++) { a[j, j] += load[j]; a[j, p + j] = 1; }
        for (int c = 0; c < p; c++)
        {
            int pivot = c;
            for (int r = c + 1; r < p; r++) if (Math.Abs(a[r, c]) > Math.Abs(a[pivot, c])) pivot = r;
            for (int k = 0; k < 2 * p; k++) (a[c, k], a[pivot, k]) = (a[pivot, k], a[c, k]);
            double d = a[c, c];
            for (int k = 0; k < 2 * p; k++) a[c, k] /= d;
            for (int r = 0; r < p; r++)
            {
                if (r == c) continue;
                double f = a[r, c];
                for (int k = 0; k < 2 * p; k++) a[r, k] -= f * a[c, k];
            }
        }

        var inverse = new double[p, p];
        for (int j = 0; j < p; j++) for (int k = 0; k < p; k++) inverse[j, k] = a[j, p + k];
        return inverse;
    }
}
