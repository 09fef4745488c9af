using System;
using Xunit;

namespace RidgeCore.Tests.Selection;

/// <summary>Bad input throws typed exceptions that name the argument (and index), before any work.</summary>
public class RidgeCVBadInputTests
{
    private static readonly SelectionProblem Problem = SelectionProblem.Random(n: 20, p: 3, t: 1, seed: 1, weighted: false);

    [Theory]
    [InlineData(0.0, 1)]
    [InlineData(-1.0, 0)]
    [InlineData(double.NaN, 2)]
    [InlineData(double.PositiveInfinity, 1)]
    public void Non_positive_or_non_finite_lambdas(double bad, int at)
    {
        double[] grid = [0.1, 0.2, 0.3];
        grid[at] = bad;
        foreach (Func<RidgeSearchResult> run in new Func<RidgeSearchResult>[]
        {
            () => RidgeCV.LeaveOneOut(Problem.XView, Problem.YView, grid, new RidgeOptions()),
            () => RidgeCV.Gcv(Problem.XView, Problem.YView, grid, new RidgeOptions()),
            () => RidgeCV.KFold(Problem.XView, Problem.YView, grid, new RidgeOptions(), 3, 0),
        })
        {
            var e = Assert.Throws<InvalidValueException>(() => run());
            Assert.Equal("lambdas", e.ParamName);
            Assert.Equal(at, e.Row);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(21)]
    public void Fold_count_out_of_range(int folds)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => RidgeCV.KFold(Problem.XView, Problem.YView, [0.1], new RidgeOptions(), folds, 0));
        Assert.Equal("folds", e.ParamName);
    }

    [Fact]
    public void Fold_ids_out_of_range_wrong_length_or_folds_without_rows()
    {
        int[] ids = new int[20];
        for (int i = 0; i < 20; i++) ids[i] = i % 3;
        ids[7] = -1;
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => RidgeCV.KFold(Problem.XView, Problem.YView, [0.1], new RidgeOptions(), ids));
        Assert.Equal("foldIds", negative.ParamName);
        Assert.Contains("foldIds[7]", negative.Message, StringComparison.Ordinal);

        ids[7] = 0;
        Assert.Throws<ArgumentException>(() => RidgeCV.KFold(Problem.XView, Problem.YView, [0.1], new RidgeOptions(), ids.AsSpan(0, 19)));

        int[] gap = new int[20];
        for (int i = 0; i < 20; i++) gap[i] = i % 2 == 0 ? 0 : 2; // fold 1 is empty
        var empty = Assert.Throws<ArgumentException>(() => RidgeCV.KFold(Problem.XView, Problem.YView, [0.1], new RidgeOptions(), gap));
        Assert.Equal("foldIds", empty.ParamName);
        Assert.Contains("Fold 1", empty.Message, StringComparison.Ordinal);

        int[] single = new int[20];
        Assert.Throws<ArgumentOutOfRangeException>(() => RidgeCV.KFold(Problem.XView, Problem.YView, [0.1], new RidgeOptions(), single));

        double[] weights = new double[20];
        Array.Fill(weights, 1.0);
        for (int i = 0; i < 20; i++) if (ids[i] == 2) weights[i] = 0;
        var weightless = Assert.Throws<ArgumentException>(() => RidgeCV.KFold(Problem.XView, Problem.YView, [0.1], new RidgeOptions(), ids, weights));
        Assert.Contains("Fold 2", weightless.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shapes_weights_values_and_penalty_factors()
    {
        Assert.Throws<ArgumentException>(() => RidgeCV.LeaveOneOut(Problem.XView, new MatrixView<double>(new double[19], 19, 1), [0.1], new RidgeOptions()));
        Assert.Throws<ArgumentException>(() => RidgeCV.LeaveOneOut(Problem.XView, Problem.YView, [0.1], new RidgeOptions(), new double[5]));
        var w = new double[20];
        w[4] = -1;
        var negative = Assert.Throws<InvalidValueException>(() => RidgeCV.LeaveOneOut(Problem.XView, Problem.YView, [0.1], new RidgeOptions(), w));
        Assert.Equal(4, negative.Row);
        Assert.Throws<ArgumentException>(() => RidgeCV.LeaveOneOut(Problem.XView, Problem.YView, [0.1], new RidgeOptions(), new double[20]));

        double[] x = (double[])Problem.X.Clone();
        x[(5 * 3) + 2] = double.NaN;
        var nan = Assert.Throws<InvalidValueException>(() => RidgeCV.LeaveOneOut(new MatrixView<double>(x, 20, 3), Problem.YView, [0.1], new RidgeOptions()));
        Assert.Equal(5, nan.Row);
        Assert.Equal(2, nan.Column);

        Assert.Throws<NotSupportedException>(() => RidgeCV.LeaveOneOut(Problem.XView, Problem.YView, [0.1], new RidgeOptions { PenaltyFactors = new double[] { 1, 0, 1 } }));
        var badFactor = Assert.Throws<InvalidValueException>(() => RidgeCV.Gcv(Problem.XView, Problem.YView, [0.1], new RidgeOptions { PenaltyFactors = new double[] { 1, -2, 1 } }));
        Assert.Equal(1, badFactor.Row);
        Assert.Throws<ArgumentException>(() => RidgeCV.Gcv(Problem.XView, Problem.YView, [0.1], new RidgeOptions { PenaltyFactors = new double[] { 1, 1 } }));

        using var uncentered = new GramAccumulator(3, 1, GramMode.Uncentered);
        uncentered.Add(Problem.XView, Problem.YView);
        Assert.Throws<ArgumentException>(() => RidgeCV.Gcv(uncentered, [0.1], new RidgeOptions()));
        using var empty = new GramAccumulator(3);
        Assert.Throws<ArgumentException>(() => RidgeCV.DefaultLambdaGrid(empty, new RidgeOptions()));
        Assert.Throws<ArgumentException>(() => RidgeCV.DefaultLambdaGrid(new MatrixView<double>(new double[12], 4, 3), new RidgeOptions()));
        Assert.Throws<ArgumentOutOfRangeException>(() => RidgeCV.DefaultLambdaGrid(Stats(), new RidgeOptions(), 0));
        Assert.Throws<ArgumentException>(() => RidgeCV.LeaveOneOut(new MatrixView<double>(new double[3], 1, 3), new MatrixView<double>(new double[1], 1, 1), [0.1], new RidgeOptions()));
    }

    private static GramAccumulator Stats()
    {
        var stats = new GramAccumulator(3);
        stats.Add(Problem.XView, Problem.YView);
        return stats;
    }
}
