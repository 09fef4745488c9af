using System;
using Xunit;

namespace RidgeCore.Tests.Selection;

/// <summary>k-fold scores from merged per-fold statistics equal brute-force refits (Ridge.Fit on the training rows,
/// errors computed on the held-out rows) to 1e-9 relative.</summary>
public class KFoldTests
{
    private static readonly double[] Grid = [1e-3, 0.01, 0.1, 1];

    [Theory]
    [InlineData(false, true, false)]
    [InlineData(true, true, false)]
    [InlineData(true, false, false)]
    [InlineData(false, true, true)]
    [InlineData(true, true, true)]
    [InlineData(false, false, true)]
    public void Fold_scores_equal_brute_force_refits(bool weighted, bool intercept, bool standardize)
    {
        var problem = SelectionProblem.Random(n: 700, p: 5, t: 2, seed: 40 + (weighted ? 1 : 0), weighted, noise: 1.5);
        var options = new RidgeOptions { FitIntercept = intercept, Standardize = standardize };
        int folds = 4;
        int[] ids = new int[problem.N];
        var random = new Random(5);
        for (int i = 0; i < ids.Length; i++) ids[i] = i < folds ? i : random.Next(folds);

        RidgeSearchResult result = RidgeCV.KFold(problem.XView, problem.YView, Grid, options, ids, problem.W ?? []);
        Assert.Equal(folds, result.Folds);
        int count = Grid.Length, t = problem.T;
        for (int f = 0; f < folds; f++)
        {
            var (xs, ys, ws, xh, yh, wh, nh) = Split(problem, ids, f);
            for (int l = 0; l < count; l++)
            {
                var fitOptions = new RidgeOptions { Lambda = Grid[l], FitIntercept = intercept, Standardize = standardize };
                RidgeModel model = Ridge.Fit(new MatrixView<double>(xs, problem.N - nh, problem.P), new MatrixView<double>(ys, problem.N - nh, t), fitOptions, ws);
                var predictions = new double[nh * t];
                model.Predict(new MatrixView<double>(xh, nh, problem.P), predictions);
                for (int q = 0; q < t; q++)
                {
                    double sse = 0, sw = 0, mean = 0;
                    for (int i = 0; i < nh; i++) { sw += wh[i]; mean += wh[i] * yh[(i * t) + q]; }
                    mean /= sw;
                    double tss = 0;
                    for (int i = 0; i < nh; i++)
                    {
                        double r = yh[(i * t) + q] - predictions[(i * t) + q];
                        sse += wh[i] * r * r;
                        tss += wh[i] * (yh[(i * t) + q] - mean) * (yh[(i * t) + q] - mean);
                    }

                    int at = (((f * count) + l) * t) + q;
                    LeaveOneOutTests.AssertRelative(sse / sw, result.FoldScores[at], 1e-9, $"fold {f}, λ={Grid[l]}, target {q}");
                    LeaveOneOutTests.AssertRelative(1 - (sse / tss), result.FoldRSquared[at], 1e-9, $"R² fold {f}, λ={Grid[l]}, target {q}");
                }
            }
        }
    }

    [Fact]
    public void Score_is_the_fold_weighted_mean_and_the_error_glmnets()
    {
        var problem = SelectionProblem.Random(n: 203, p: 4, t: 1, seed: 8, weighted: false);
        RidgeSearchResult result = RidgeCV.KFold(problem.XView, problem.YView, Grid, new RidgeOptions(), folds: 5, seed: 3);
        int[] sizes = new int[5];
        int[] ids = SeededIds(problem.N, 5, 3);
        foreach (int id in ids) sizes[id]++;
        for (int l = 0; l < Grid.Length; l++)
        {
            double mean = 0;
            for (int f = 0; f < 5; f++) mean += sizes[f] * result.FoldScores[(f * Grid.Length) + l] / problem.N;
            double variance = 0;
            for (int f = 0; f < 5; f++) variance += sizes[f] * Math.Pow(result.FoldScores[(f * Grid.Length) + l] - mean, 2) / problem.N;
            LeaveOneOutTests.AssertRelative(mean, result.GetScore(l), 1e-12, "mean");
            LeaveOneOutTests.AssertRelative(Math.Sqrt(variance / 4), result.StandardErrors[l], 1e-9, "SE");
        }
    }

    [Fact]
    public void Seeded_folds_are_deterministic_balanced_and_seed_dependent()
    {
        var problem = SelectionProblem.Random(n: 103, p: 3, t: 1, seed: 1, weighted: false);
        RidgeSearchResult a = RidgeCV.KFold(problem.XView, problem.YView, Grid, new RidgeOptions(), folds: 5, seed: 11);
        RidgeSearchResult b = RidgeCV.KFold(problem.XView, problem.YView, Grid, new RidgeOptions(), folds: 5, seed: 11);
        RidgeSearchResult c = RidgeCV.KFold(problem.XView, problem.YView, Grid, new RidgeOptions(), folds: 5, seed: 12);
        Assert.Equal(a.FoldScores.ToArray(), b.FoldScores.ToArray());
        Assert.NotEqual(a.FoldScores.ToArray(), c.FoldScores.ToArray());
        int[] sizes = new int[5];
        foreach (int id in SeededIds(103, 5, 11)) sizes[id]++;
        Assert.All(sizes, s => Assert.InRange(s, 20, 21));

        // The seeded run equals the same folds given explicitly.
        RidgeSearchResult explicitIds = RidgeCV.KFold(problem.XView, problem.YView, Grid, new RidgeOptions(), SeededIds(103, 5, 11));
        Assert.Equal(a.FoldScores.ToArray(), explicitIds.FoldScores.ToArray());
    }

