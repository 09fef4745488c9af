using System;
using BenchmarkDotNet.Attributes;
using RidgeCore.Benchmarks.Baselines;
using RidgeCore.Benchmarks.Infrastructure;

namespace RidgeCore.Benchmarks.Gram;

/// <summary>
/// The Gram kernel against OpenBLAS dsyrk on the same X (n × P, row-major): n = 100 000 rows for P = 64 and 256,
/// 20 000 for P = 1024. RidgeCore does more work than the baseline: it centers every column (weighted means by the
/// Chan update), appends y as an extra column (Xᵀy and yᵀy come out of the same pass) and writes double statistics;
/// OpenBLAS computes only the uncentered lower triangle of XᵀX. Throughput counts n·P·(P+1) flops for everyone.
/// </summary>
/// <remarks>
/// <c>RidgeCoreFloat</c> runs the same data rounded to float (panels and micro-kernel in float, totals in double).
/// <c>RidgeCoreTwoThreads</c> sets <see cref="GramAccumulator.DegreeOfParallelism"/> = 2; its result is bitwise
/// identical to the one-thread run (the stripes depend only on n and P).
/// </remarks>
[WorkPerElement(nameof(FlopCount), Flops = 1)]
public unsafe class GramBenchmarks
{
    private NativeBuffer<double> _x = null!;
    private NativeBuffer<double> _y = null!;
    private NativeBuffer<float> _xf = null!;
    private NativeBuffer<float> _yf = null!;
    private NativeBuffer<double> _c = null!;
    private GramAccumulator _single = null!;
    private GramAccumulator _twoThreads = null!;
    private GramAccumulator _float = null!;

    /// <summary>The number of features.</summary>
    [Params(64, 256, 1024)]
    public int P { get; set; }

    /// <summary>The number of rows for a given P.</summary>
    /// <param name="p">The number of features.</param>
    /// <returns>The number of rows.</returns>
    public static int Rows(int p) => p >= 1024 ? 20_000 : 100_000;

    /// <summary>The flops credited to one call: n·P·(P+1) (the lower triangle of XᵀX with FMA counted as 2).</summary>
    /// <param name="p">The number of features.</param>
    /// <returns>The flop count.</returns>
    public static double FlopCount(int p) => (double)Rows(p) * p * (p + 1);

    /// <summary>Allocates and fills X, y (and float copies), pins OpenBLAS to one thread, creates the accumulators.</summary>
    [GlobalSetup]
    public void Setup()
    {
        TierGuard.Check();
        if (Baselines.OpenBlas.IsAvailable)
        {
            Baselines.OpenBlas.SetNumThreads(1);
        }

        int n = Rows(P);
        _x = new NativeBuffer<double>(n * P);
        _y = new NativeBuffer<double>(n);
        _x.FillUniform(seed: 11);
        _y.FillUniform(seed: 12);
        _xf = new NativeBuffer<float>(n * P);
        _yf = new NativeBuffer<float>(n);
        for (int i = 0; i < n * P; i++)
        {
            _xf.Data[i] = (float)_x.Data[i];
        }

        for (int i = 0; i < n; i++)
        {
            _yf.Data[i] = (float)_y.Data[i];
        }

        _c = new NativeBuffer<double>(P * P);
        _single = new GramAccumulator(P, 1);
        _twoThreads = new GramAccumulator(P, 1) { DegreeOfParallelism = 2 };
        _float = new GramAccumulator(P, 1);
    }

    /// <summary>Frees everything.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _x.Dispose();
        _y.Dispose();
        _xf.Dispose();
        _yf.Dispose();
        _c.Dispose();
        _single.Dispose();
        _twoThreads.Dispose();
        _float.Dispose();
    }

    /// <summary>OpenBLAS <c>cblas_dsyrk</c>: lower(XᵀX), uncentered, no y.</summary>
    [Benchmark(Baseline = true)]
    [RequiresOpenBlas]
    public void OpenBlas()
        => Baselines.OpenBlas.Dsyrk(CblasOrder.RowMajor, CblasUplo.Lower, CblasTranspose.Trans, P, Rows(P), 1.0, _x.Data, P, 0.0, _c.Data, P);

    /// <summary>RidgeCore, double, one thread: centered Cxx, Cxy, Cyy, means and Σw.</summary>
    /// <returns>Σw, so the work cannot be dropped.</returns>
    [Benchmark]
    public double RidgeCore() => Run(_single, _x, _y);

    /// <summary>RidgeCore, float input (float panels, double totals), one thread.</summary>
    /// <returns>Σw.</returns>
    [Benchmark]
    [WorkPerElement(nameof(FlopCount), Flops = 1, SinglePrecision = true)]
    public double RidgeCoreFloat()
    {
        int n = Rows(P);
        _float.Reset();
        _float.Add(new MatrixView<float>(new ReadOnlySpan<float>(_xf.Data, n * P), n, P), new MatrixView<float>(new ReadOnlySpan<float>(_yf.Data, n), n, 1));
        return _float.WeightSum;
    }

    /// <summary>RidgeCore, double, two threads.</summary>
    /// <returns>Σw.</returns>
    [Benchmark]
    public double RidgeCoreTwoThreads() => Run(_twoThreads, _x, _y);

    private double Run(GramAccumulator acc, NativeBuffer<double> x, NativeBuffer<double> y)
    {
        int n = Rows(P);
        acc.Reset();
        acc.Add(new MatrixView<double>(new ReadOnlySpan<double>(x.Data, n * P), n, P), new MatrixView<double>(new ReadOnlySpan<double>(y.Data, n), n, 1));
        return acc.WeightSum;
    }
}
