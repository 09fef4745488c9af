using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using RidgeCore.Benchmarks.Baselines;
using RidgeCore.Benchmarks.Infrastructure;

namespace RidgeCore.Benchmarks.Primitives;

/// <summary>
/// The level-1 primitives against OpenBLAS (the baseline of each category) and a plain loop: double dot product and
/// axpy at n = 10³ (in L1), 10⁵ (in L2) and 10⁷ (160 MB, out of every cache). Both bandwidth-bound, so the
/// interesting columns are GB/s and % of the probe's read bandwidth; the targets are ≥ 80 % of read
/// bandwidth at 10⁷ and no slower than OpenBLAS at every size.
/// </summary>
/// <remarks>
/// Traffic counted per element: dot reads x and y (16 bytes); axpy reads x and y and writes y (16 + 8 = 24 bytes).
/// The write of y is counted because it costs DRAM bandwidth out of cache; y's read-for-ownership is not counted
/// separately, since y is read anyway. Every contender gets the same 64-byte-aligned native buffers, filled once from
/// a fixed seed.
/// </remarks>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public unsafe class PrimitiveBenchmarks
{
    // Small enough that y drifts by at most n_invocations · 1e-9 per element: no overflow, no subnormals, ever.
    private const double Alpha = 1e-9;

    private NativeBuffer<double> _x = null!;
    private NativeBuffer<double> _y = null!;

    /// <summary>The vector length.</summary>
    [Params(1_000, 100_000, 10_000_000)]
    public int N { get; set; }

    /// <summary>Checks the tier, pins OpenBLAS to one thread and fills the inputs.</summary>
    [GlobalSetup]
    public void Setup()
    {
        TierGuard.Check();
        if (OpenBlas.IsAvailable)
        {
            OpenBlas.SetNumThreads(1);
        }

        _x = new NativeBuffer<double>(N);
        _y = new NativeBuffer<double>(N);
        _x.FillUniform(seed: 1);
        _y.FillUniform(seed: 2);
    }

    /// <summary>Frees the buffers.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _x.Dispose();
        _y.Dispose();
    }

    /// <summary>OpenBLAS <c>cblas_ddot</c>.</summary>
    /// <returns>x·y.</returns>
    [Benchmark(Baseline = true), BenchmarkCategory("Dot"), RequiresOpenBlas, WorkPerElement(nameof(N), BytesRead = 16)]
    public double OpenBlasDdot() => OpenBlas.Ddot(N, _x.Data, 1, _y.Data, 1);

    /// <summary>RidgeCore <see cref="VectorPrimitives.Dot(ReadOnlySpan{double}, ReadOnlySpan{double})"/>.</summary>
    /// <returns>x·y.</returns>
    [Benchmark, BenchmarkCategory("Dot"), WorkPerElement(nameof(N), BytesRead = 16)]
    public double RidgeCoreDot() => VectorPrimitives.Dot(new ReadOnlySpan<double>(_x.Data, N), new ReadOnlySpan<double>(_y.Data, N));

    /// <summary>A plain loop: what the code looks like without RidgeCore (one dependency chain, no SIMD).</summary>
    /// <returns>x·y.</returns>
    [Benchmark, BenchmarkCategory("Dot"), WorkPerElement(nameof(N), BytesRead = 16)]
    public double NaiveDot()
    {
        ReadOnlySpan<double> x = new(_x.Data, N);
        ReadOnlySpan<double> y = new(_y.Data, N);
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }

    /// <summary>OpenBLAS <c>cblas_daxpy</c>: y ← αx + y.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Axpy"), RequiresOpenBlas, WorkPerElement(nameof(N), BytesRead = 16, BytesWritten = 8)]
    public void OpenBlasDaxpy() => OpenBlas.Daxpy(N, Alpha, _x.Data, 1, _y.Data, 1);

    /// <summary>RidgeCore <see cref="VectorPrimitives.Axpy(double, ReadOnlySpan{double}, Span{double})"/>: y ← αx + y.</summary>
    [Benchmark, BenchmarkCategory("Axpy"), WorkPerElement(nameof(N), BytesRead = 16, BytesWritten = 8)]
    public void RidgeCoreAxpy() => VectorPrimitives.Axpy(Alpha, new ReadOnlySpan<double>(_x.Data, N), new Span<double>(_y.Data, N));

    /// <summary>A plain loop: y ← αx + y.</summary>
    [Benchmark, BenchmarkCategory("Axpy"), WorkPerElement(nameof(N), BytesRead = 16, BytesWritten = 8)]
    public void NaiveAxpy()
    {
        ReadOnlySpan<double> x = new(_x.Data, N);
        Span<double> y = new(_y.Data, N);
        for (int i = 0; i < y.Length; i++)
        {
            y[i] += Alpha * x[i];
        }
    }
}
