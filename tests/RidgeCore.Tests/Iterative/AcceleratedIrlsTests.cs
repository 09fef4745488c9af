using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RidgeCore.Iterative;
using Xunit;
using Xunit.Abstractions;

namespace RidgeCore.Tests.Iterative;

/// <summary>
/// Specification of the accelerated IRLS path (Newton on nested row subsamples, then chord steps on all rows with a
/// Hessian refreshed only when the chord rate is poor): whatever path it takes, it stops where plain Newton stops,
/// at the penalized maximum-likelihood solution with every gradient component below the tolerance. The subsample
/// threshold is lowered so that a few thousand rows reach the accelerated path; the same engine with the threshold
/// out of reach is plain Newton.
/// </summary>
public sealed class AcceleratedIrlsTests(ITestOutputHelper output)
{
    public enum Shape
    {
        /// <summary>Well-conditioned Gaussian features.</summary>
        Plain,

        /// <summary>Two nearly collinear columns (condition number of the Gram ~1e8) and a weak penalty.</summary>
        IllConditioned,

        /// <summary>Labels from the sign of the margin with 1 % flipped and a weak penalty: large coefficients,
        /// probabilities near 0 and 1, IRLS weights spanning many orders of magnitude.</summary>
        NearlySeparable,

        /// <summary>The rows of the finest subsample level (<see cref="LogisticEngine.LevelLayout"/>, about every 4th
        /// row) drawn with features 20 times larger: the subsample Hessian is a poor estimate of the full one, so the
        /// chord steps contract slowly and the Hessian must be rebuilt on all rows.</summary>
        UnrepresentativeSubsample,

        /// <summary>λ = 0 and the rows of the coarsest level (about every 16th row) perfectly separable (the full data
        /// are not): that level
        /// has no finite optimum, Newton on it drives one coefficient up until the gradient decays (or the level is
        /// abandoned), and the finer levels and the full data must undo that.</summary>
        SeparableSubsample,
    }

    [Theory]
    [InlineData(Shape.Plain, false, true)]
    [InlineData(Shape.Plain, true, false)]
    [InlineData(Shape.IllConditioned, false, true)]
    [InlineData(Shape.NearlySeparable, true, true)]
    [InlineData(Shape.UnrepresentativeSubsample, false, true)]
    [InlineData(Shape.SeparableSubsample, false, true)]
    public void Accelerated_path_stops_at_the_plain_newton_solution(Shape shape, bool weighted, bool intercept)
    {
        var c = Case.Of(shape, weighted, intercept);
        using var fast = new LogisticEngine(Case.P, intercept) { MinimumSubsampleRows = 64 };
        LogisticModel accelerated = c.Fit(fast);
        using var slow = new LogisticEngine(Case.P, intercept) { MinimumSubsampleRows = int.MaxValue };
        LogisticModel plain = c.Fit(slow);

        IterativeFitResult a = accelerated.FitResult;
        string path = $"{shape}: accelerated {a.StopReason}, {a.SubsampleIterations} subsample + {a.Iterations} full iterations ({fast.FullPasses} passes over all rows, {fast.QuasiUpdates} BFGS updates), {a.HessianUpdates} Hessians; plain {plain.FitResult.Iterations} iterations";
        output.WriteLine(path);
        Assert.True(a.Converged, path);
        Assert.True(plain.FitResult.Converged, path);
        Assert.True(a.SubsampleIterations > 0, path);
        Assert.Equal(0, plain.FitResult.SubsampleIterations);
        Assert.True(a.HessianUpdates >= 1 && plain.FitResult.HessianUpdates >= 1, path);

        // The same point: both gradients vanish to the tolerance, so they agree to the solution's conditioning.
        double[] beta = [.. accelerated.Coefficients.ToArray(), accelerated.Intercept];
        double[] g = c.Gradient(beta);
        Assert.All(g, gi => Assert.True(Math.Abs(gi) <= 1e-9, $"{path}: gradient component {gi}"));
        double scale = Math.Max(1, plain.Coefficients.ToArray().Max(Math.Abs));
        double agree = shape == Shape.IllConditioned ? 1e-4 : 1e-7; // κ ~1e8 amplifies a 1e-10 gradient
        for (int j = 0; j < Case.P; j++)
        {
            Assert.True(Math.Abs(accelerated.Coefficients[j] - plain.Coefficients[j]) <= agree * scale, $"{path}: θ[{j}] {accelerated.Coefficients[j]} vs {plain.Coefficients[j]}");
        }

        Assert.True(Math.Abs(accelerated.Intercept - plain.Intercept) <= agree * scale, $"{path}: b");

        Assert.True(Math.Abs(a.Objective - plain.FitResult.Objective) <= 1e-12 * Math.Max(1, Math.Abs(a.Objective)), $"{path}: objective");

        if (shape == Shape.UnrepresentativeSubsample)
        {
            // At least one Hessian was built on all rows after the subsample levels' (one per level iteration).
            Assert.True(a.HessianUpdates > a.SubsampleIterations, path);
        }
    }

