using System;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;
using RidgeCore.Benchmarks.Infrastructure;
using RidgeCore.Iterative;

namespace RidgeCore.Benchmarks.Iterative;

/// <summary>
/// One epoch of mini-batch SGD, squared loss, batch 32, double, single thread, n = 100 000 rows of P features: what
/// each epoch of <see cref="SgdRegressor.Fit(MatrixView{double}, ReadOnlySpan{double})"/> runs (the engine is called
/// directly so the fit's final objective pass is not timed). The floors: at least 8× faster than scikit-learn's
/// SGDRegressor epoch (about 72 ms at P = 64, 140 ms at P = 256 on the reference machine; bench/sklearn/sgd_epoch.py
/// times it on yours) and at least 60 % of the single-core read bandwidth, counting the bytes of X streamed.
/// </summary>
/// <remarks>
/// <para><c>Epoch</c> shuffles rows (a new permutation each epoch, as scikit-learn does): each batch gathers 32 random
/// rows, fetched with software prefetches one batch ahead. <c>EpochBatchShuffle</c> visits contiguous batches in a
/// random order, so X streams like a sequential read. <c>EpochScaleTrickOff</c> is <c>Epoch</c> with the decay applied to
/// every coefficient each step instead of to the scale s. <c>EpochUnshuffled</c> is a diagnostic, not a way to train:
/// the rows in storage order (no permutation drawn, the hardware prefetcher streams X), so Epoch − EpochUnshuffled is
/// what the gather of shuffled rows and the shuffle itself cost. <c>RowGather</c> is a ceiling, not SGD: it only sums
/// the rows of X in a shuffled order (one permutation drawn at setup), with the epoch's software prefetch of the rows
/// one batch (32 rows) ahead, so it shows how fast this machine delivers X in random row order at all.
/// <c>EpochShuffleOnceFirst</c> and <c>EpochShuffleOnce</c> are the first and every later epoch of
/// <see cref="SgdShuffle.Once"/> (one permutation per fit: the first epoch writes the rows to a copy in its order, the
/// others stream the copy). <c>FitTenEpochs</c> and <c>FitTenEpochsShuffleOnce</c> are whole ten-epoch fits with each
/// order, first epoch and final objective pass included (credited 11·n·P·8 bytes).</para>
/// <para>Work credited per call: n·P·8 bytes of X read (y, the row order and the p-length state are not counted).</para>
/// </remarks>
[WorkPerElement(nameof(BytesOfX), BytesRead = 1)]
public class SgdBenchmarks
{
    private const int Rows = 100_000;

    private NativeBuffer<double> _x = null!;
    private NativeBuffer<double> _y = null!;
    private SgdEngine<double> _engine = null!;
    private SgdOptions _rows = null!;
    private SgdOptions _batches = null!;
    private SgdOptions _noTrick = null!;
    private SgdOptions _unshuffled = null!;
    private int[] _order = null!;
    private NativeBuffer<double> _copyX = null!;
    private SgdRegressor _fitRows = null!;
    private SgdRegressor _fitOnce = null!;
    private NativeBuffer<double> _copyY = null!;

    /// <summary>The number of features.</summary>
    [Params(64, 256)]
    public int P { get; set; }

    /// <summary>Bytes of X streamed per epoch.</summary>
    /// <param name="p">The number of features.</param>
    /// <returns>n·p·8.</returns>
    public static double BytesOfX(int p) => (double)Rows * p * sizeof(double);

    /// <summary>Bytes of X read by a ten-epoch fit: ten epochs and the final objective pass (the copy that
    /// <see cref="SgdShuffle.Once"/> writes is not counted).</summary>
    /// <param name="p">The number of features.</param>
    /// <returns>11·n·p·8.</returns>
    public static double BytesOfTenEpochFit(int p) => 11 * BytesOfX(p);

    /// <summary>Fills X (uniform in [−1, 1)) and y = X·β + noise, and prepares the engine.</summary>
    [GlobalSetup]
    public unsafe void Setup()
    {
        TierGuard.Check();
        _x = new NativeBuffer<double>(Rows * P);
        _y = new NativeBuffer<double>(Rows);
        _x.FillUniform(seed: 31);
        var beta = new NativeBuffer<double>(P);
        beta.FillUniform(seed: 32);
        var noise = new NativeBuffer<double>(Rows);
        noise.FillUniform(seed: 33, low: -0.1, high: 0.1);
        for (int i = 0; i < Rows; i++)
        {
            _y.Data[i] = VectorPrimitives.Dot(new ReadOnlySpan<double>(_x.Data + ((long)i * P), P), beta.Span) + noise.Data[i];
        }

        beta.Dispose();
        noise.Dispose();
        _rows = new SgdOptions { BatchSize = 32, Lambda = 1e-4, Schedule = LearningRateSchedule.InverseScaling, LearningRate = 0.001, Shuffle = SgdShuffle.Rows };
        _batches = _rows.Clone();
        _batches.Shuffle = SgdShuffle.Batches;
        _noTrick = _rows.Clone();
        _noTrick.ScaleTrick = false;
        _unshuffled = _rows.Clone();
        _unshuffled.Shuffle = SgdShuffle.None;
        SgdOptions fit = _rows.Clone();
        fit.MaxEpochs = 10;
        fit.Tolerance = null;
        _fitRows = new SgdRegressor(fit);
        SgdOptions fitOnce = fit.Clone();
        fitOnce.Shuffle = SgdShuffle.Once;
        _fitOnce = new SgdRegressor(fitOnce);
        _engine = new SgdEngine<double>(P);
        _engine.PrepareEpochs(Rows, _rows);
        _order = new int[Rows];
        for (int i = 0; i < Rows; i++)
        {
            _order[i] = i;
        }

        new Random(34).Shuffle(_order);
        _copyX = new NativeBuffer<double>(Rows * P);
        _copyY = new NativeBuffer<double>(Rows);
        _engine.TrainEpochCopying(X, Y, _rows, _copyX.Span, _copyY.Span);
    }

