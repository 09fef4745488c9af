using System;
using BenchmarkDotNet.Attributes;
using RidgeCore.Benchmarks.Infrastructure;

namespace RidgeCore.Benchmarks.Gram;

/// <summary>
/// The streaming case a latency-bound service runs: one <c>Add</c> of a 1 000 × 32 batch (with two targets and
/// weights) into an accumulator that lives across calls. The memory diagnoser's Allocated column must read 0 B: the
/// accumulator owns every buffer it needs from construction on.
/// </summary>
[WorkPerElement(nameof(FlopCount), Flops = 1)]
public unsafe class GramAddBatchBenchmarks
{
    private const int Rows = 1_000;
    private const int Features = 32;
    private const int Targets = 2;
    private NativeBuffer<double> _x = null!;
    private NativeBuffer<double> _y = null!;
    private NativeBuffer<double> _w = null!;
    private GramAccumulator _acc = null!;

    /// <summary>The flops of one batch: n·p·(p+1) for XᵀX (the targets' columns are extra work, not counted).</summary>
    /// <returns>The flop count.</returns>
    public static double FlopCount() => (double)Rows * Features * (Features + 1);

    /// <summary>Fills the batch and creates the accumulator.</summary>
    [GlobalSetup]
    public void Setup()
    {
        TierGuard.Check();
        _x = new NativeBuffer<double>(Rows * Features);
        _y = new NativeBuffer<double>(Rows * Targets);
        _w = new NativeBuffer<double>(Rows);
        _x.FillUniform(seed: 21);
        _y.FillUniform(seed: 22);
        _w.FillUniform(seed: 23, low: 0.5, high: 2);
        _acc = new GramAccumulator(Features, Targets);
    }

    /// <summary>Frees everything.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _x.Dispose();
        _y.Dispose();
        _w.Dispose();
        _acc.Dispose();
    }

    /// <summary>One weighted Add of 1 000 × 32 (+ 2 targets) into a running accumulator.</summary>
    /// <returns>Σw so far.</returns>
    [Benchmark]
    public double Add1000x32()
    {
        _acc.Add(
            new MatrixView<double>(new ReadOnlySpan<double>(_x.Data, Rows * Features), Rows, Features),
            new MatrixView<double>(new ReadOnlySpan<double>(_y.Data, Rows * Targets), Rows, Targets),
            new ReadOnlySpan<double>(_w.Data, Rows));
        return _acc.WeightSum;
    }
}