    /// <summary>The BFGS refinement of the chord matrix changes the path, never the answer; on well-conditioned data
    /// (where the subsample factor is a good start) it saves passes over all rows. It is not a guarantee: on the
    /// ill-conditioned and the nearly separable data it takes one pass more than the fixed factor (9 against 8), so
    /// there only the answer is checked.</summary>
    [Theory]
    [InlineData(Shape.Plain, false, true, true)]
    [InlineData(Shape.Plain, true, false, true)]
    [InlineData(Shape.IllConditioned, false, true, false)]
    [InlineData(Shape.NearlySeparable, true, true, false)]
    public void Bfgs_refined_chord_steps_reach_the_same_point(Shape shape, bool weighted, bool intercept, bool fewerPasses)
    {
        var c = Case.Of(shape, weighted, intercept);
        using var quasi = new LogisticEngine(Case.P, intercept) { MinimumSubsampleRows = 64 };
        LogisticModel refined = c.Fit(quasi);
        using var chord = new LogisticEngine(Case.P, intercept) { MinimumSubsampleRows = 64, QuasiNewton = false };
        LogisticModel fixedFactor = c.Fit(chord);

        string path = $"{shape}: BFGS {quasi.FullPasses} passes ({quasi.QuasiUpdates} updates), fixed factor {chord.FullPasses} passes";
        output.WriteLine(path);
        Assert.True(refined.FitResult.Converged && fixedFactor.FitResult.Converged, path);
        Assert.True(quasi.QuasiUpdates >= 1, path);
        Assert.Equal(0, chord.QuasiUpdates);
        if (fewerPasses)
        {
            Assert.True(quasi.FullPasses < chord.FullPasses, path);
        }

        double scale = Math.Max(1, fixedFactor.Coefficients.ToArray().Max(Math.Abs));
        double agree = shape == Shape.IllConditioned ? 1e-4 : 1e-7; // κ ~1e8 amplifies a 1e-10 gradient
        for (int j = 0; j < Case.P; j++)
        {
            Assert.True(Math.Abs(refined.Coefficients[j] - fixedFactor.Coefficients[j]) <= agree * scale, $"{path}: θ[{j}]");
        }

        Assert.True(Math.Abs(refined.Intercept - fixedFactor.Intercept) <= agree * scale, $"{path}: b");
        double[] beta = [.. refined.Coefficients.ToArray(), refined.Intercept];
        double[] g = c.Gradient(beta);
        Assert.All(g, gi => Assert.True(Math.Abs(gi) <= 1e-9, $"{path}: gradient component {gi}"));
    }

    /// <summary>X is not scanned up front: a NaN or ±∞ is found by the first pass over the rows holding it (a subsample
    /// level's, or the first pass over all rows), and then the first offending value in row order is named, whichever
    /// pass saw a value first; a zero weight does not hide one.</summary>
    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void A_non_finite_feature_anywhere_throws_naming_the_first_one(bool accelerated, bool weighted)
    {
        var c = Case.Of(Shape.Plain, weighted, intercept: true);
        int inNoLevel = Enumerable.Range(1, Case.N - 1).First(i => !InLevel(Case.N, 4, i) && i > Case.N / 3);
        int inFinestOnly = Enumerable.Range(1, Case.N - 1).First(i => InLevel(Case.N, 4, i) && !InLevel(Case.N, 16, i));
        int inCoarsest = Enumerable.Range(Case.N / 2, Case.N / 2).First(i => InLevel(Case.N, 16, i));
        (int Row, int Column, double Value)[][] cases =
        [
            [(inNoLevel, 2, double.NaN)],
            [(inFinestOnly, 0, double.PositiveInfinity)],
            [(inCoarsest, Case.P - 1, double.NegativeInfinity)],
            [(inNoLevel, 4, double.NaN), (inCoarsest, 1, double.NaN)], // the coarsest level's pass sees the later one first
            [(Case.N - 1, Case.P - 1, double.NaN)],
        ];
        foreach (var bad in cases)
        {
            double[] x = (double[])c.X.Clone();
            double[]? w = c.W is null ? null : (double[])c.W.Clone();
            foreach ((int row, int column, double value) in bad)
            {
                x[(row * Case.P) + column] = value;
                if (w is not null)
                {
                    w[row] = 0;
                }
            }

            using var engine = new LogisticEngine(Case.P, true) { MinimumSubsampleRows = accelerated ? 64 : int.MaxValue };
            var e = Assert.Throws<InvalidValueException>(() => engine.Fit(new MatrixView<double>(x, Case.N, Case.P), c.Y, new LogisticOptions { Lambda = c.Lambda }, w));
            (int firstRow, int firstColumn, _) = bad.MinBy(b => b.Row);
            Assert.Equal("x", e.ParamName);
            Assert.Equal(((long)firstRow, firstColumn), (e.Row, e.Column));
        }
    }

