using System;
using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using RidgeCore.Kernels.Iterative;

namespace RidgeCore.Iterative;

/// <summary>
/// Mini-batch SGD in <typeparamref name="T"/>: the state (θ = s·v, b, the running averages, the step counter, the
/// adaptive rate) and the epoch loop. Every step is one <see cref="BatchGradientKernel"/> pass over the batch's rows
/// plus one p-length update (<see cref="StepKernels"/>), and averaging adds one more; nothing else is O(p) and nothing
/// is O(n) except the row order, kept from fit to fit, and <see cref="SgdShuffle.Once"/>'s copy of the training rows,
/// rented from the shared array pool for the fit.
/// </summary>
internal sealed class SgdEngine<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const double FoldThreshold = 1e-9;

    private readonly T[] _v;
    private readonly T[] _gradient;
    private readonly T[] _average;
    private readonly T[] _backupV;
    private readonly T[] _backupAverage;
    private readonly T[] _theta;      // the reported coefficients in T, for Evaluate
    private readonly double[] _reported;
    private T _s = T.One;
    private T _b;
    private T _averageB;
    private long _averaged;
    private double _adaptiveRate;
    private ulong _random;
    private double _meanWeight; // w̄ of the weighted rows being fitted under MeanWeight, else 0 (see SetMeanWeight)
    private int[] _order = [];
    private int[] _batchOrder = [];
    private (T S, T B, T AverageB, long Averaged, long Steps, double Rate, ulong Random) _backup;

    public SgdEngine(int features)
    {
        Features = features;
        _v = new T[features];
        _gradient = new T[features];
        _average = new T[features];
        _backupV = new T[features];
        _backupAverage = new T[features];
        _theta = new T[features];
        _reported = new double[features];
    }

    public int Features { get; }

    /// <summary>Mini-batch steps taken over the model's life (t of the schedules).</summary>
    public long Steps { get; private set; }

    /// <summary>Writes the reported coefficients (the average when averaging, else s·v) and returns the intercept.</summary>
    public double CopyCoefficients(SgdOptions options, Span<double> destination)
    {
        bool averaged = options.Average && _averaged > 0;
        for (int j = 0; j < Features; j++)
        {
            destination[j] = averaged ? double.CreateTruncating(_average[j]) : double.CreateTruncating(_s) * double.CreateTruncating(_v[j]);
        }

        return double.CreateTruncating(averaged ? _averageB : _b);
    }

    public void Reset(SgdOptions options)
    {
        Array.Clear(_v);
        Array.Clear(_average);
        _s = T.One;
        _b = T.Zero;
        _averageB = T.Zero;
        _averaged = 0;
        Steps = 0;
        _adaptiveRate = options.LearningRate;
        _random = SplitMix((ulong)(uint)options.Seed ^ 0x5EED_0F_5CDUL);
    }

    public void Save()
    {
        _v.CopyTo(_backupV, 0);
        _average.CopyTo(_backupAverage, 0);
        _backup = (_s, _b, _averageB, _averaged, Steps, _adaptiveRate, _random);
    }

    public void Restore()
    {
        _backupV.CopyTo(_v, 0);
        _backupAverage.CopyTo(_average, 0);
        (_s, _b, _averageB, _averaged, Steps, _adaptiveRate, _random) = _backup;
    }

    /// <summary>A full fit: epochs until the stopping rule or the epoch limit.</summary>
    public (int Epochs, IterativeStopReason Reason) Fit(MatrixView<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> w, SgdOptions options)
    {
        int n = x.Rows;
        Reset(options);
        EnsureOrder(n);
        int training = n, validation = 0;
        for (int i = 0; i < n; i++)
        {
            _order[i] = i;
        }

        if (options.EarlyStopping)
        {
            validation = Math.Max(1, (int)Math.Round(options.ValidationFraction * n));
            training = n - validation;
            if (training < 1)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"x has {n} rows: too few to hold out {options.ValidationFraction:P0} and still train."), nameof(x));
            }

            ShuffleInPlace(_order.AsSpan(0, n));
            Array.Sort(_order, 0, training);   // training rows in storage order, then shuffled per epoch as asked
            Array.Sort(_order, training, validation);
        }

        if (options.BatchSize > training)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, string.Create(CultureInfo.InvariantCulture, $"options.BatchSize is {options.BatchSize} but there are only {training} training rows; it must be between 1 and the number of rows."));
        }

        SetMeanWeight(w, _order.AsSpan(0, training), options);

        bool identity = !options.EarlyStopping;
        ReadOnlySpan<int> held = _order.AsSpan(training, validation);
        if (options.Shuffle != SgdShuffle.Once)
        {
            return RunEpochs(x, y, w, _order.AsSpan(0, training), identity, held, default, options);
        }

        // Shuffle once: the first epoch is the first epoch of Rows, and it also writes each batch's rows, while they are
        // in cache, to a copy in that order; later epochs stream the copy. The copy is rented for the fit and returned
        // after it, even when the fit throws.
        int p = x.Columns;
        int length = training * p; // at most X's own length, so it fits an int
        int slack = length <= Array.MaxLength - (CacheLine / Unsafe.SizeOf<T>()) ? CacheLine / Unsafe.SizeOf<T>() : 0;
        T[] copyX = ArrayPool<T>.Shared.Rent(length + slack);
        T[] copyY = ArrayPool<T>.Shared.Rent(training);
        T[]? copyW = w.IsEmpty ? null : ArrayPool<T>.Shared.Rent(training);
        try
        {
            // The copy starts on a cache line: a misaligned one streamed 10-15 % slower at p = 256 (Zen 5). Should the
            // GC move the array during the fit (large ones live on the large-object heap, which it does not compact
            // unless told to), only that speed would be lost.
            var copy = new RowCopy<T>(copyX.AsSpan(slack > 0 ? LineOffset(copyX) : 0, length), copyY.AsSpan(0, training), copyW is null ? default : copyW.AsSpan(0, training));
            return RunEpochs(x, y, w, _order.AsSpan(0, training), identity, held, copy, options);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(copyX);
            ArrayPool<T>.Shared.Return(copyY);
            if (copyW is not null)
            {
                ArrayPool<T>.Shared.Return(copyW);
            }
        }
    }

    /// <summary>The epochs of a fit over the training <paramref name="rows"/> of X, judged on the <paramref name="held"/>
    /// rows when early stopping. With a <paramref name="copy"/> (<see cref="SgdShuffle.Once"/>) the first epoch shuffles
    /// as <see cref="SgdShuffle.Rows"/> and fills the copy, and the others run through the copy in its order.</summary>
    private (int Epochs, IterativeStopReason Reason) RunEpochs(
        MatrixView<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> w, ReadOnlySpan<int> rows, bool identity, ReadOnlySpan<int> held, RowCopy<T> copy, SgdOptions options)
    {
        bool once = !copy.X.IsEmpty;
        MatrixView<T> copied = once ? new MatrixView<T>(copy.X, copy.Y.Length, x.Columns) : default;
        double best = double.PositiveInfinity;
        int stale = 0, epoch = 0;
        bool track = options.Tolerance is not null || options.Schedule == LearningRateSchedule.Adaptive;
        while (epoch < options.MaxEpochs)
        {
            epoch++;
            bool computeLoss = track && !options.EarlyStopping;
            double loss = !once ? Epoch(x, y, w, rows, identity, options, options.Shuffle, computeLoss, default)
                : epoch == 1 ? Epoch(x, y, w, rows, identity, options, SgdShuffle.Rows, computeLoss, copy)
                : Epoch(copied, copy.Y, copy.W, default, identity: true, options, SgdShuffle.None, computeLoss, default);
            if (!track)
            {
                continue;
            }

            if (options.EarlyStopping)
            {
                loss = Evaluate(x, y, w, held, options);
            }

            double tolerance = options.Tolerance ?? 0;
            if (loss < best - tolerance)
            {
                stale = 0;
            }
            else
            {
                stale++;
            }

            best = Math.Min(best, loss);
            if (stale >= options.NoImprovementEpochs)
            {
                if (options.Schedule == LearningRateSchedule.Adaptive && _adaptiveRate / 5 >= 1e-6 * options.LearningRate)
                {
                    _adaptiveRate /= 5;
                    stale = 0;
                    continue;
                }

                if (options.Tolerance is not null || options.Schedule == LearningRateSchedule.Adaptive)
                {
                    return (epoch, options.EarlyStopping ? IterativeStopReason.EarlyStopping : IterativeStopReason.Tolerance);
                }
            }
        }

        return (epoch, IterativeStopReason.MaxIterations);
    }

    private const int CacheLine = 64;

    /// <summary>The first index of <paramref name="array"/> whose element starts a cache line (0 if none does within
    /// a line).</summary>
    private static unsafe int LineOffset(T[] array)
    {
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        int bytes = (int)((CacheLine - (address & (CacheLine - 1))) & (CacheLine - 1));
        return bytes % Unsafe.SizeOf<T>() == 0 ? bytes / Unsafe.SizeOf<T>() : 0;
    }

    /// <summary>Starts a model for <see cref="TrainEpoch"/>: state reset, row order the identity.</summary>
    internal void PrepareEpochs(int rows, SgdOptions options)
    {
        Reset(options);
        EnsureOrder(rows);
        for (int i = 0; i < rows; i++)
        {
            _order[i] = i;
        }
    }

    /// <summary>One epoch exactly as <see cref="Fit"/> runs it (shuffled per <see cref="SgdOptions.Shuffle"/>, no loss
    /// tracking, no held-out rows): what the benchmarks time. <see cref="SgdShuffle.Once"/>'s epochs are
    /// <see cref="TrainEpochCopying"/> and then <see cref="SgdShuffle.None"/> epochs over the copy.</summary>
    internal double TrainEpoch(MatrixView<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> w, SgdOptions options)
        => Epoch(x, y, w, _order.AsSpan(0, x.Rows), identity: true, options, options.Shuffle, computeLoss: false, default);

    /// <summary>The first <paramref name="count"/> entries of the row order: after an epoch of
    /// <see cref="SgdShuffle.Rows"/> over all rows, the order it visited them in.</summary>
    internal ReadOnlySpan<int> RowOrder(int count) => _order.AsSpan(0, count);

    /// <summary>The first epoch of <see cref="SgdShuffle.Once"/> as <see cref="Fit"/> runs it: an epoch of
    /// <see cref="SgdShuffle.Rows"/> that also writes the rows, in the order it visits them, to <paramref name="copyX"/>
    /// (p apart) and the labels to <paramref name="copyY"/>.</summary>
    internal double TrainEpochCopying(MatrixView<T> x, ReadOnlySpan<T> y, SgdOptions options, Span<T> copyX, Span<T> copyY)
        => Epoch(x, y, default, _order.AsSpan(0, x.Rows), identity: true, options, SgdShuffle.Rows, computeLoss: false, new RowCopy<T>(copyX, copyY, default));

    /// <summary>One pass over the given rows in their order, continuing the step counter (PartialFit).</summary>
    public void PartialFit(MatrixView<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> w, SgdOptions options)
    {
        EnsureOrder(x.Rows);
        SetMeanWeight(w, default, options);
        Epoch(x, y, w, default, identity: true, options, SgdShuffle.None, computeLoss: false, default);
    }

    /// <summary>w̄ for <see cref="SgdWeightNormalization.MeanWeight"/>: the mean of w over <paramref name="rows"/> (all
    /// of w when empty), summed in double; 0 (each batch divides by its own weight) when the rows are unweighted or
    /// the normalization is <see cref="SgdWeightNormalization.BatchWeight"/>, so that PartialFit's default path makes no
    /// pass over w.</summary>
    private void SetMeanWeight(ReadOnlySpan<T> w, ReadOnlySpan<int> rows, SgdOptions options)
    {
        _meanWeight = 0;
        if (w.IsEmpty || options.WeightNormalization != SgdWeightNormalization.MeanWeight)
        {
            return;
        }

        double sum = 0;
        int count = rows.IsEmpty ? w.Length : rows.Length;
        for (int i = 0; i < count; i++)
        {
            sum += double.CreateTruncating(w[rows.IsEmpty ? i : rows[i]]);
        }

        _meanWeight = sum / count;
    }

    /// <summary>The objective at the reported coefficients: the weighted mean loss over all rows plus the penalty
    /// (λ + λ_wd/2)‖θ‖².</summary>
    public double Objective(MatrixView<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> w, SgdOptions options)
    {
        double data = Evaluate(x, y, w, default, options);
        CopyCoefficients(options, _reported);
        double norm = VectorPrimitives.SumOfSquares(_reported);
        return data + ((options.Lambda + (options.WeightDecay / 2)) * norm);
    }

    private double Evaluate(MatrixView<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> w, ReadOnlySpan<int> rows, SgdOptions options)
    {
        // Runs after every epoch when early stopping: the engine's buffers, nothing allocated.
        T[] theta = _theta;
        double b = CopyCoefficients(options, _reported);
        for (int j = 0; j < Features; j++)
        {
            theta[j] = T.CreateTruncating(_reported[j]);
        }

        int count = rows.IsEmpty ? x.Rows : rows.Length;
        ref T x0 = ref MemoryMarshal.GetReference(x.Data);
        T bt = T.CreateTruncating(b);
        BatchSums<T> sums = options.Loss switch
        {
            SgdLoss.Logistic => BatchGradientKernel.Run(default(LogisticLoss<T>), ref x0, x.RowStride, Features, rows, 0, count, y, w, theta, T.One, bt, _gradient, computeLoss: true, streams: true),
            SgdLoss.Huber => BatchGradientKernel.Run(new HuberLoss<T>(T.CreateTruncating(options.HuberDelta)), ref x0, x.RowStride, Features, rows, 0, count, y, w, theta, T.One, bt, _gradient, computeLoss: true, streams: true),
            _ => BatchGradientKernel.Run(default(SquaredLoss<T>), ref x0, x.RowStride, Features, rows, 0, count, y, w, theta, T.One, bt, _gradient, computeLoss: true, streams: true),
        };
        return double.CreateTruncating(sums.LossSum) / double.CreateTruncating(sums.WeightSum);
    }

    private double Epoch(MatrixView<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> w, ReadOnlySpan<int> rows, bool identity, SgdOptions options, SgdShuffle mode, bool computeLoss, RowCopy<T> copy)
        => options.Loss switch
        {
            SgdLoss.Logistic => Epoch(default(LogisticLoss<T>), x, y, w, rows, identity, options, mode, computeLoss, copy),
            SgdLoss.Huber => Epoch(new HuberLoss<T>(T.CreateTruncating(options.HuberDelta)), x, y, w, rows, identity, options, mode, computeLoss, copy),
            _ => Epoch(default(SquaredLoss<T>), x, y, w, rows, identity, options, mode, computeLoss, copy),
        };

    private double Epoch<TLoss>(TLoss loss, MatrixView<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> w, ReadOnlySpan<int> rows, bool identity, SgdOptions options, SgdShuffle mode, bool computeLoss, RowCopy<T> copy)
        where TLoss : struct, IMarginLoss<T>
    {
        ref T x0 = ref MemoryMarshal.GetReference(x.Data);
        nint stride = x.RowStride;
        int count = rows.IsEmpty ? x.Rows : rows.Length;
        int batch = Math.Min(options.BatchSize, count);
        int batches = (count + batch - 1) / batch;
        Span<int> order = _order.AsSpan(0, count);
        if (mode == SgdShuffle.Rows)
        {
            ShuffleInPlace(order);
            identity = false;
        }

        if (mode == SgdShuffle.Batches)
        {
            if (_batchOrder.Length < batches)
            {
                _batchOrder = new int[batches];
            }

            for (int k = 0; k < batches; k++)
            {
                _batchOrder[k] = k;
            }

            ShuffleInPlace(_batchOrder.AsSpan(0, batches));
        }

        double lossSum = 0, weightSum = 0;
        for (int k = 0; k < batches; k++)
        {
            int index = mode == SgdShuffle.Batches ? _batchOrder[k] : k;
            int first = index * batch;
            int size = Math.Min(batch, count - first);
            ReadOnlySpan<int> slice = identity ? default : order.Slice(first, size);
            // The rows of the next batch are requested while this one computes: listed when they are listed; the
            // contiguous range of the next batch in shuffled batch order; and in storage order, the rows a few KiB
            // ahead of the work (which run on into the next batch).
            ReadOnlySpan<int> next = default;
            int available = 0, nextFirst = -1, nextCount = 0;
            if (identity && mode != SgdShuffle.Batches)
            {
                available = count - first;
            }
            else if (k + 1 < batches)
            {
                nextFirst = (mode == SgdShuffle.Batches ? _batchOrder[k + 1] : k + 1) * batch;
                nextCount = Math.Min(batch, count - nextFirst);
                if (!identity)
                {
                    next = order.Slice(nextFirst, nextCount);
                }
            }

            BatchSums<T> sums = BatchGradientKernel.Run(loss, ref x0, stride, Features, slice, first, size, y, w, _v, _s, _b, _gradient, computeLoss, next, availableRows: available, nextFirst: nextFirst, nextCount: nextCount);
            if (!copy.X.IsEmpty)
            {
                copy.Write(x, y, w, slice, first, size);
            }

            Step(sums, options, size);
            lossSum += double.CreateTruncating(sums.LossSum);
            weightSum += double.CreateTruncating(sums.WeightSum);
        }

        if (!T.IsFinite(_b) || !double.IsFinite(double.CreateTruncating(VectorPrimitivesOf.SumOfSquares(_v))))
        {
            Diverged("a coefficient became infinite or NaN", Rate(options));
        }

        return lossSum / weightSum;
    }

    private void Step(BatchSums<T> sums, SgdOptions options, int size)
    {
        if (!T.IsFinite(sums.DerivativeSum) || !T.IsFinite(sums.LossSum))
        {
            Diverged("the gradient became infinite or NaN", Rate(options));
        }

        if (!(sums.WeightSum > T.Zero))
        {
            return; // every row of the batch has weight 0: nothing to learn from it
        }

        Steps++;
        double eta = Rate(options);
        double decay = (1 - (eta * (options.Lambda + options.Lambda))) * (1 - (eta * options.WeightDecay));
        if (!(decay > 0))
        {
            Diverged(string.Create(CultureInfo.InvariantCulture, $"the decay factor (1 − 2ηλ)(1 − ηλ_wd) = {decay:G6} is not positive"), eta);
        }

        // An all-zero-weight set of rows (w̄ = 0) never gets here: its batches have no weight.
        T normalizer = _meanWeight > 0 ? T.CreateTruncating(size * _meanWeight) : sums.WeightSum;
        T step = T.CreateTruncating(-eta) / normalizer;
        if (options.ScaleTrick)
        {
            // θ' = decay·θ + step·g with θ = s·v: s' = s·decay, v' = v + (step/s')·g.
            _s *= T.CreateTruncating(decay);
            StepKernels.Axpy(step / _s, _gradient, _v);
            if (_s < T.CreateTruncating(FoldThreshold))
            {
                StepKernels.ScaleAdd(_s, _v.AsSpan(), T.Zero, _v);
                _s = T.One;
            }
        }
        else
        {
            StepKernels.DecayedStep<T>(_v, _gradient, T.CreateTruncating(decay), step);
        }

        if (options.FitIntercept)
        {
            _b += step * sums.DerivativeSum;
        }

        if (options.Average)
        {
            _averaged++;
            T weight = T.One / T.CreateTruncating(_averaged);
            StepKernels.ScaleAdd(T.One - weight, _average.AsSpan(), weight * _s, _v);
            _averageB += weight * (_b - _averageB);
        }
    }

    private double Rate(SgdOptions options)
    {
        double t = Math.Max(1, Steps);
        switch (options.Schedule)
        {
            case LearningRateSchedule.Constant:
                return options.LearningRate;
            case LearningRateSchedule.InverseScaling:
                return options.LearningRate / Math.Pow(t, options.PowerT);
            case LearningRateSchedule.Optimal:
                double mu = (2 * options.Lambda) + options.WeightDecay;
                double t0 = Math.Max(0, (1 / (mu * options.LearningRate)) - 1);
                return 1 / (mu * (t0 + t));
            default:
                return _adaptiveRate;
        }
    }

    private void Diverged(string what, double eta)
        => throw new DivergenceException(
            string.Create(CultureInfo.InvariantCulture, $"SGD diverged at step {Steps}: {what} (learning rate {eta:G6}). Use a smaller LearningRate (η), a decaying schedule, or scaled features; the coefficients were left as they were before the call."),
            Steps,
            eta);

    private void EnsureOrder(int n)
    {
        if (_order.Length < n)
        {
            _order = new int[n];
        }
    }

    /// <summary>Fisher–Yates with the engine's own generator (SplitMix64), so an order depends on the seed alone, not
    /// on the runtime's Random implementation.</summary>
    /// <remarks>SplitMix64 is used as designed, as a counter (state += γ) whose output is a mix of the counter: the
    /// only dependency from one draw to the next is the addition, so the mixes of successive draws overlap in the
    /// pipeline. Feeding each output back as the next state (as this engine first did) chains two multiplications per
    /// draw and made the shuffle latency-bound, about 0.45 ms per 10⁵ rows under load against 0.2 ms now.</remarks>
    private void ShuffleInPlace(Span<int> items)
    {
        ulong state = _random;
        ref int first = ref MemoryMarshal.GetReference(items);
        for (int i = items.Length - 1; i > 0; i--)
        {
            // Lemire's multiply-shift maps 32 random bits to [0, i] without a 64-bit division (a division per row cost
            // ~1 ms per 10⁵-row epoch, a fifth of the epoch); its bias, below (i + 1)/2³², does not matter here.
            state += Golden;
            int j = (int)(((Mix(state) >> 32) * (ulong)(uint)(i + 1)) >> 32);
            ref int a = ref Unsafe.Add(ref first, i);
            ref int b = ref Unsafe.Add(ref first, j);
            (a, b) = (b, a);
        }

        _random = state;
    }

    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    private static ulong SplitMix(ulong state) => Mix(state + Golden);

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>Where the first epoch of <see cref="SgdShuffle.Once"/> writes the rows it visits: X's rows packed (p
/// apart), the labels and the weights (empty when unweighted), each at its position in the epoch's order.</summary>
internal readonly ref struct RowCopy<T>(Span<T> x, Span<T> y, Span<T> w)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public Span<T> X { get; } = x;

    public Span<T> Y { get; } = y;

    public Span<T> W { get; } = w;

    /// <summary>Copies the batch that starts at position <paramref name="first"/> of the epoch: rows
    /// <paramref name="rows"/> of X (or the contiguous rows from <paramref name="first"/> when empty), just read by
    /// the batch's pass and still in cache.</summary>
    public void Write(MatrixView<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> w, ReadOnlySpan<int> rows, int first, int size)
    {
        int p = x.Columns;
        for (int j = 0; j < size; j++)
        {
            int r = rows.IsEmpty ? first + j : rows[j];
            x.Data.Slice((int)((long)r * x.RowStride), p).CopyTo(X.Slice((first + j) * p, p));
            Y[first + j] = y[r];
            if (!W.IsEmpty)
            {
                W[first + j] = w[r];
            }
        }
    }
}

/// <summary>Sum of squares for either precision, through <see cref="VectorPrimitives"/>.</summary>
internal static class VectorPrimitivesOf
{
    public static T SumOfSquares<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Kernels.Primitives.ReductionDriver.Reduce<T, Kernels.Primitives.SumOfSquaresAccumulator<T>>(x);
}
