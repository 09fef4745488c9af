using System;
using System.Collections.Generic;
using Xunit;
using static RidgeCore.Tests.RidgeEstimator.RidgeReference;

namespace RidgeCore.Tests.RidgeEstimator;

/// <summary>After warm-up a <see cref="RidgeSolver"/> refits, and a <see cref="RidgeModel"/> predicts, without
/// allocating on the managed heap.</summary>
public class RidgeAllocationTests
{
    [Theory]
    [InlineData(false, true, false)]
    [InlineData(false, false, true)]
    [InlineData(true, true, true)]
    public void In_memory_refits_allocate_nothing(bool isFloat, bool refine, bool weighted)
    {
        Problem pr = RandomProblem(1000, 32, 1, seed: 51, weighted: weighted, zeroWeights: weighted);
        float[] xf = ToSingle(pr.X), yf = ToSingle(pr.Y), wf = weighted ? ToSingle(pr.W!) : [];
        using var solver = new RidgeSolver(32);
        var options = new RidgeOptions { Lambda = 0.01, Refine = refine };
        var coefficients = new double[32];
        var intercepts = new double[1];
        void Fit()
        {
            if (isFloat) solver.Fit(new MatrixView<float>(xf, 1000, 32), new MatrixView<float>(yf, 1000, 1), options, wf);
            else solver.Fit(pr.XView, pr.YView, options, pr.W);
            solver.CopyTo(coefficients, intercepts);
            options.Lambda *= 1.01;
        }

        AssertNoAllocation(Fit);
        Assert.Equal(refine ? RidgeSolverPath.CholeskyRefined : RidgeSolverPath.Cholesky, solver.SolverPaths[0]);
    }

    [Fact]
    public void In_memory_refit_of_more_rows_than_one_chunk_allocates_nothing()
    {
        Problem pr = RandomProblem(20_000, 4, 2, seed: 52);
        using var solver = new RidgeSolver(4, 2);
        var options = new RidgeOptions { Lambda = 0.01 };
        AssertNoAllocation(() => solver.Fit(pr.XView, pr.YView, options));
    }

    [Fact]
    public void Refits_from_statistics_with_new_lambdas_allocate_nothing()
    {
        Problem pr = RandomProblem(200, 40, 3, seed: 53);
        using var acc = new GramAccumulator(40, 3);
        acc.Add(pr.XView, pr.YView);
        using var solver = new RidgeSolver(40, 3);
        var lambdas = new double[] { 0.1, 0.2, 0.1 };
        var options = new RidgeOptions { TargetLambdas = lambdas, Standardize = true };
        AssertNoAllocation(() =>
        {
            solver.Fit(acc, options);
            lambdas[0] *= 1.1;
            lambdas[2] = lambdas[0];
        });
        Assert.True(solver.EffectiveDegreesOfFreedom[1] < 40);
    }

    [Fact]
    public void Predict_and_PredictRow_allocate_nothing()
    {
        Problem pr = RandomProblem(300, 16, 2, seed: 54);
        RidgeModel model = Ridge.Fit(pr.XView, pr.YView, new RidgeOptions { Lambda = 0.1 });
        var batch = new double[300 * 2];
        var row = new double[2];
        float[] xf = ToSingle(pr.X);
        var batchF = new float[300 * 2];
        var rowF = new float[2];
        AssertNoAllocation(() =>
        {
            model.Predict(pr.XView, batch);
            model.PredictRow(pr.X.AsSpan(16, 16), row);
            model.Predict(new MatrixView<float>(xf, 300, 16), batchF);
            model.PredictRow(xf.AsSpan(16, 16), rowF);
        });
        Assert.Equal(batch[2], row[0]);
        Assert.Equal(batch[3], row[1]);
    }

    /// <summary>Warms up, then requires a window of five calls to allocate nothing. A one-off allocation by the runtime
    /// (a late tier-up, seen under load in the Gram tests) can spoil one window, so up to four are tried; an allocation
    /// per call spoils every one.</summary>
    internal static void AssertNoAllocation(Action action)
    {
        for (int i = 0; i < 3; i++) action();
        var windows = new List<long>(4);
        for (int attempt = 0; attempt < 4; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 5; i++) action();
            windows.Add(GC.GetAllocatedBytesForCurrentThread() - before);
            if (windows[^1] == 0) break;
        }

        Assert.True(windows[^1] == 0, $"bytes allocated by 5 calls, per window: {string.Join(", ", windows)}");
    }
}
