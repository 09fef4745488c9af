using System;
using System.Collections.Generic;
using Xunit;

namespace RidgeCore.Tests.Selection;

/// <summary>
/// Leave-one-out from the batched closed form equals brute force: refit without row i (the penalty load held at the
/// full data's value, as documented) and predict row i, to 1e-9 relative, across weights, intercept, standardization,
/// penalty factors, several targets, and p &gt; n.
/// </summary>
public class LeaveOneOutTests
{
    private static readonly double[] Grid = [1e-4, 3e-3, 0.02, 0.1, 0.7, 5];

    public static IEnumerable<object[]> Cases()
    {
        foreach (bool weighted in new[] { false, true })
            foreach (bool intercept in new[] { true, false })
                foreach (bool standardize in new[] { false, true })
                    yield return new object[] { weighted, intercept, standardize };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Efficient_leave_one_out_equals_refitting_without_each_row(bool weighted, bool intercept, bool standardize)
    {
        var problem = SelectionProblem.Random(n: 37, p: 6, t: 2, seed: (weighted ? 1 : 0) + (intercept ? 2 : 0) + (standardize ? 4 : 0), weighted);
        var options = new RidgeOptions { FitIntercept = intercept, Standardize = standardize };
        RidgeSearchResult result = RidgeCV.LeaveOneOut(problem.XView, problem.YView, Grid, options, problem.W ?? []);
        Assert.Equal(RidgeSearchMethod.LeaveOneOut, result.Method);
        for (int l = 0; l < Grid.Length; l++)
        {
            double[] expected = problem.BruteForceLeaveOneOut(Grid[l], intercept, standardize, null);
            for (int q = 0; q < problem.T; q++)
                AssertRelative(expected[q], result.GetScore(l, q), 1e-9, $"λ={Grid[l]}, target {q}");
        }
    }

    [Fact]
    public void Penalty_factors_and_more_features_than_rows()
    {
        var problem = SelectionProblem.Random(n: 14, p: 20, t: 1, seed: 9, weighted: true);
        double[] factors = new double[20];
        for (int j = 0; j < 20; j++) factors[j] = 0.25 + (j % 4);
        var options = new RidgeOptions { PenaltyFactors = factors };
        RidgeSearchResult result = RidgeCV.LeaveOneOut(problem.XView, problem.YView, Grid, options, problem.W);
        for (int l = 0; l < Grid.Length; l++)
        {
            double expected = problem.BruteForceLeaveOneOut(Grid[l], true, false, factors)[0];
            AssertRelative(expected, result.GetScore(l), 1e-9, $"λ={Grid[l]}");
        }
    }

    [Fact]
    public void Rows_beyond_one_block_and_odd_shapes()
    {
        // 301 rows: two full blocks of 128 and a ragged one; p = 3 is below every register width.
        var problem = SelectionProblem.Random(n: 301, p: 3, t: 1, seed: 21, weighted: false);
        var options = new RidgeOptions();
        double[] grid = [0.01, 1];
        RidgeSearchResult result = RidgeCV.LeaveOneOut(problem.XView, problem.YView, grid, options);
        for (int l = 0; l < grid.Length; l++)
            AssertRelative(problem.BruteForceLeaveOneOut(grid[l], true, false, null)[0], result.GetScore(l), 1e-9, $"λ={grid[l]}");
    }

    [Fact]
    public void Each_target_picks_its_own_lambda_and_the_model_is_refitted_there()
    {
        var problem = SelectionProblem.Random(n: 60, p: 5, t: 3, seed: 4, weighted: false, noise: 2);
        double[] grid = [1e-4, 1e-3, 1e-2, 0.05, 0.2, 1, 4];
        RidgeSearchResult result = RidgeCV.LeaveOneOut(problem.XView, problem.YView, grid, new RidgeOptions());
        for (int q = 0; q < 3; q++)
        {
            int best = 0;
            for (int l = 1; l < grid.Length; l++) if (result.GetScore(l, q) < result.GetScore(best, q)) best = l;
            Assert.Equal(best, result.BestIndices[q]);
            Assert.Equal(grid[best], result.BestLambdas[q]);
            Assert.True(result.OneStandardErrorLambdas[q] >= result.BestLambdas[q]);
            int oneSe = Array.IndexOf(grid, result.OneStandardErrorLambdas[q]);
            Assert.True(result.GetScore(oneSe, q) <= result.GetScore(best, q) + result.StandardErrors[(best * 3) + q]);
        }

        RidgeModel model = result.Model;
        Assert.Equal(result.BestLambdas.ToArray(), model.Lambdas.ToArray());
        RidgeModel direct = Ridge.Fit(problem.XView, problem.YView, new RidgeOptions { TargetLambdas = result.BestLambdas.ToArray() });
        for (int i = 0; i < model.Coefficients.Length; i++)
            AssertRelative(direct.Coefficients[i], model.Coefficients[i], 1e-9, $"θ[{i}]");
        Assert.Equal(grid.Length, result.DegreesOfFreedom.Length);
        Assert.Equal(grid.Length, result.Trace.Lambdas.Length);
    }

    [Fact]
    public void Standard_error_is_that_of_the_mean_of_the_squared_loo_residuals()
    {
        var problem = SelectionProblem.Random(n: 30, p: 4, t: 1, seed: 12, weighted: false);
        double lambda = 0.05;
        RidgeSearchResult result = RidgeCV.LeaveOneOut(problem.XView, problem.YView, [lambda], new RidgeOptions());
        double[] load = problem.Loads(lambda, true, false, null);
        var losses = new double[30];
        var use = new bool[30];
        for (int i = 0; i < 30; i++)
        {
            Array.Fill(use, true);
            use[i] = false;
            var (theta, b) = problem.Solve(use, true, load);
            double r = problem.Y[i] - problem.Predict(i, 0, theta, b);
            losses[i] = r * r;
        }

        double mean = 0, variance = 0;
        foreach (double l in losses) mean += l / 30;
        foreach (double l in losses) variance += (l - mean) * (l - mean) / 29;
        AssertRelative(Math.Sqrt(variance / 30), result.StandardErrors[0], 1e-8, "SE");
    }

    [Fact]
    public void Float_input_agrees_with_double_input_to_float_precision()
    {
        var problem = SelectionProblem.Random(n: 80, p: 5, t: 1, seed: 31, weighted: true, offset: 1);
        float[] xf = Array.ConvertAll(problem.X, v => (float)v), yf = Array.ConvertAll(problem.Y, v => (float)v), wf = Array.ConvertAll(problem.W!, v => (float)v);
        double[] xd = Array.ConvertAll(xf, v => (double)v), yd = Array.ConvertAll(yf, v => (double)v), wd = Array.ConvertAll(wf, v => (double)v);
        double[] grid = [1e-3, 0.1, 2];
        RidgeSearchResult single = RidgeCV.LeaveOneOut(new MatrixView<float>(xf, 80, 5), new MatrixView<float>(yf, 80, 1), grid, new RidgeOptions(), wf);
        RidgeSearchResult dbl = RidgeCV.LeaveOneOut(new MatrixView<double>(xd, 80, 5), new MatrixView<double>(yd, 80, 1), grid, new RidgeOptions(), wd);
        for (int l = 0; l < grid.Length; l++)
            AssertRelative(dbl.GetScore(l), single.GetScore(l), 1e-4, $"λ={grid[l]}");
    }

    [Fact]
    public void Empty_grid_means_the_default_grid()
    {
        var problem = SelectionProblem.Random(n: 50, p: 8, t: 1, seed: 2, weighted: false);
        RidgeSearchResult result = RidgeCV.LeaveOneOut(problem.XView, problem.YView, [], new RidgeOptions());
        Assert.Equal(RidgeCV.DefaultGridSize, result.Lambdas.Length);
        Assert.Equal(RidgeCV.DefaultLambdaGrid(problem.XView, new RidgeOptions()), result.Lambdas.ToArray());
    }

    internal static void AssertRelative(double expected, double actual, double tolerance, string what)
    {
        double scale = Math.Max(Math.Abs(expected), 1e-300);
        Assert.True(Math.Abs(expected - actual) <= tolerance * scale, $"{what}: expected {expected:R}, got {actual:R} (relative error {Math.Abs(expected - actual) / scale:E2})");
    }
}

/// <summary>Views whose rows are padded (row stride above the column count) give the same results as compact ones.</summary>
public class SelectionStrideTests
{
    [Fact]
    public void Strided_views_match_compact_ones()
    {
        var problem = SelectionProblem.Random(n: 150, p: 5, t: 2, seed: 77, weighted: true);
        var xs = new double[150 * 9];
        var ys = new double[150 * 3];
        for (int i = 0; i < 150; i++)
        {
            Array.Copy(problem.X, i * 5, xs, i * 9, 5);
            Array.Copy(problem.Y, i * 2, ys, i * 3, 2);
            xs[(i * 9) + 7] = double.NaN; // padding is never read
        }

        var xv = new MatrixView<double>(xs, 150, 5, 9);
        var yv = new MatrixView<double>(ys, 150, 2, 3);
        double[] grid = [0.01, 0.3];
        Assert.Equal(
            RidgeCV.LeaveOneOut(problem.XView, problem.YView, grid, new RidgeOptions(), problem.W).Scores.ToArray(),
            RidgeCV.LeaveOneOut(xv, yv, grid, new RidgeOptions(), problem.W).Scores.ToArray());
        Assert.Equal(
            RidgeCV.KFold(problem.XView, problem.YView, grid, new RidgeOptions(), 3, 5, problem.W).Scores.ToArray(),
            RidgeCV.KFold(xv, yv, grid, new RidgeOptions(), 3, 5, problem.W).Scores.ToArray());
    }
}
