using System;
using Xunit;
using static RidgeCore.Tests.RidgeEstimator.RidgeReference;

namespace RidgeCore.Tests.RidgeEstimator;

/// <summary>
/// A single well-conditioned Cholesky group fitted without refinement leaves its condition estimate and degrees of
/// freedom for the first read. These tests check that such a fit really defers them, that what is read later is exactly
/// what an eager fit of the same problem reports, and that a later fit, successful or failed, or Dispose, never lets the
/// published values come from the wrong factor.
/// </summary>
public class DeferredDiagnosticsTests
{
    private static RidgeOptions Plain(double lambda, bool intercept = true, bool standardize = false)
        => new() { Lambda = lambda, Refine = false, FitIntercept = intercept, Standardize = standardize };

    /// <summary>The same fit with refinement on: one group, factored the same way, diagnostics computed eagerly.</summary>
    private static (double[] Condition, double[] Df) Eager(Problem pr, RidgeOptions plain)
    {
        var refined = new RidgeOptions { Lambda = plain.Lambda, FitIntercept = plain.FitIntercept, Standardize = plain.Standardize, Refine = true };
        using var solver = new RidgeSolver(pr.P, pr.T);
        solver.Fit(pr.XView, pr.YView, refined, pr.W ?? default(ReadOnlySpan<double>));
        Assert.False(solver.DiagnosticsPending);
        return (solver.ConditionNumbers.ToArray(), solver.EffectiveDegreesOfFreedom.ToArray());
    }

    /// <summary>The solver reports what an eager fit of <paramref name="pr"/> reports (read in the order df, condition,
    /// the reverse of the other tests).</summary>
    private static void AssertReportsEager(RidgeSolver solver, Problem pr, RidgeOptions plain)
    {
        (double[] condition, double[] df) = Eager(pr, plain);
        Assert.Equal(df, solver.EffectiveDegreesOfFreedom.ToArray());
        Assert.Equal(condition, solver.ConditionNumbers.ToArray());
    }

    /// <summary>A solver holding a deferred fit of problem a (p = 8), and a second problem b of the same width.</summary>
    private static (RidgeSolver Solver, Problem A, Problem B) DeferredFitThenSecondProblem(double lambda, int seedA, int seedB)
    {
        Problem a = RandomProblem(60, 8, 1, seed: seedA);
        Problem b = RandomProblem(75, 8, 1, seed: seedB, offset: 4);
        var solver = new RidgeSolver(8);
        solver.Fit(a.XView, a.YView, Plain(lambda));
        Assert.True(solver.DiagnosticsPending);
        return (solver, a, b);
    }

    [Theory]
    [InlineData(40, 6, 1, false, true, false)]
    [InlineData(200, 17, 2, true, true, false)]
    [InlineData(90, 33, 1, true, false, true)]
    [InlineData(1000, 32, 1, false, true, false)]
    public void Deferred_values_equal_the_eager_ones_and_the_naive_formula(int n, int p, int t, bool weighted, bool intercept, bool standardize)
    {
        Problem pr = RandomProblem(n, p, t, seed: 900 + p, weighted: weighted, zeroWeights: weighted);
        RidgeOptions options = Plain(0.05, intercept, standardize);
        (double[] condition, double[] df) = Eager(pr, options);

        using var solver = new RidgeSolver(p, t);
        solver.Fit(pr.XView, pr.YView, options, pr.W ?? default(ReadOnlySpan<double>));
        Assert.True(solver.DiagnosticsPending);
        Assert.Equal(condition, solver.ConditionNumbers.ToArray());
        Assert.False(solver.DiagnosticsPending);
        Assert.Equal(df, solver.EffectiveDegreesOfFreedom.ToArray());
        double[] w = pr.W ?? Fill(n, 1.0);
        double naive = RidgeDiagnosticsTests.NaiveDegreesOfFreedom(pr, w, 0.05, intercept, standardize);
        Assert.Equal(naive, df[0], 1e-11 * p);
        Assert.True(condition[0] >= 1 && double.IsFinite(condition[0]));
    }

    [Fact]
    public void A_later_fit_publishes_its_own_diagnostics()
    {
        (RidgeSolver solver, Problem a, Problem b) = DeferredFitThenSecondProblem(0.01, seedA: 911, seedB: 912);
        using RidgeSolver owned = solver;
        solver.Fit(b.XView, b.YView, Plain(0.3));
        Assert.True(solver.DiagnosticsPending);
        AssertReportsEager(solver, b, Plain(0.3));

        // And once more the other way round, now that the solver alternates between its two factors.
        solver.Fit(a.XView, a.YView, Plain(0.01));
        AssertReportsEager(solver, a, Plain(0.01));
    }