    [Fact]
    public void Float_folds_agree_with_double_folds_to_float_precision()
    {
        var problem = SelectionProblem.Random(n: 300, p: 4, t: 1, seed: 6, weighted: false, offset: 1);
        float[] xf = Array.ConvertAll(problem.X, v => (float)v), yf = Array.ConvertAll(problem.Y, v => (float)v);
        double[] xd = Array.ConvertAll(xf, v => (double)v), yd = Array.ConvertAll(yf, v => (double)v);
        RidgeSearchResult single = RidgeCV.KFold(new MatrixView<float>(xf, 300, 4), new MatrixView<float>(yf, 300, 1), Grid, new RidgeOptions(), 3, 1);
        RidgeSearchResult dbl = RidgeCV.KFold(new MatrixView<double>(xd, 300, 4), new MatrixView<double>(yd, 300, 1), Grid, new RidgeOptions(), 3, 1);
        for (int l = 0; l < Grid.Length; l++)
            LeaveOneOutTests.AssertRelative(dbl.GetScore(l), single.GetScore(l), 1e-4, $"λ={Grid[l]}");
    }

    /// <summary>The seeded assignment RidgeCV uses (internal; the test project sees internals).</summary>
    private static int[] SeededIds(int n, int folds, int seed) => RidgeCore.Selection.RidgeSelection.AssignFolds(n, folds, seed);

    private static (double[] Xs, double[] Ys, double[] Ws, double[] Xh, double[] Yh, double[] Wh, int Nh) Split(SelectionProblem problem, int[] ids, int fold)
    {
        int p = problem.P, t = problem.T, nh = 0;
        foreach (int id in ids) nh += id == fold ? 1 : 0;
        int ns = problem.N - nh;
        var xs = new double[ns * p];
        var ys = new double[ns * t];
        var ws = new double[ns];
        var xh = new double[nh * p];
        var yh = new double[nh * t];
        var wh = new double[nh];
        for (int i = 0, a = 0, b = 0; i < problem.N; i++)
        {
            if (ids[i] == fold)
            {
                Array.Copy(problem.X, i * p, xh, b * p, p);
                Array.Copy(problem.Y, i * t, yh, b * t, t);
                wh[b++] = problem.Weight(i);
            }
            else
            {
                Array.Copy(problem.X, i * p, xs, a * p, p);
                Array.Copy(problem.Y, i * t, ys, a * t, t);
                ws[a++] = problem.Weight(i);
            }
        }

        return (xs, ys, ws, xh, yh, wh, nh);
    }
}

/// <summary>The fold pass with long runs of one fold (straight from X) and short ones (gathered), and its error rows.</summary>
public class KFoldPassTests
{
    [Fact]
    public void Contiguous_and_interleaved_folds_give_the_same_statistics_as_any_other_order()
    {
        // Fold ids in long runs (added straight from X) and alternating (gathered): the fold scores must not depend
        // on which path a row took, only on which fold it is in.
        var problem = SelectionProblem.Random(n: 400, p: 4, t: 1, seed: 19, weighted: true);
        int[] runs = new int[400], alternating = new int[400];
        for (int i = 0; i < 400; i++) { runs[i] = i / 100; alternating[i] = i % 4; }
        double[] grid = [0.01, 0.5];
        RidgeSearchResult a = RidgeCV.KFold(problem.XView, problem.YView, grid, new RidgeOptions(), runs, problem.W);

        // The same partition, reached by permuting the rows so the folds interleave.
        int[] order = new int[400];
        for (int i = 0; i < 400; i++) order[i] = ((i % 4) * 100) + (i / 4);
        var x = new double[400 * 4]; var y = new double[400]; var w = new double[400];
        for (int i = 0; i < 400; i++)
        {
            Array.Copy(problem.X, order[i] * 4, x, i * 4, 4);
            y[i] = problem.Y[order[i]];
            w[i] = problem.W![order[i]];
        }

        RidgeSearchResult b = RidgeCV.KFold(new MatrixView<double>(x, 400, 4), new MatrixView<double>(y, 400, 1), grid, new RidgeOptions(), alternating, w);
        for (int i = 0; i < a.FoldScores.Length; i++)
            LeaveOneOutTests.AssertRelative(a.FoldScores[i], b.FoldScores[i], 1e-11, $"fold score {i}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_bad_value_is_reported_at_its_row_in_the_callers_matrix(bool contiguous)
    {
        var problem = SelectionProblem.Random(n: 300, p: 3, t: 1, seed: 2, weighted: false);
        double[] x = (double[])problem.X.Clone();
        x[(217 * 3) + 1] = double.NaN;
        int[] ids = new int[300];
        for (int i = 0; i < 300; i++) ids[i] = contiguous ? i / 100 : i % 3;
        var e = Assert.Throws<InvalidValueException>(() => RidgeCV.KFold(new MatrixView<double>(x, 300, 3), problem.YView, [0.1], new RidgeOptions(), ids));
        Assert.Equal(217, e.Row);
        Assert.Equal(1, e.Column);
    }

    [Fact]
    public void Large_seeded_splits_deal_chunks_and_stay_balanced()
    {
        int[] ids = RidgeCore.Selection.RidgeSelection.AssignFolds(100_000, 5, 7);
        int[] sizes = new int[5];
        foreach (int id in ids) sizes[id]++;
        Assert.All(sizes, s => Assert.InRange(s, 20_000 - 256, 20_000 + 256));
        int changes = 0;
        for (int i = 1; i < ids.Length; i++) changes += ids[i] != ids[i - 1] ? 1 : 0;
        Assert.InRange(changes, 100, 100_000 / 256); // chunks of 256 rows, neighbours mostly in other folds
    }
}
