using System;
using BenchmarkDotNet.Attributes;
using RidgeCore.Benchmarks.Infrastructure;

namespace RidgeCore.Benchmarks.Selection;

/// <summary>
/// λ selection at n = 100 000 rows, P = 64 features, one target, double, single thread. The targets:
/// <c>LeaveOneOut13</c> (13 λ) at least 20× faster than scikit-learn's RidgeCV with the same 13 alphas (its default
/// efficient LOO; time it with <c>bench/sklearn/ridgecv_loo.py</c> on the same machine), i.e. about 50 ms or less; and
/// <c>KFold5x50</c> (5 folds, 50 λ) at most 1.3× <c>SingleFit</c> (the ratio column, SingleFit being the baseline).
/// </summary>
/// <remarks>
/// <para><c>SingleFit</c> is one plain fit of the same data at one λ through a reusable <see cref="RidgeSolver"/>
/// (Gram pass, Cholesky, no refinement). <c>LeaveOneOut13</c> runs <see cref="RidgeCV.LeaveOneOut(MatrixView{double}, MatrixView{double}, ReadOnlySpan{double}, RidgeOptions)"/>
/// on λ = αᵢ/n with α = 10⁻³ … 10³ (13 points, the alphas of the scikit-learn script): Gram pass, eigendecomposition,
/// the batched U = X̃·S·V pass scoring all 13 λ per block, the trace and the refit from statistics.
/// <c>KFold5x50</c> runs <see cref="RidgeCV.KFold(MatrixView{double}, MatrixView{double}, ReadOnlySpan{double}, RidgeOptions, int, int)"/>
/// with a seeded 5-fold split on the 50-point default grid (computed in the setup): one pass into five
/// accumulators, one tridiagonal reduction per training set, every λ by a tridiagonal solve and one batched
/// product per fold, plus one eigendecomposition of the whole data for the trace and df.</para>
/// <para>The library allocates the result objects (scores, trace, model: a few tens of KB) and, for k-fold, the fold
/// assignment (n ints) and the gather buffers; MemoryDiagnoser reports them.</para>
/// </remarks>
public unsafe class CrossValidationBenchmarks
{
    /// <summary>The number of rows.</summary>
    public const int Rows = 100_000;

    private NativeBuffer<double> _x = null!;
    private NativeBuffer<double> _y = null!;
    private double[] _grid13 = [];
    private double[] _grid50 = [];
    private RidgeSolver _solver = null!;
    private RidgeOptions _options = null!;

    /// <summary>The number of features.</summary>
    [Params(64)]
    public int P { get; set; }

    /// <summary>Makes X (uniform), y = X·β + noise, the two grids and the solver.</summary>
    [GlobalSetup]
    public void Setup()
    {
        TierGuard.Check();
        int n = Rows, p = P;
        _x = new NativeBuffer<double>(n * p);
        _y = new NativeBuffer<double>(n);
        _x.FillUniform(seed: 31);
        _y.FillUniform(seed: 32, low: -0.5, high: 0.5);
        for (int i = 0; i < n; i++)
        {
            double v = 0;
            for (int j = 0; j < p; j++)
            {
                v += _x.Data[((long)i * p) + j] * ((j % 7) - 3);
            }

            _y.Data[i] += v;
        }

        _grid13 = new double[13];
        for (int i = 0; i < 13; i++)
        {
            _grid13[i] = Math.Pow(10, -3 + (0.5 * i)) / n;
        }

        _options = new RidgeOptions { Lambda = 1e-3, Refine = false };
        _grid50 = RidgeCV.DefaultLambdaGrid(X, _options);
        _solver = new RidgeSolver(p);
    }

    /// <summary>Frees everything.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _x.Dispose();
        _y.Dispose();
        _solver.Dispose();
    }

    private MatrixView<double> X => new(new ReadOnlySpan<double>(_x.Data, Rows * P), Rows, P);

    private MatrixView<double> Y => new(new ReadOnlySpan<double>(_y.Data, Rows), Rows, 1);

    /// <summary>One plain fit at one λ (the baseline of the ratio column).</summary>
    /// <returns>The first coefficient.</returns>
    [Benchmark(Baseline = true)]
    public double SingleFit()
    {
        _solver.Fit(X, Y, _options);
        return _solver.Coefficients[0];
    }

    /// <summary>Exact leave-one-out over 13 λ.</summary>
    /// <returns>The chosen λ.</returns>
    [Benchmark]
    public double LeaveOneOut13() => RidgeCV.LeaveOneOut(X, Y, _grid13, _options).BestLambda;

    /// <summary>5-fold cross-validation over the 50-point default grid.</summary>
    /// <returns>The chosen λ.</returns>
    [Benchmark]
    public double KFold5x50() => RidgeCV.KFold(X, Y, _grid50, _options, 5, 1).BestLambda;
}
