using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RidgeCore.Tests.Harness;
using Xunit;

namespace RidgeCore.Tests.Iterative;

/// <summary>
/// Specification of <see cref="LogisticSolver"/>: the one-shot fit's answer bit for bit, whatever the solver fitted
/// before; no allocation once warm; a failed fit keeps the previous results; clear errors for misuse.
/// </summary>
public sealed class LogisticSolverTests
{
    [Property(MaxTest = 40)]
    public Property Equals_the_one_shot_fit_bitwise() => Prop.ForAll(
        Arb.From(Gen.Choose(1, 12).SelectMany(p => Gen.Choose(Math.Max(2, p), 900).Select(n => (n, p)))),
        Arb.From(Gen.Choose(0, 7)),
        Arb.From(Gen.Choose(1, 1_000_000)),
        (shape, flags, seed) =>
        {
            bool weighted = (flags & 1) != 0, intercept = (flags & 2) != 0;
            double lambda = (flags & 4) != 0 ? 1e-4 : 1e-2;
            (double[] x, double[] y, double[]? w) = LogisticRegressionTests.Problem(shape.n, shape.p, seed, weighted, offset: 1);
            var options = new LogisticOptions { Lambda = lambda, FitIntercept = intercept };
            LogisticModel want = LogisticRegression.Fit(new MatrixView<double>(x, shape.n, shape.p), y, options, w);
            using var solver = new LogisticSolver(shape.p);
            solver.Fit(new MatrixView<double>(x, shape.n, shape.p), y, options, w);
            AssertSame(want, solver);
        });

    [Theory]
    [InlineData(6000, 8, true)] // the subsample levels and the chord phase
    [InlineData(6000, 5, false)]
    [InlineData(400, 6, true)] // plain Newton
    public void A_reused_solver_forgets_what_it_fitted_before(int n, int p, bool weighted)
    {
        var options = new LogisticOptions { Lambda = 1e-3 };
        var noIntercept = new LogisticOptions { Lambda = 1e-2, FitIntercept = false };
        (double[] xa, double[] ya, double[]? wa) = LogisticRegressionTests.Problem(2 * n, p, 11, weighted, offset: 2);
        (double[] xb, double[] yb, double[]? wb) = LogisticRegressionTests.Problem(n, p, 12, weighted, offset: -1);
        (double[] xc, double[] yc, _) = LogisticRegressionTests.Problem(n / 2, p, 13, false, offset: 0);

        using var solver = new LogisticSolver(p);
        solver.Fit(new MatrixView<double>(xa, 2 * n, p), ya, options, wa);
        solver.Fit(new MatrixView<double>(xb, n, p), yb, options, wb);
        AssertSame(LogisticRegression.Fit(new MatrixView<double>(xb, n, p), yb, options, wb), solver);

        // Fewer rows, another intercept setting, then back.
        solver.Fit(new MatrixView<double>(xc, n / 2, p), yc, noIntercept);
        AssertSame(LogisticRegression.Fit(new MatrixView<double>(xc, n / 2, p), yc, noIntercept), solver);
        Assert.Equal(0.0, solver.Intercept);
        solver.Fit(new MatrixView<double>(xa, 2 * n, p), ya, options, wa);
        AssertSame(LogisticRegression.Fit(new MatrixView<double>(xa, 2 * n, p), ya, options, wa), solver);
    }

    [Theory]
    [InlineData(6000, 8)]
    [InlineData(300, 5)]
    public void Fits_allocate_nothing_once_warm(int n, int p)
    {
        (double[] x, double[] y, double[]? w) = LogisticRegressionTests.Problem(n, p, 21, weighted: true, offset: 0.5);
        float[] xf = x.Select(v => (float)v).ToArray(), yf = y.Select(v => (float)v).ToArray(), wf = w!.Select(v => (float)v).ToArray();
        var options = new LogisticOptions { Lambda = 1e-3 };
        using var solver = new LogisticSolver(p);
        var coefficients = new double[p];
        AllocationAssert.None(
            () =>
            {
                solver.Fit(new MatrixView<double>(x, n, p), y, options, w);
                solver.CopyTo(coefficients);
            },
            calls: 3,
            warmup: 2);
        AllocationAssert.None(() => solver.Fit(new MatrixView<float>(xf, n, p), yf, options, wf), calls: 3, warmup: 2);
        Assert.True(solver.Converged);
    }