    [Fact]
    public void A_fit_that_fails_after_factoring_leaves_the_published_diagnostics_intact()
    {
        (RidgeSolver solver, Problem a, Problem b) = DeferredFitThenSecondProblem(0.02, seedA: 913, seedB: 914);
        using RidgeSolver owned = solver;
        double[] coefficients = solver.Coefficients.ToArray();

        // Cholesky only, and a limit no matrix meets: b is factored (into the other factor), estimated, and rejected.
        RidgeOptions failing = Plain(0.02);
        failing.Factorization = RidgeFactorization.Cholesky;
        failing.MaxConditionNumber = 1;
        Assert.Throws<IllConditionedException>(() => solver.Fit(b.XView, b.YView, failing));

        Assert.Equal(coefficients, solver.Coefficients.ToArray());
        AssertReportsEager(solver, a, Plain(0.02));
    }

    [Fact]
    public void Models_and_disposed_solvers_carry_the_values()
    {
        Problem a = RandomProblem(50, 7, 2, seed: 915, weighted: true);
        RidgeOptions options = Plain(0.1);
        (double[] condition, double[] df) = Eager(a, options);

        var solver = new RidgeSolver(7, 2);
        solver.Fit(a.XView, a.YView, options, a.W);
        RidgeModel model = solver.ToModel();
        Assert.Equal(condition, model.ConditionNumbers.ToArray());
        Assert.Equal(df, model.EffectiveDegreesOfFreedom.ToArray());

        solver.Fit(a.XView, a.YView, options, a.W);
        Assert.True(solver.DiagnosticsPending);
        solver.Dispose();
        Assert.Equal(condition, solver.ConditionNumbers.ToArray());
        Assert.Equal(df, solver.EffectiveDegreesOfFreedom.ToArray());
    }

    [Fact]
    public void Fits_that_need_the_estimate_still_compute_it()
    {
        // A tiny λ on nearly collinear columns: the cheap bound cannot vouch for the matrix, so the estimate decides.
        Problem pr = RandomProblem(100, 4, 1, seed: 916);
        for (int i = 0; i < pr.N; i++)
        {
            pr.X[(i * 4) + 3] = pr.X[(i * 4) + 2] + (1e-7 * pr.X[(i * 4) + 1]);
        }

        using var solver = new RidgeSolver(4);
        solver.Fit(pr.XView, pr.YView, Plain(1e-13));
        Assert.False(solver.DiagnosticsPending);
        Assert.True(solver.ConditionNumbers[0] > 1e5, $"{solver.ConditionNumbers[0]:E2}");

        // Two λ: two groups, each estimated as it is solved.
        using var two = new RidgeSolver(4, 2);
        Problem pt = RandomProblem(100, 4, 2, seed: 917);
        two.Fit(pt.XView, pt.YView, new RidgeOptions { TargetLambdas = new[] { 0.1, 0.2 }, Refine = false });
        Assert.False(two.DiagnosticsPending);

        // Statistics passed in: a moderate λ passes on double statistics, a tiny one does not.
        using var accumulator = new GramAccumulator(4, 1);
        accumulator.Add(pr.XView, pr.YView);
        solver.Fit(accumulator, Plain(0.1));
        Assert.True(solver.DiagnosticsPending);
        RidgeOptions tiny = Plain(1e-13);
        tiny.MaxConditionNumber = 1e15;
        solver.Fit(accumulator, tiny);
        Assert.False(solver.DiagnosticsPending);
        Assert.True(solver.ConditionNumbers[0] > 1e12, $"{solver.ConditionNumbers[0]:E2}");
    }

    [Fact]
    public void Accumulators_know_whether_every_row_was_double()
    {
        Problem pr = RandomProblem(30, 3, 1, seed: 918);
        float[] xf = Array.ConvertAll(pr.X, v => (float)v), yf = Array.ConvertAll(pr.Y, v => (float)v);
        using var a = new GramAccumulator(3, 1);
        using var b = new GramAccumulator(3, 1);
        Assert.True(a.DoublePrecisionOnly);
        a.Add(pr.XView, pr.YView);
        Assert.True(a.DoublePrecisionOnly);
        b.Add(new MatrixView<float>(xf, 30, 3), new MatrixView<float>(yf, 30, 1));
        Assert.False(b.DoublePrecisionOnly);
        a.Merge(b);
        Assert.False(a.DoublePrecisionOnly);
        a.Reset();
        Assert.True(a.DoublePrecisionOnly);
        a.Add(pr.XView, pr.YView);
        var bytes = new byte[a.GetSerializedSize()];
        a.Serialize(bytes);
        using GramAccumulator c = GramAccumulator.Deserialize(bytes);
        Assert.False(c.DoublePrecisionOnly);
    }
}