    /// <summary>Frees the buffers.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _x.Dispose();
        _y.Dispose();
        _copyX.Dispose();
        _copyY.Dispose();
    }

    /// <summary>One epoch, rows shuffled.</summary>
    /// <returns>The mean loss (0: not tracked) — returned so the call is not dead code.</returns>
    [Benchmark(Baseline = true)]
    public double Epoch() => _engine.TrainEpoch(X, Y, default, _rows);

    /// <summary>One epoch, contiguous batches in shuffled order.</summary>
    /// <returns>The mean loss (0: not tracked).</returns>
    [Benchmark]
    public double EpochBatchShuffle() => _engine.TrainEpoch(X, Y, default, _batches);

    /// <summary>One epoch, rows shuffled, decay applied to θ every step.</summary>
    /// <returns>The mean loss (0: not tracked).</returns>
    [Benchmark]
    public double EpochScaleTrickOff() => _engine.TrainEpoch(X, Y, default, _noTrick);

    /// <summary>The first epoch of <see cref="SgdShuffle.Once"/>: an epoch of rows shuffled that also writes each
    /// batch's rows, in the order visited, to the copy the later epochs stream.</summary>
    /// <returns>The mean loss (0: not tracked).</returns>
    [Benchmark]
    public double EpochShuffleOnceFirst() => _engine.TrainEpochCopying(X, Y, _rows, _copyX.Span, _copyY.Span);

    /// <summary>Every later epoch of <see cref="SgdShuffle.Once"/>: the rows of the shuffled copy (made at setup by
    /// <see cref="EpochShuffleOnceFirst"/>, as a fit's first epoch makes it) in its order. The credited bytes are the
    /// copy's, n·P·8 as for X.</summary>
    /// <returns>The mean loss (0: not tracked).</returns>
    [Benchmark]
    public double EpochShuffleOnce() => _engine.TrainEpoch(new MatrixView<double>(_copyX.Span, Rows, P), _copyY.Span, default, _unshuffled);

    /// <summary>A whole <see cref="SgdRegressor.Fit(MatrixView{double}, ReadOnlySpan{double})"/> of ten epochs, rows
    /// reshuffled every epoch (the options of <see cref="Epoch"/>, no stopping rule), final objective pass included.</summary>
    /// <returns>The final objective.</returns>
    [Benchmark]
    [WorkPerElement(nameof(BytesOfTenEpochFit), BytesRead = 1)]
    public double FitTenEpochs() => _fitRows.Fit(X, Y).Objective;

    /// <summary><see cref="FitTenEpochs"/> with <see cref="SgdShuffle.Once"/>: its first epoch writes the shuffled copy
    /// (rented from the shared pool, so only the first call allocates it), the nine others stream it.</summary>
    /// <returns>The final objective.</returns>
    [Benchmark]
    [WorkPerElement(nameof(BytesOfTenEpochFit), BytesRead = 1)]
    public double FitTenEpochsShuffleOnce() => _fitOnce.Fit(X, Y).Objective;

    /// <summary>Diagnostic: one epoch with the rows in storage order.</summary>
    /// <returns>The mean loss (0: not tracked).</returns>
    [Benchmark]
    public double EpochUnshuffled() => _engine.TrainEpoch(X, Y, default, _unshuffled);

    /// <summary>Ceiling: the rows of X summed in a shuffled order, each row requested 32 rows (one batch) ahead.</summary>
    /// <returns>The sum of every value of X.</returns>
    [Benchmark]
    public unsafe double RowGather()
    {
        const int ahead = 32;
        int p = P;
        double* x = _x.Data;
        Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default;
        for (int k = 0; k < Rows; k++)
        {
            if (Sse.IsSupported && k + ahead < Rows)
            {
                byte* next = (byte*)(x + ((long)_order[k + ahead] * p));
                for (int o = 0; o < p * sizeof(double); o += 64)
                {
                    Sse.Prefetch0(next + o);
                }
            }

            double* row = x + ((long)_order[k] * p);
            for (int j = 0; j + 16 <= p; j += 16)
            {
                a0 += Vector256.Load(row + j);
                a1 += Vector256.Load(row + j + 4);
                a2 += Vector256.Load(row + j + 8);
                a3 += Vector256.Load(row + j + 12);
            }
        }

        return Vector256.Sum((a0 + a1) + (a2 + a3));
    }

    private unsafe MatrixView<double> X => new(new ReadOnlySpan<double>(_x.Data, Rows * P), Rows, P);

    private unsafe ReadOnlySpan<double> Y => new(_y.Data, Rows);
}
