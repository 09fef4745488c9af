using System;
using System.Linq;
using Xunit;

namespace RidgeCore.Tests.Iterative;

/// <summary>
/// Specification of <see cref="IterativeRidge"/>: gradient descent and conjugate gradient, from X (double and float) and
/// from statistics, reach the closed-form ridge solution of <see cref="Ridge.Fit(MatrixView{double}, MatrixView{double}, RidgeOptions, ReadOnlySpan{double})"/>
/// to 1e-8 relative on well-conditioned problems (float within 1e-4), on every tier the suite runs; λ paths by
/// warm-started CG and by Cholesky agree with it too; the reported objective is the objective.
/// </summary>
public sealed class IterativeRidgeTests
{
    public static TheoryData<int, int, bool, bool, int> Shapes => new()
    {
        { 40, 1, false, true, 1 },
        { 120, 3, true, true, 2 },
        { 200, 8, false, false, 3 },
        { 150, 17, true, true, 4 },
        { 300, 33, false, true, 5 },
        { 90, 64, true, true, 6 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Gradient_descent_and_conjugate_gradient_reach_the_closed_form(int n, int p, bool weighted, bool intercept, int seed)
    {
        (double[] x, double[] y, double[]? w) = Problem(n, p, seed, weighted);
        const double lambda = 0.05;
        RidgeModel exact = Ridge.Fit(new MatrixView<double>(x, n, p), new MatrixView<double>(y, n, 1), new RidgeOptions { Lambda = lambda, FitIntercept = intercept }, w);
        var options = new IterativeRidgeOptions { Lambda = lambda, FitIntercept = intercept, Tolerance = 1e-12 };
        var view = new MatrixView<double>(x, n, p);

        AssertClose(exact, IterativeRidge.GradientDescent(view, y, options, w), 1e-8, "GD from X");
        AssertClose(exact, IterativeRidge.ConjugateGradient(view, y, options, w), 1e-8, "CG from X");
        options.Preconditioned = false;
        AssertClose(exact, IterativeRidge.ConjugateGradient(view, y, options, w), 1e-8, "CG from X, no preconditioner");
        options.Preconditioned = true;

        using var stats = new GramAccumulator(p, 1, intercept ? GramMode.Centered : GramMode.Uncentered);
        stats.Add(view, new MatrixView<double>(y, n, 1), w ?? Enumerable.Repeat(1.0, n).ToArray());
        AssertClose(exact, IterativeRidge.GradientDescent(stats, options), 1e-8, "GD from statistics");
        AssertClose(exact, IterativeRidge.ConjugateGradient(stats, options), 1e-8, "CG from statistics");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float_input_reaches_the_float_closed_form_within_1e_4(int n, int p, bool weighted, bool intercept, int seed)
    {
        (double[] x, double[] y, double[]? w) = Problem(n, p, seed, weighted);
        float[] xf = [.. x.Select(v => (float)v)], yf = [.. y.Select(v => (float)v)];
        float[]? wf = w?.Select(v => (float)v).ToArray();
        const double lambda = 0.05;
        RidgeModel exact = Ridge.Fit(new MatrixView<float>(xf, n, p), new MatrixView<float>(yf, n, 1), new RidgeOptions { Lambda = lambda, FitIntercept = intercept }, wf);
        var options = new IterativeRidgeOptions { Lambda = lambda, FitIntercept = intercept, Tolerance = 1e-7, MaxIterations = 5000 };
        AssertClose(exact, IterativeRidge.GradientDescent(new MatrixView<float>(xf, n, p), yf, options, wf), 1e-4, "GD float");
        AssertClose(exact, IterativeRidge.ConjugateGradient(new MatrixView<float>(xf, n, p), yf, options, wf), 1e-4, "CG float");
    }

    [Fact]
    public void Paths_by_warm_started_cg_and_by_cholesky_match_the_closed_form_for_each_lambda()
    {
        const int n = 400, p = 24;
        (double[] x, double[] y, double[]? w) = Problem(n, p, 7, weighted: true);
        double[] lambdas = [10, 3, 1, 0.3, 0.1, 0.03, 0.01];
        using var stats = new GramAccumulator(p);
        stats.Add(new MatrixView<double>(x, n, p), new MatrixView<double>(y, n, 1), w);
        var options = new IterativeRidgeOptions { Tolerance = 1e-12 };
        IterativeFitResult[] cg = IterativeRidge.ConjugateGradientPath(stats, lambdas, options);
        IterativeFitResult[] chol = IterativeRidge.CholeskyPath(stats, lambdas, options);
        IterativeFitResult[] auto = IterativeRidge.SolvePath(stats, lambdas, options);
        int cold = 0, warm = 0;
        for (int k = 0; k < lambdas.Length; k++)
        {
            RidgeModel exact = Ridge.Fit(new MatrixView<double>(x, n, p), new MatrixView<double>(y, n, 1), new RidgeOptions { Lambda = lambdas[k] }, w);
            AssertClose(exact, cg[k], 1e-8, $"CG path λ={lambdas[k]}");
            AssertClose(exact, chol[k], 1e-10, $"Cholesky path λ={lambdas[k]}");
            AssertClose(exact, auto[k], 1e-8, $"auto path λ={lambdas[k]}");
            Assert.Equal(lambdas[k], cg[k].Lambda);
            cold += IterativeRidge.ConjugateGradient(stats, new IterativeRidgeOptions { Lambda = lambdas[k], Tolerance = 1e-12 }).Iterations;
            warm += cg[k].Iterations;
        }

        Assert.True(warm < cold, $"warm starts took {warm} iterations in all, cold starts {cold}");
    }

    [Fact]
    public void A_warm_start_at_the_solution_needs_no_iteration_and_the_objective_is_the_objective()
    {
        const int n = 150, p = 6;
        (double[] x, double[] y, _) = Problem(n, p, 8, weighted: false);
        var view = new MatrixView<double>(x, n, p);
        var options = new IterativeRidgeOptions { Lambda = 0.2, Tolerance = 1e-11 };
        IterativeFitResult first = IterativeRidge.ConjugateGradient(view, y, options);
        Assert.True(first.Converged);
        options.InitialCoefficients = first.Coefficients.ToArray();
        IterativeFitResult again = IterativeRidge.ConjugateGradient(view, y, options);
        Assert.Equal(0, again.Iterations);

        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double r = y[i] - first.Intercept;
            for (int j = 0; j < p; j++)
            {
                r -= x[(i * p) + j] * first.Coefficients[j];
            }

            sum += r * r;
        }

        double objective = (sum / n) + (0.2 * first.Coefficients.ToArray().Sum(t => t * t));
        Assert.True(Math.Abs(objective - first.Objective) <= 1e-10 * Math.Abs(objective), $"objective {first.Objective} vs {objective}");
    }

    [Fact]
    public void The_automatic_choice_runs_cg_while_it_beats_its_budget_and_cholesky_after()
    {
        const int n = 300, p = 200;
        (double[] x, double[] y, _) = Problem(n, p, 9, weighted: false);
        using var stats = new GramAccumulator(p);
        stats.Add(new MatrixView<double>(x, n, p), new MatrixView<double>(y, n, 1));
        Assert.Equal(PathSolver.Cholesky, IterativeRidge.ChoosePathSolver(stats, [1.0, 0.0], 1e-8));
        Assert.Equal(PathSolver.Cholesky, IterativeRidge.ChoosePathSolver(stats, [1e-6], 1e-8));

        // λ = 10⁶ makes H ≈ Σwλ·I (κ − 1 ≈ 10⁻⁶): CG converges within the budget of p/R = 3 iterations. λ = 10⁻⁶ does not, so it and
        // everything after it go to Cholesky (0 iterations: a direct solve).
        double[] lambdas = [1e6, 1e-6, 1e3];
        IterativeFitResult[] auto = IterativeRidge.SolvePath(stats, lambdas, new IterativeRidgeOptions { Tolerance = 1e-10 });
        Assert.InRange(auto[0].Iterations, 1, 3);
        Assert.Equal(0, auto[1].Iterations);
        Assert.Equal(0, auto[2].Iterations);
        for (int k = 0; k < lambdas.Length; k++)
        {
            RidgeModel exact = Ridge.Fit(new MatrixView<double>(x, n, p), new MatrixView<double>(y, n, 1), new RidgeOptions { Lambda = lambdas[k] });
            AssertClose(exact, auto[k], 1e-8, $"auto λ={lambdas[k]}");
        }
    }

    [Fact]
    public void Bad_input_throws_typed_exceptions()
    {
        double[] x = [1, 2, 3, 4, 5, 6];
        var options = new IterativeRidgeOptions();
        var e = Assert.Throws<InvalidValueException>(() => IterativeRidge.ConjugateGradient(new MatrixView<double>(x, 3, 2), [1, double.NaN, 2], options));
        Assert.Equal(("y", 1L), (e.ParamName, e.Row));
        Assert.Throws<ArgumentException>(() => IterativeRidge.GradientDescent(new MatrixView<double>(x, 3, 2), [1, 2], options));
        options.InitialCoefficients = new double[3];
        Assert.Throws<ArgumentException>(() => IterativeRidge.ConjugateGradient(new MatrixView<double>(x, 3, 2), [1, 2, 3], options));
        using var stats = new GramAccumulator(2, 2);
        stats.Add(new MatrixView<double>(x, 3, 2), new MatrixView<double>(x, 3, 2));
        Assert.Throws<ArgumentException>(() => IterativeRidge.ConjugateGradient(stats, new IterativeRidgeOptions()));
        using var one = new GramAccumulator(2);
        one.Add(new MatrixView<double>(x, 3, 2), new MatrixView<double>([1.0, 2, 3], 3, 1));
        e = Assert.Throws<InvalidValueException>(() => IterativeRidge.ConjugateGradientPath(one, [1, -1], new IterativeRidgeOptions()));
        Assert.Equal(("lambdas", 1L), (e.ParamName, e.Row));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IterativeRidgeOptions { Tolerance = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new IterativeRidgeOptions { Lambda = double.NaN });
    }

    [Fact]
    public void A_non_finite_value_anywhere_is_found_and_named()
    {
        // The finiteness check has a vectorized fast path (Σ 0·x); every position of every short length, and of a
        // strided view, must still be caught and reported at its row and column.
        var options = new IterativeRidgeOptions();
        foreach (double bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            for (int n = 1; n <= 40; n++)
            {
                for (int at = 0; at < n; at++)
                {
                    var x = new double[n * 3];
                    var y = new double[n];
                    y[at] = bad;
                    var e = Assert.Throws<InvalidValueException>(() => IterativeRidge.ConjugateGradient(new MatrixView<double>(x, n, 3), y, options));
                    Assert.Equal(("y", (long)at), (e.ParamName, e.Row));
                    y[at] = 0;
                    x[(at * 3) + (at % 3)] = bad;
                    e = Assert.Throws<InvalidValueException>(() => IterativeRidge.GradientDescent(new MatrixView<double>(x, n, 3), y, options));
                    Assert.Equal(("x", (long)at, at % 3), (e.ParamName, e.Row, e.Column));
                    var strided = new double[n * 4];
                    strided[(at * 4) + 3] = bad; // outside the view: ignored
                    IterativeRidge.ConjugateGradient(new MatrixView<double>(strided, n, 3, 4), y, new IterativeRidgeOptions { MaxIterations = 1 });
                    strided[(at * 4) + 1] = bad;
                    e = Assert.Throws<InvalidValueException>(() => IterativeRidge.ConjugateGradient(new MatrixView<double>(strided, n, 3, 4), y, options));
                    Assert.Equal(("x", (long)at, 1), (e.ParamName, e.Row, e.Column));
                }
            }
        }
    }

    internal static void AssertClose(RidgeModel exact, IterativeFitResult got, double relative, string what)
    {
        double scale = 0, error = 0;
        for (int j = 0; j < exact.Features; j++)
        {
            scale = Math.Max(scale, Math.Abs(exact.Coefficients[j]));
            error = Math.Max(error, Math.Abs(exact.Coefficients[j] - got.Coefficients[j]));
        }

        scale = Math.Max(scale, Math.Abs(exact.Intercepts[0]));
        error = Math.Max(error, Math.Abs(exact.Intercepts[0] - got.Intercept));
        Assert.True(error <= relative * scale, $"{what}: max error {error:E3} vs scale {scale:E3} (allowed {relative:E0} relative), {got.Iterations} iterations, {got.StopReason}, tier {KernelSelection.Report.TierName}");
    }

    /// <summary>A well-conditioned random problem: independent standard normal features with mild offsets, a linear
    /// target plus noise.</summary>
    internal static (double[] X, double[] Y, double[]? W) Problem(int n, int p, int seed, bool weighted)
    {
        var rng = new Random(seed);
        var x = new double[n * p];
        var y = new double[n];
        var beta = new double[p];
        for (int j = 0; j < p; j++)
        {
            beta[j] = (rng.NextDouble() * 2) - 1;
        }

        for (int i = 0; i < n; i++)
        {
            double s = 1.5;
            for (int j = 0; j < p; j++)
            {
                double v = Normal(rng);
                x[(i * p) + j] = v + (0.5 * (j % 3));
                s += beta[j] * v;
            }

            y[i] = s + (0.3 * Normal(rng));
        }

        double[]? w = null;
        if (weighted)
        {
            w = new double[n];
            for (int i = 0; i < n; i++)
            {
                w[i] = 0.5 + rng.NextDouble();
            }
        }

        return (x, y, w);
    }

    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