    [Fact]
    public void A_failed_fit_keeps_the_previous_results()
    {
        const int n = 5000, p = 6;
        (double[] x, double[] y, _) = LogisticRegressionTests.Problem(n, p, 31, weighted: false, offset: 0);
        var options = new LogisticOptions { Lambda = 1e-3 };
        using var solver = new LogisticSolver(p);
        solver.Fit(new MatrixView<double>(x, n, p), y, options);
        double[] coefficients = solver.Coefficients.ToArray();
        double intercept = solver.Intercept, objective = solver.Objective;

        // A NaN deep in X is found by a pass in the middle of the fit; bad labels and weights before it starts.
        double[] bad = (double[])x.Clone();
        bad[(4321 * p) + 2] = double.NaN;
        InvalidValueException e = Assert.Throws<InvalidValueException>(() => solver.Fit(new MatrixView<double>(bad, n, p), y, options));
        Assert.Equal(4321, e.Row);
        Assert.Equal(2, e.Column);
        double[] badLabels = (double[])y.Clone();
        badLabels[17] = 0.5;
        Assert.Throws<InvalidValueException>(() => solver.Fit(new MatrixView<double>(x, n, p), badLabels, options));
        double[] badWeights = Enumerable.Repeat(1.0, n).ToArray();
        badWeights[99] = -1;
        Assert.Throws<InvalidValueException>(() => solver.Fit(new MatrixView<double>(x, n, p), y, options, badWeights));

        Assert.True(solver.HasFit);
        Assert.Equal(coefficients, solver.Coefficients.ToArray());
        Assert.Equal(intercept, solver.Intercept);
        Assert.Equal(objective, solver.Objective);

        // And the next good fit is exactly a fresh one.
        (double[] x2, double[] y2, _) = LogisticRegressionTests.Problem(n, p, 32, weighted: false, offset: 1);
        solver.Fit(new MatrixView<double>(x2, n, p), y2, options);
        AssertSame(LogisticRegression.Fit(new MatrixView<double>(x2, n, p), y2, options), solver);
    }

    [Fact]
    public void A_float_fit_is_the_double_fit_of_the_widened_data()
    {
        const int n = 700, p = 7;
        (double[] x, double[] y, double[]? w) = LogisticRegressionTests.Problem(n, p, 41, weighted: true, offset: 0.3);
        float[] xf = x.Select(v => (float)v).ToArray(), yf = y.Select(v => (float)v).ToArray(), wf = w!.Select(v => (float)v).ToArray();
        var options = new LogisticOptions { Lambda = 3e-3 };
        using var solver = new LogisticSolver(p);
        solver.Fit(new MatrixView<float>(xf, n, p), yf, options, wf);
        LogisticModel want = LogisticRegression.Fit(
            new MatrixView<double>(xf.Select(v => (double)v).ToArray(), n, p), yf.Select(v => (double)v).ToArray(), options, wf.Select(v => (double)v).ToArray());
        AssertSame(want, solver);
        AssertSame(LogisticRegression.Fit(new MatrixView<float>(xf, n, p), yf, options, wf), solver);
    }