    /// <summary>Over random shapes — n from 1 000 to 6 000 (levels of blocks from 1 to 47 rows), p from 1 to 12,
    /// weighted with whole runs of zero weights or not, with and without intercept, λ from 10⁻⁶ to 10⁻², rows in
    /// random or label-sorted order — the accelerated path stops where plain Newton stops: both converge, the gradient
    /// (naive, compensated) is below the tolerance, and the objectives agree to rounding.</summary>
    [Property(MaxTest = 60)]
    public Property Accelerated_path_equals_plain_newton_on_random_problems() => Prop.ForAll(Arb.From(
        from n in Gen.Choose(1000, 6000)
        from p in Gen.Choose(1, 12)
        from seed in Gen.Choose(0, int.MaxValue)
        from weighted in Gen.Elements(false, true)
        from intercept in Gen.Elements(false, true)
        from lambdaExponent in Gen.Choose(-6, -2)
        from sorted in Gen.Elements(false, true)
        select (n, p, seed, weighted, intercept, lambda: Math.Pow(10, lambdaExponent), sorted)), c =>
    {
        var rng = new Random(c.seed);
        var x = new double[c.n * c.p];
        var y = new double[c.n];
        var beta = new double[c.p];
        for (int j = 0; j < c.p; j++)
        {
            beta[j] = (rng.NextDouble() * 2) - 1;
        }

        var rows = new (double[] Row, double Label)[c.n];
        for (int i = 0; i < c.n; i++)
        {
            var row = new double[c.p];
            double m = 0.2;
            for (int j = 0; j < c.p; j++)
            {
                row[j] = Normal(rng);
                m += row[j] * beta[j];
            }

            rows[i] = (row, rng.NextDouble() < 1 / (1 + Math.Exp(-m)) ? 1 : 0);
        }

        if (c.sorted)
        {
            Array.Sort(rows, (a, b) => a.Label.CompareTo(b.Label));
        }

        for (int i = 0; i < c.n; i++)
        {
            rows[i].Row.CopyTo(x, i * c.p);
            y[i] = rows[i].Label;
        }

        double[]? w = null;
        if (c.weighted)
        {
            w = new double[c.n];
            for (int i = 0; i < c.n; i++)
            {
                w[i] = (i / 97) % 5 == 0 ? 0 : 0.1 + (rng.NextDouble() * 2);
            }
        }

        var options = new LogisticOptions { Lambda = c.lambda, FitIntercept = c.intercept, MaxIterations = 200 };
        using var fast = new LogisticEngine(c.p, c.intercept) { MinimumSubsampleRows = 64 };
        LogisticModel accelerated = fast.Fit(new MatrixView<double>(x, c.n, c.p), y, options, w);
        using var slow = new LogisticEngine(c.p, c.intercept) { MinimumSubsampleRows = int.MaxValue };
        LogisticModel plain = slow.Fit(new MatrixView<double>(x, c.n, c.p), y, options, w);
        string path = $"{c}: accelerated {accelerated.FitResult.StopReason} after {accelerated.FitResult.SubsampleIterations} + {accelerated.FitResult.Iterations}, plain {plain.FitResult.StopReason}";
        if (!accelerated.FitResult.Converged || !plain.FitResult.Converged)
        {
            return false.Label(path);
        }

        double[] full = [.. accelerated.Coefficients.ToArray(), .. (c.intercept ? new[] { accelerated.Intercept } : [])];
        double[] g = LogisticReference.Gradient(x, y, w, c.n, c.p, c.lambda, full, c.intercept);
        double objective = LogisticReference.Objective(x, y, w, c.n, c.p, c.lambda, full, c.intercept);
        return (g.All(gi => Math.Abs(gi) <= 1e-9)
            && Math.Abs(accelerated.FitResult.Objective - plain.FitResult.Objective) <= 1e-12 * Math.Abs(plain.FitResult.Objective)
            && Math.Abs(accelerated.FitResult.Objective - objective) <= 1e-12 * Math.Abs(objective)).Label($"{path}: max |g| {g.Max(Math.Abs):E2}, objectives {accelerated.FitResult.Objective:R} / {plain.FitResult.Objective:R} / naive {objective:R}");
    });

