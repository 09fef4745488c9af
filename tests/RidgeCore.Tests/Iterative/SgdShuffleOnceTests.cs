using System;
using System.Linq;
using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RidgeCore.Iterative;
using Xunit;

namespace RidgeCore.Tests.Iterative;

/// <summary>
/// Specification of <see cref="SgdShuffle.Once"/>: its first epoch is bit for bit the first epoch of
/// <see cref="SgdShuffle.Rows"/>; every later epoch is an epoch over the rows in that first epoch's order (checked
/// against a Rows epoch followed by PartialFit over the rows permuted by hand); it converges like the others; X is
/// never written; a blow-up leaves the model as it was.
/// </summary>
public sealed class SgdShuffleOnceTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void The_first_epoch_is_the_first_epoch_of_Rows(bool weighted, bool earlyStopping)
    {
        const int n = 403, p = 13;
        (double[] x, double[] y, double[]? w) = IterativeRidgeTests.Problem(n, p, 41, weighted);
        double[] Run(SgdShuffle shuffle)
        {
            var sgd = new SgdRegressor(new SgdOptions
            {
                Shuffle = shuffle, MaxEpochs = 1, Seed = 9, BatchSize = 10, Average = true, LearningRate = 0.02,
                EarlyStopping = earlyStopping, Tolerance = earlyStopping ? 1e-4 : null,
            });
            sgd.Fit(new MatrixView<double>(x, n, p), y, w);
            return [.. sgd.Coefficients.ToArray(), sgd.Intercept];
        }

        Assert.Equal(Run(SgdShuffle.Rows), Run(SgdShuffle.Once));
    }

    [Theory]
    [InlineData(300, 7, 16, false)]
    [InlineData(257, 64, 32, true)]
    [InlineData(100, 9, 100, false)]
    [InlineData(333, 17, 5, true)]
    public void Later_epochs_run_through_the_rows_in_the_first_epochs_order_double(int n, int p, int batch, bool weighted)
        => LaterEpochs<double>(n, p, batch, weighted);

    [Theory]
    [InlineData(300, 7, 16, false)]
    [InlineData(257, 64, 32, true)]
    [InlineData(333, 17, 5, true)]
    public void Later_epochs_run_through_the_rows_in_the_first_epochs_order_float(int n, int p, int batch, bool weighted)
        => LaterEpochs<float>(n, p, batch, weighted);

    /// <summary>The same comparison over random shapes (n from 1, p across vector widths, any batch size up to n),
    /// 1 to 4 epochs (1: the first epoch alone against Rows'), every loss, weights or none, float and double.</summary>
    [Property(MaxTest = 80)]
    public Property Once_equals_a_Rows_epoch_then_epochs_over_its_order() => Prop.ForAll(Arb.From(
        from n in Gen.Choose(1, 260)
        from p in Gen.Choose(1, 70)
        from batch in Gen.Choose(1, n)
        from epochs in Gen.Choose(1, 4)
        from weighted in Gen.Elements(false, true)
        from single in Gen.Elements(false, true)
        from loss in Gen.Elements(SgdLoss.Squared, SgdLoss.Logistic, SgdLoss.Huber)
        from seed in Gen.Choose(0, 1000)
        select (n, p, batch, epochs, weighted, single, loss, seed)), c =>
    {
        string label = $"n={c.n} p={c.p} batch={c.batch} epochs={c.epochs} weighted={c.weighted} float={c.single} {c.loss}";
        bool same = c.single
            ? SameAsReference<float>(c.n, c.p, c.batch, c.epochs, c.weighted, c.loss, c.seed)
            : SameAsReference<double>(c.n, c.p, c.batch, c.epochs, c.weighted, c.loss, c.seed);
        return same.Label(label);
    });

    [Fact]
    public void Averaged_Once_reaches_the_closed_form_to_1e_3()
    {
        const int n = 2000, p = 5;
        const double lambda = 0.05;
        // Unweighted: with weights, the same batches every epoch keep each row at wᵢ/Σw_B and the fit settles near,
        // not at, the weighted optimum (see SgdShuffle.Once).
        (double[] x, double[] y, double[]? w) = IterativeRidgeTests.Problem(n, p, 21, weighted: false);
        RidgeModel exact = Ridge.Fit(new MatrixView<double>(x, n, p), new MatrixView<double>(y, n, 1), new RidgeOptions { Lambda = lambda }, w);
        var sgd = new SgdRegressor(new SgdOptions
        {
            Lambda = lambda, Schedule = LearningRateSchedule.Optimal, LearningRate = 0.05, Average = true, BatchSize = 8,
            MaxEpochs = 150, Tolerance = null, Seed = 3, Shuffle = SgdShuffle.Once,
        });
        IterativeFitResult result = sgd.Fit(new MatrixView<double>(x, n, p), y, w);
        IterativeRidgeTests.AssertClose(exact, result, 1e-3, "SGD Once");
    }

    [Fact]
    public void A_blow_up_throws_and_leaves_the_model_as_it_was()
    {
        const int n = 200, p = 4;
        (double[] x, double[] y, _) = IterativeRidgeTests.Problem(n, p, 43, weighted: false);
        var sgd = new SgdRegressor(new SgdOptions { Shuffle = SgdShuffle.Once, MaxEpochs = 3, Tolerance = null, LearningRate = 0.01 });
        sgd.Fit(new MatrixView<double>(x, n, p), y);
        double[] before = Snapshot(sgd);
        sgd.Options.LearningRate = 1e6;
        sgd.Options.Schedule = LearningRateSchedule.Constant;
        Assert.Throws<DivergenceException>(() => sgd.Fit(new MatrixView<double>(x, n, p), y));
        Assert.Equal(before, Snapshot(sgd));

        // The pool's copy went back: the next fit runs (and, with the first options, repeats the first fit).
        sgd.Options.LearningRate = 0.01;
        sgd.Options.Schedule = LearningRateSchedule.InverseScaling;
        sgd.Fit(new MatrixView<double>(x, n, p), y);
        Assert.Equal(before, Snapshot(sgd));
    }

    private static double[] Snapshot(SgdRegressor sgd) => [.. sgd.Coefficients.ToArray(), sgd.Intercept];

    private static bool SameAsReference<T>(int n, int p, int batch, int epochs, bool weighted, SgdLoss loss, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (double[] xd, double[] yd, double[]? wd) = IterativeRidgeTests.Problem(n, p, seed, weighted);
        if (loss == SgdLoss.Logistic)
        {
            double median = yd.Order().ElementAt(n / 2);
            yd = Array.ConvertAll(yd, v => v > median ? 1.0 : 0.0);
        }

        T[] x = Array.ConvertAll(xd, T.CreateTruncating), y = Array.ConvertAll(yd, T.CreateTruncating);
        T[] w = wd is null ? [] : Array.ConvertAll(wd, T.CreateTruncating);
        var options = new SgdOptions { Loss = loss, BatchSize = batch, MaxEpochs = epochs, Tolerance = null, Average = true, LearningRate = 0.01, Seed = seed, Shuffle = SgdShuffle.Once };
        (double[] a, double ia, long sa) = Fitted(x, y, w, n, p, options);
        (double[] b, double ib, long sb, _) = Reference(x, y, w, n, p, options);
        return a.AsSpan().SequenceEqual(b) && ia.Equals(ib) && sa == sb;
    }

    /// <summary>Once over E epochs against the reference (see <see cref="Reference"/>), X untouched, and against E
    /// reshuffled epochs (which must end elsewhere: the order matters).</summary>
    private static void LaterEpochs<T>(int n, int p, int batch, bool weighted)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (double[] xd, double[] yd, double[]? wd) = IterativeRidgeTests.Problem(n, p, 47 + n, weighted);
        T[] x = Array.ConvertAll(xd, T.CreateTruncating), y = Array.ConvertAll(yd, T.CreateTruncating);
        T[] w = wd is null ? [] : Array.ConvertAll(wd, T.CreateTruncating);
        T[] xBefore = (T[])x.Clone();
        var options = new SgdOptions { BatchSize = batch, MaxEpochs = 4, Tolerance = null, Average = true, LearningRate = 0.01, Seed = 5, Shuffle = SgdShuffle.Once };

        (double[] a, double ia, long sa) = Fitted(x, y, w, n, p, options);
        Assert.Equal(xBefore, x);
        (double[] b, double ib, long sb, int[] order) = Reference(x, y, w, n, p, options);
        int[] sorted = (int[])order.Clone();
        Array.Sort(sorted);
        Assert.Equal(Enumerable.Range(0, n), sorted);
        Assert.Equal(b, a);
        Assert.Equal(ib, ia);
        Assert.Equal(sb, sa);

        SgdOptions reshuffled = options.Clone();
        reshuffled.Shuffle = SgdShuffle.Rows;
        Assert.NotEqual(a, Fitted(x, y, w, n, p, reshuffled).Coefficients);
    }

    private static (double[] Coefficients, double Intercept, long Steps) Fitted<T>(T[] x, T[] y, T[] w, int n, int p, SgdOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var engine = new SgdEngine<T>(p);
        engine.Fit(new MatrixView<T>(x, n, p), y, w, options);
        var coefficients = new double[p];
        double intercept = engine.CopyCoefficients(options, coefficients);
        return (coefficients, intercept, engine.Steps);
    }

    /// <summary>What Once over E epochs must equal: one Rows epoch (the same first epoch), its row order read back,
    /// and E − 1 PartialFit epochs over X, y and w permuted into that order by hand.</summary>
    private static (double[] Coefficients, double Intercept, long Steps, int[] Order) Reference<T>(T[] x, T[] y, T[] w, int n, int p, SgdOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var reference = new SgdEngine<T>(p);
        SgdOptions first = options.Clone();
        first.Shuffle = SgdShuffle.Rows;
        first.MaxEpochs = 1;
        reference.Fit(new MatrixView<T>(x, n, p), y, w, first);
        int[] order = reference.RowOrder(n).ToArray();
        var xp = new T[n * p];
        var yp = new T[n];
        var wp = new T[w.Length];
        for (int i = 0; i < n; i++)
        {
            Array.Copy(x, order[i] * p, xp, i * p, p);
            yp[i] = y[order[i]];
            if (w.Length > 0)
            {
                wp[i] = w[order[i]];
            }
        }

        for (int e = 1; e < options.MaxEpochs; e++)
        {
            reference.PartialFit(new MatrixView<T>(xp, n, p), yp, wp, options);
        }

        var coefficients = new double[p];
        double intercept = reference.CopyCoefficients(options, coefficients);
        return (coefficients, intercept, reference.Steps, order);
    }
}