    [Fact]
    public void Predicts_what_the_model_predicts_without_allocating()
    {
        const int n = 800, p = 9;
        (double[] x, double[] y, double[]? w) = LogisticRegressionTests.Problem(n, p, 61, weighted: true, offset: 0.7);
        using var solver = new LogisticSolver(p);
        solver.Fit(new MatrixView<double>(x, n, p), y, new LogisticOptions { Lambda = 2e-3 }, w);
        LogisticModel model = solver.ToModel();
        var want = new double[n];
        var got = new double[n];
        model.PredictProbability(new MatrixView<double>(x, n, p), want);
        solver.PredictProbability(new MatrixView<double>(x, n, p), got);
        Assert.Equal(want, got);
        Assert.Equal(model.PredictProbability(x.AsSpan(5 * p, p)), solver.PredictProbability(x.AsSpan(5 * p, p)));
        AllocationAssert.None(() => solver.PredictProbability(new MatrixView<double>(x, n, p), got));

        ArgumentException row = Assert.Throws<ArgumentException>(() => solver.PredictProbability(new double[p - 1]));
        Assert.Equal("row", row.ParamName);
        ArgumentException rows = Assert.Throws<ArgumentException>(() => solver.PredictProbability(new MatrixView<double>(x, n, p), new double[n - 1]));
        Assert.Equal("destination", rows.ParamName);
        using var empty = new LogisticSolver(p);
        Assert.Throws<InvalidOperationException>(() => empty.PredictProbability(x.AsSpan(0, p)));
    }

    [Fact]
    public void Misuse_gets_clear_errors()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogisticSolver(0));
        using var solver = new LogisticSolver(3);
        Assert.False(solver.HasFit);
        Assert.Throws<InvalidOperationException>(() => solver.Coefficients.ToArray());
        Assert.Throws<InvalidOperationException>(() => solver.Intercept);
        Assert.Throws<InvalidOperationException>(() => solver.ToModel());

        double[] x = new double[40], y = new double[10];
        ArgumentException wide = Assert.Throws<ArgumentException>(() => solver.Fit(new MatrixView<double>(x, 10, 4), y, new LogisticOptions()));
        Assert.Equal("x", wide.ParamName);
        Assert.Contains("p=3", wide.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => solver.Fit(new MatrixView<double>(x, 10, 3), y, null!));
        Assert.Throws<ArgumentException>(() => solver.Fit(new MatrixView<double>(x, 10, 3), new double[9], new LogisticOptions()));

        (double[] xs, double[] ys, _) = LogisticRegressionTests.Problem(50, 3, 51, weighted: false, offset: 0);
        solver.Fit(new MatrixView<double>(xs, 50, 3), ys, new LogisticOptions { Lambda = 1e-2 });
        ArgumentException copy = Assert.Throws<ArgumentException>(() => solver.CopyTo(new double[2]));
        Assert.Equal("coefficients", copy.ParamName);

        solver.Dispose();
        Assert.Throws<ObjectDisposedException>(() => solver.Fit(new MatrixView<double>(xs, 50, 3), ys, new LogisticOptions()));
        Assert.Equal(3, solver.Coefficients.Length); // the last results stay readable
    }

    private static void AssertSame(LogisticModel want, LogisticSolver got)
    {
        Assert.True(got.HasFit);
        Assert.Equal(want.Coefficients.ToArray(), got.Coefficients.ToArray());
        Assert.Equal(want.Intercept, got.Intercept);
        Assert.Equal(want.FitResult.Iterations, got.Iterations);
        Assert.Equal(want.FitResult.SubsampleIterations, got.SubsampleIterations);
        Assert.Equal(want.FitResult.HessianUpdates, got.HessianUpdates);
        Assert.Equal(want.FitResult.Objective, got.Objective);
        Assert.Equal(want.FitResult.StopReason, got.StopReason);
        Assert.Equal(want.FitResult.Converged, got.Converged);
        Assert.Equal(want.WeightSum, got.WeightSum);
        Assert.Equal(want.Lambda, got.Lambda);

        LogisticModel model = got.ToModel();
        Assert.Equal(want.Coefficients.ToArray(), model.Coefficients.ToArray());
        Assert.Equal(want.Intercept, model.Intercept);
        Assert.Equal(want.FitResult.Objective, model.FitResult.Objective);
        Assert.Equal(want.WeightSum, model.WeightSum);
    }
}