    [Fact]
    public void Small_data_run_plain_newton_and_large_data_take_the_subsample_path()
    {
        (double[] x, double[] y, _, double lambda) = Problem(Shape.Plain, 4096, 6, weighted: false);
        var options = new LogisticOptions { Lambda = lambda };
        LogisticModel small = LogisticRegression.Fit(new MatrixView<double>(x, 4000, 6), y.AsSpan(0, 4000), options);
        Assert.Equal(0, small.FitResult.SubsampleIterations);
        Assert.True(small.FitResult.Converged);
        Assert.InRange(small.FitResult.HessianUpdates, 1, small.FitResult.Iterations);

        // 4 × 1024 rows is the smallest n with a subsample level under the default threshold.
        var big = new double[4096 * 4 * 6];
        var labels = new double[4096 * 4];
        for (int r = 0; r < 4; r++)
        {
            x.CopyTo(big, r * x.Length);
            y.CopyTo(labels, r * y.Length);
        }

        LogisticModel large = LogisticRegression.Fit(new MatrixView<double>(big, labels.Length, 6), labels, options);
        Assert.True(large.FitResult.Converged);
        Assert.True(large.FitResult.SubsampleIterations > 0);
    }

    /// <summary>One problem of <see cref="Problem"/> (4 096 × 6) with the options both fits of a comparison use.</summary>
    private sealed record Case(double[] X, double[] Y, double[]? W, double Lambda, bool Intercept)
    {
        public const int N = 4096, P = 6;

        public static Case Of(Shape shape, bool weighted, bool intercept)
        {
            (double[] x, double[] y, double[]? w, double lambda) = Problem(shape, N, P, weighted);
            return new Case(x, y, w, lambda, intercept);
        }

        public LogisticModel Fit(LogisticEngine engine)
            => engine.Fit(new MatrixView<double>(X, N, P), Y, new LogisticOptions { Lambda = Lambda, FitIntercept = Intercept, MaxIterations = 200 }, W);

        public double[] Gradient(double[] beta) => LogisticReference.Gradient(X, Y, W, N, P, Lambda, beta, Intercept);
    }

    internal static (double[] X, double[] Y, double[]? W, double Lambda) Problem(Shape shape, int n, int p, bool weighted)
    {
        var rng = new Random(17 + (int)shape);
        var x = new double[n * p];
        var y = new double[n];
        var beta = new double[p];
        for (int j = 0; j < p; j++)
        {
            beta[j] = (rng.NextDouble() * 2) - 1;
        }

        double lambda = shape switch
        {
            Shape.IllConditioned => 1e-8,
            Shape.NearlySeparable => 1e-5,
            Shape.SeparableSubsample => 0,
            _ => 1e-3,
        };
        for (int i = 0; i < n; i++)
        {
            double factor = shape == Shape.UnrepresentativeSubsample && InLevel(n, 4, i) ? 20 : 1;
            for (int j = 0; j < p; j++)
            {
                x[(i * p) + j] = factor * Normal(rng);
            }

            if (shape == Shape.IllConditioned)
            {
                x[(i * p) + 1] = x[i * p] + (1e-4 * Normal(rng));
            }

            double m = 0.3;
            for (int j = 0; j < p; j++)
            {
                m += x[(i * p) + j] * beta[j] / factor;
            }

            y[i] = shape switch
            {
                Shape.NearlySeparable => (m > 0) ^ (rng.NextDouble() < 0.01) ? 1 : 0,
                Shape.SeparableSubsample when InLevel(n, 16, i) => x[i * p] > 0 ? 1 : 0,
                _ => rng.NextDouble() < 1 / (1 + Math.Exp(-m)) ? 1 : 0,
            };
        }

        double[]? w = null;
        if (weighted)
        {
            w = new double[n];
            for (int i = 0; i < n; i++)
            {
                w[i] = 0.2 + (2 * rng.NextDouble());
            }
        }

        return (x, y, w, lambda);
    }

    /// <summary>Whether row i belongs to the subsample level that keeps about one row in <paramref name="stride"/>.</summary>
    private static bool InLevel(int n, int stride, int i)
    {
        (int blockRows, int spacing) = LogisticEngine.LevelLayout(n, stride);
        return i % spacing < blockRows;
    }

    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
