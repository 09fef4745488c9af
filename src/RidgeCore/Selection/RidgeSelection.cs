using System;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using RidgeCore.Internal;
using RidgeCore.Kernels.Selection;
using RidgeCore.Models;

namespace RidgeCore.Selection;

/// <summary>
/// The λ-search pipelines behind <see cref="RidgeCV"/>: validation, the statistics pass, the leave-one-out pass, GCV,
/// k-fold from per-fold statistics, and the assembly of a <see cref="RidgeSearchResult"/>.
/// </summary>
internal static unsafe class RidgeSelection
{
    /// <summary>Rows per block of the leave-one-out pass: the centered block and U (128 × p doubles each, 64 KiB at
    /// p = 64) and the per-λ products stay in L2 between the three products and the scoring.</summary>
    private const int BlockRows = 128;

    /// <summary>Rows gathered per fold before they go to the fold's accumulator: one packed Gram panel (KC = 256), and
    /// five folds of 256 × 64 doubles stay in L2.</summary>
    private const int FoldBufferRows = 256;

    /// <summary>Runs of one fold at least this long are added straight from X: the accumulator's per-batch overhead
    /// (an O((p + t)²) merge) is then a few percent of the batch's Gram work.</summary>
    private const int DirectRunRows = 32;

    /// <summary>The largest chunk of consecutive rows that seeded folds deal as a unit (one packed Gram panel).</summary>
    private const int MaxFoldChunk = 256;

    public static void CheckStatistics(GramAccumulator statistics, string paramName)
    {
        if (statistics.Mode != GramMode.Centered)
        {
            RidgeThrow.Shape(paramName, "λ selection needs centered statistics (GramMode.Centered); they serve fits with and without an intercept.");
        }

        if (!(statistics.WeightSum > 0))
        {
            RidgeThrow.NoWeight(paramName);
        }
    }

    /// <summary>Penalty factors: the length, every value finite and non-negative, and (for the spectral path) none zero.</summary>
    public static void CheckFactors(RidgeOptions options, int features)
    {
        ReadOnlySpan<double> factors = options.PenaltyFactors.Span;
        if (factors.IsEmpty)
        {
            return;
        }

        if (factors.Length != features)
        {
            RidgeThrow.BadOptionLength(nameof(options), nameof(RidgeOptions.PenaltyFactors), factors.Length, features, "feature");
        }

        for (int j = 0; j < features; j++)
        {
            if (!(factors[j] >= 0) || !double.IsFinite(factors[j]))
            {
                RidgeThrow.BadOptionValue(nameof(options), nameof(RidgeOptions.PenaltyFactors), j, factors[j], "every penalty factor must be finite and non-negative.");
            }

            if (factors[j] == 0)
            {
                throw new NotSupportedException(
                    string.Create(CultureInfo.InvariantCulture, $"options.PenaltyFactors[{j}] is 0 (an unpenalized feature): λ selection works in the eigenbasis of the penalty-scaled Gram and needs every feature penalized. Use a small positive factor (for example 1e-6) instead."));
            }
        }
    }

    /// <summary>The grid: the default one for an empty span, else a checked copy (every λ finite and positive).</summary>
    public static double[] Grid(ReadOnlySpan<double> lambdas, SpectralRidge spectral, long positiveRows)
    {
        if (lambdas.IsEmpty)
        {
            var grid = new double[RidgeCV.DefaultGridSize];
            spectral.DefaultGrid(positiveRows, grid);
            return grid;
        }

        for (int i = 0; i < lambdas.Length; i++)
        {
            if (!(lambdas[i] > 0) || !double.IsFinite(lambdas[i]))
            {
                throw new InvalidValueException(
                    string.Create(CultureInfo.InvariantCulture, $"lambdas[{i}] is {lambdas[i]:G17}; every λ on the grid must be finite and positive."),
                    nameof(lambdas),
                    i,
                    -1);
            }
        }

        return lambdas.ToArray();
    }

    /// <summary>Shapes and weights, checked before anything runs; returns the number of rows with positive weight.</summary>
    public static long ValidateData<T>(MatrixView<T> x, MatrixView<T> y, ReadOnlySpan<T> weights, RidgeOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(options);
        if (x.Columns < 1)
        {
            RidgeThrow.Shape(nameof(x), "x has no columns; λ selection needs at least one feature.");
        }

        if (y.Columns < 1)
        {
            RidgeThrow.Shape(nameof(y), "y has no columns; λ selection needs at least one target.");
        }

        if (y.Rows != x.Rows)
        {
            RidgeThrow.Shape(nameof(y), string.Create(CultureInfo.InvariantCulture, $"y has {y.Rows} rows but x has {x.Rows}."));
        }

        if (x.Rows < 2)
        {
            RidgeThrow.Shape(nameof(x), string.Create(CultureInfo.InvariantCulture, $"x has {x.Rows} rows; λ selection needs at least two."));
        }

        CheckFactors(options, x.Columns);
        if (weights.IsEmpty)
        {
            return x.Rows;
        }

        if (weights.Length != x.Rows)
        {
            RidgeThrow.Shape(nameof(weights), string.Create(CultureInfo.InvariantCulture, $"weights has {weights.Length} values but x has {x.Rows} rows."));
        }

        long positive = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            T wi = weights[i];
            if (!T.IsFinite(wi) || wi < T.Zero)
            {
                throw new InvalidValueException(
                    string.Create(CultureInfo.InvariantCulture, $"weights[{i}] = {wi}: sample weights must be finite and non-negative."), nameof(weights), i, -1);
            }

            positive += wi > T.Zero ? 1 : 0;
        }

        if (positive == 0)
        {
            RidgeThrow.NoWeight(nameof(weights));
        }

        return positive;
    }

    public static MatrixView<TTo> Reinterpret<TFrom, TTo>(MatrixView<TFrom> view)
        where TFrom : unmanaged
        where TTo : unmanaged
        => new(MemoryMarshal.Cast<TFrom, TTo>(view.Data), view.Rows, view.Columns, view.RowStride);

    public static RidgeSearchResult LeaveOneOut<T>(MatrixView<T> x, MatrixView<T> y, ReadOnlySpan<double> lambdas, RidgeOptions options, ReadOnlySpan<T> weights)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long positive = ValidateData(x, y, weights, options);
        int p = x.Columns, t = y.Columns;
        using var statistics = new GramAccumulator(p, t) { DegreeOfParallelism = options.DegreeOfParallelism };
        statistics.AddAhead(x, y, weights, upcoming: default);
        using var spectral = new SpectralRidge(p, t);
        spectral.Load(statistics, options.FitIntercept, options.Standardize, options.PenaltyFactors.Span);
        double[] grid = Grid(lambdas, spectral, positive);
        int count = grid.Length;
        var sums = new double[count * t];
        var squares = new double[count * t];
        LeaveOneOutPass(spectral, x, y, weights, grid, sums, squares);

        // Score = Σwℓ/Σw with ℓᵢ the squared LOO residual; SE = √(weighted variance of ℓ / (m − 1)).
        var scores = new double[count * t];
        var errors = new double[count * t];
        double w = spectral.WeightSum;
        for (int i = 0; i < scores.Length; i++)
        {
            double mean = sums[i] / w;
            scores[i] = mean;
            double variance = Math.Max(0, (squares[i] / w) - (mean * mean));
            errors[i] = Math.Sqrt(variance / Math.Max(1, positive - 1));
        }

        return Finish(RidgeSearchMethod.LeaveOneOut, spectral, statistics, grid, scores, errors, options, 0, [], [], x, y, weights, hasData: true);
    }

    /// <summary>
    /// The batched leave-one-out pass. Per block of rows: X̃ (centered copy, in double), U = X̃·S·V, then for every λ
    /// at once H = (U∘U)·D (U squared as it is read) and P = U·B with D[k, λ] = 1/(Λₖ + λ), B[k, (λ, q)] = c′ₖq/(Λₖ + λ); then per row
    /// hᵢᵢ(λ) = wᵢ(Hᵢλ + 1/Σw), eᵢ = ỹᵢ − Pᵢ, and the residual eᵢ/(1 − hᵢᵢ) is scored, vectorized across λ
    /// (<see cref="LeaveOneOutScoring"/>), while the block is in cache.
    /// </summary>
    // Optimized from the first call: the method runs once per search, with all its time in one loop, so tier-0 code
    // and on-stack replacement would only add a slow start.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void LeaveOneOutPass<T>(
        SpectralRidge spectral, MatrixView<T> x, MatrixView<T> y, ReadOnlySpan<T> weights, double[] grid, double[] sums, double[] squares)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int p = spectral.Features, t = spectral.Targets, count = grid.Length, n = x.Rows;
        int nr = SmallGemm.PanelWidth;
        int pn = RoundUp(p, nr), ln = RoundUp(count, nr), ltn = t * ln;
        using var mBuffer = new AlignedBuffer<double>((long)p * pn);
        using var dBuffer = new AlignedBuffer<double>((long)pn * ln);
        using var bBuffer = new AlignedBuffer<double>((long)pn * ltn);
        using var xBuffer = new AlignedBuffer<double>((long)BlockRows * p);
        using var uBuffer = new AlignedBuffer<double>((long)BlockRows * pn);
        using var hBuffer = new AlignedBuffer<double>((long)BlockRows * ln);
        using var predictionBuffer = new AlignedBuffer<double>((long)BlockRows * ltn);
        using var inverseBuffer = new AlignedBuffer<double>(ln);
        using var sumBuffer = new AlignedBuffer<double>(ltn);
        using var squareBuffer = new AlignedBuffer<double>(ltn);
        double* m = mBuffer.Pointer, d = dBuffer.Pointer, b = bBuffer.Pointer;
        double[] values = spectral.Values, vectors = spectral.Vectors, scale = spectral.Scale, projected = spectral.Projected;
        for (int j = 0; j < p; j++)
        {
            for (int k = 0; k < p; k++)
            {
                m[((nint)j * pn) + k] = scale[j] * vectors[(j * p) + k];
            }
        }

        for (int k = 0; k < p; k++)
        {
            for (int l = 0; l < count; l++)
            {
                double inverse = 1.0 / (values[k] + grid[l]);
                d[((nint)k * ln) + l] = inverse;
                for (int q = 0; q < t; q++)
                {
                    b[((nint)k * ltn) + (q * ln) + l] = projected[(k * t) + q] * inverse;
                }
            }
        }

        double[] meanX = spectral.MeanX, meanY = spectral.MeanY;
        double interceptLeverage = spectral.Intercept ? 1.0 / spectral.WeightSum : 0.0;
        bool weighted = !weights.IsEmpty;
        double* xc = xBuffer.Pointer, u = uBuffer.Pointer, h = hBuffer.Pointer, prediction = predictionBuffer.Pointer;
        double* inverses = inverseBuffer.Pointer, sumsByTarget = sumBuffer.Pointer, squaresByTarget = squareBuffer.Pointer;
        fixed (T* px = x.Data)
        fixed (double* mean = meanX)
        {
            for (int start = 0; start < n; start += BlockRows)
            {
                int rows = Math.Min(BlockRows, n - start);
                CenterBlock(px + ((nint)start * x.RowStride), x.RowStride, mean, xc, rows, p);

                SmallGemm.Multiply(xc, p, m, pn, u, pn, rows, p, pn);
                SmallGemm.MultiplySquared(u, pn, d, ln, h, ln, rows, pn, ln);
                SmallGemm.Multiply(u, pn, b, ltn, prediction, ltn, rows, pn, ltn);
                for (int i = 0; i < rows; i++)
                {
                    double wi = weighted ? RidgeRefinement.ToDouble(weights[start + i]) : 1.0;
                    if (wi == 0)
                    {
                        continue;
                    }

                    // Padded λ columns have H = P = 0: finite, and their sums are never read.
                    LeaveOneOutScoring.Inverses(h + ((nint)i * ln), wi, 1.0 - (wi * interceptLeverage), inverses, ln);
                    ReadOnlySpan<T> yi = y.Row(start + i);
                    double* pi = prediction + ((nint)i * ltn);
                    for (int q = 0; q < t; q++)
                    {
                        double yq = RidgeRefinement.ToDouble(yi[q]) - meanY[q];
                        LeaveOneOutScoring.Accumulate(pi + ((nint)q * ln), yq, inverses, wi, sumsByTarget + ((nint)q * ln), squaresByTarget + ((nint)q * ln), ln);
                    }
                }
            }
        }

        for (int l = 0; l < count; l++)
        {
            for (int q = 0; q < t; q++)
            {
                sums[(l * t) + q] = sumsByTarget[((nint)q * ln) + l];
                squares[(l * t) + q] = squaresByTarget[((nint)q * ln) + l];
            }
        }
    }

    /// <summary>The rows of one block, centered, into a contiguous double buffer (float rows widened exactly).</summary>
    private static void CenterBlock<T>(T* x, nint stride, double* mean, double* destination, int rows, int p)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < rows; i++)
        {
            T* row = x + (i * stride);
            double* target = destination + ((nint)i * p);
            if (typeof(T) == typeof(double))
            {
                Kernels.Lanes.LaneKernels.Subtract((double*)row, mean, target, p);
            }
            else
            {
                float* source = (float*)row;
                for (int j = 0; j < p; j++)
                {
                    target[j] = source[j] - mean[j];
                }
            }
        }
    }

    public static RidgeSearchResult Gcv<T>(MatrixView<T> x, MatrixView<T> y, ReadOnlySpan<double> lambdas, RidgeOptions options, ReadOnlySpan<T> weights)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long positive = ValidateData(x, y, weights, options);
        using var statistics = new GramAccumulator(x.Columns, y.Columns) { DegreeOfParallelism = options.DegreeOfParallelism };
        statistics.AddAhead(x, y, weights, upcoming: default);
        return GcvCore(statistics, positive, lambdas, options, x, y, weights, hasData: true);
    }

    public static RidgeSearchResult Gcv(GramAccumulator statistics, ReadOnlySpan<double> lambdas, RidgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        ArgumentNullException.ThrowIfNull(options);
        CheckStatistics(statistics, nameof(statistics));
        CheckFactors(options, statistics.Features);
        return GcvCore<double>(statistics, statistics.RowCount, lambdas, options, default, default, default, hasData: false);
    }

    /// <summary>GCV(λ) = (RSS/Σw) / (1 − tr H/m)², tr H = df(λ) + 1 with an intercept, m the rows of positive weight:
    /// n·RSS/(n − tr H)² without weights.</summary>
    private static RidgeSearchResult GcvCore<T>(
        GramAccumulator statistics, long positive, ReadOnlySpan<double> lambdas, RidgeOptions options, MatrixView<T> x, MatrixView<T> y, ReadOnlySpan<T> weights, bool hasData)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int p = statistics.Features, t = statistics.Targets;
        using var spectral = new SpectralRidge(p, t);
        spectral.Load(statistics, options.FitIntercept, options.Standardize, options.PenaltyFactors.Span);
        double[] grid = Grid(lambdas, spectral, positive);
        int count = grid.Length;
        var scores = new double[count * t];
        var errors = new double[count * t];
        double w = spectral.WeightSum;
        for (int l = 0; l < count; l++)
        {
            double trace = spectral.DegreesOfFreedom(grid[l]) + (spectral.Intercept ? 1 : 0);
            double denominator = 1.0 - (trace / positive);
            for (int q = 0; q < t; q++)
            {
                double rss = spectral.ResidualSumOfSquares(grid[l], q);
                scores[(l * t) + q] = denominator > 0 ? rss / w / (denominator * denominator) : double.PositiveInfinity;
                errors[(l * t) + q] = double.NaN;
            }
        }

        return Finish(RidgeSearchMethod.GeneralizedCrossValidation, spectral, statistics, grid, scores, errors, options, 0, [], [], x, y, weights, hasData);
    }

    /// <summary>
    /// Deterministic balanced folds from a seed. Rows are dealt in chunks of c = clamp(⌊n/(64k)⌋, 1, 256)
    /// consecutive rows: the chunks are shuffled (Fisher–Yates driven by SplitMix64 from the seed) and dealt to the
    /// folds in turn, so fold sizes differ by less than two chunks (the last, short chunk can add to either side) and every fold holds at least about 64 chunks spread
    /// over the whole data. Below 128·k rows the shuffle is row by row (c = 1). Chunks let the fold pass
    /// feed each fold's accumulator straight from X, without copying rows (see <see cref="AccumulateFolds"/>).
    /// </summary>
    public static int[] AssignFolds(int rows, int folds, int seed)
    {
        int[] chunkFold = AssignFoldChunks(rows, folds, seed, out int chunk);
        var ids = new int[rows];
        for (int c = 0; c < chunkFold.Length; c++)
        {
            int start = c * chunk;
            ids.AsSpan(start, Math.Min(chunk, rows - start)).Fill(chunkFold[c]);
        }

        return ids;
    }

    /// <summary>The fold of each chunk of <paramref name="chunk"/> consecutive rows (see <see cref="AssignFolds"/>).</summary>
    public static int[] AssignFoldChunks(int rows, int folds, int seed, out int chunk)
    {
        chunk = Math.Clamp(rows / (64 * folds), 1, MaxFoldChunk);
        int chunks = (rows + chunk - 1) / chunk;
        var permutation = new int[chunks];
        for (int i = 0; i < chunks; i++)
        {
            permutation[i] = i;
        }

        ulong state = (ulong)(uint)seed ^ 0x9E3779B97F4A7C15UL;
        for (int i = chunks - 1; i > 0; i--)
        {
            state += 0x9E3779B97F4A7C15UL;
            ulong z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            int j = (int)(((z >> 32) * (ulong)(i + 1)) >> 32); // Lemire's multiply-shift: no division
            (permutation[i], permutation[j]) = (permutation[j], permutation[i]);
        }

        var chunkFold = new int[chunks];
        for (int i = 0, f = 0; i < chunks; i++)
        {
            chunkFold[permutation[i]] = f;
            f = f + 1 == folds ? 0 : f + 1;
        }

        return chunkFold;
    }

    public static RidgeSearchResult KFold<T>(
        MatrixView<T> x, MatrixView<T> y, ReadOnlySpan<double> lambdas, RidgeOptions options, ReadOnlySpan<int> foldIds, int chunk, int folds, ReadOnlySpan<T> weights)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long positive = ValidateData(x, y, weights, options);
        int n = x.Rows, p = x.Columns, t = y.Columns;
        if (foldIds.Length != (n + chunk - 1) / chunk)
        {
            RidgeThrow.Shape(nameof(foldIds), string.Create(CultureInfo.InvariantCulture, $"foldIds has {foldIds.Length} values but x has {n} rows."));
        }

        for (int i = 0; i < foldIds.Length; i++)
        {
            if ((uint)foldIds[i] >= (uint)folds)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(foldIds), foldIds[i], string.Create(CultureInfo.InvariantCulture, $"foldIds[{i}] = {foldIds[i]} is outside [0, {folds})."));
            }
        }

        var accumulators = new GramAccumulator[folds];
        try
        {
            for (int f = 0; f < folds; f++)
            {
                accumulators[f] = new GramAccumulator(p, t);
                accumulators[f].BorrowWorkspaces(accumulators[0]);
            }

            AccumulateFolds(x, y, weights, foldIds, chunk, accumulators);
            for (int f = 0; f < folds; f++)
            {
                if (!(accumulators[f].WeightSum > 0))
                {
                    RidgeThrow.Shape(
                        nameof(foldIds),
                        string.Create(CultureInfo.InvariantCulture, $"Fold {f} has no rows{(accumulators[f].RowCount > 0 ? " of positive weight" : string.Empty)}; every fold must hold data."));
                }

                if (accumulators[f].WeightSum >= SumOfOthers(accumulators, f, all: true))
                {
                    RidgeThrow.Shape(nameof(foldIds), string.Create(CultureInfo.InvariantCulture, $"Fold {f} holds all the weight, so its training set is empty."));
                }
            }

            return KFoldScores(accumulators, positive, lambdas, options, x, y, weights);
        }
        finally
        {
            foreach (GramAccumulator? a in accumulators)
            {
                a?.Dispose();
            }
        }
    }

    private static double SumOfOthers(GramAccumulator[] accumulators, int fold, bool all)
    {
        double s = 0;
        for (int f = 0; f < accumulators.Length; f++)
        {
            s += all || f != fold ? accumulators[f].WeightSum : 0;
        }

        return s;
    }

    /// <summary>One pass over the data. Runs of at least <see cref="DirectRunRows"/> consecutive rows of one fold go
    /// to the fold's accumulator straight from X; shorter runs are copied into the fold's gather buffer, which goes to
    /// the accumulator when full (one packed panel at a time). No row is read twice.</summary>
    private static void AccumulateFolds<T>(
        MatrixView<T> x, MatrixView<T> y, ReadOnlySpan<T> weights, ReadOnlySpan<int> foldIds, int chunk, GramAccumulator[] accumulators)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int folds = accumulators.Length, p = x.Columns, t = y.Columns, n = x.Rows;
        bool weighted = !weights.IsEmpty;
        var buffers = new FoldBuffer<T>?[folds];
        for (int unit = 0; unit < foldIds.Length;)
        {
            // A run: consecutive units (rows, or chunks of rows for seeded folds) of one fold.
            int f = foldIds[unit], next = unit + 1;
            while (next < foldIds.Length && foldIds[next] == f)
            {
                next++;
            }

            int i = unit * chunk, end = Math.Min(n, next * chunk);
            unit = next;
            if (end - i >= DirectRunRows)
            {
                // The rows after the run (another fold's, usually) are requested while its last rows are multiplied: a
                // run of a few hundred rows is too short for the Gram engine to prefetch on its own.
                MatrixView<T> upcoming = end < n ? x.SliceRows(end, Math.Min(MaxFoldChunk, n - end)) : default;
                AddRows(accumulators[f], x.SliceRows(i, end - i), y.SliceRows(i, end - i), weighted ? weights.Slice(i, end - i) : default, i, null, upcoming);
                continue;
            }

            FoldBuffer<T> buffer = buffers[f] ??= new FoldBuffer<T>(p, t, weighted);
            for (; i < end; i++)
            {
                int c = buffer.Count;
                x.Row(i).CopyTo(buffer.X.AsSpan(c * p, p));
                y.Row(i).CopyTo(buffer.Y.AsSpan(c * t, t));
                if (weighted)
                {
                    buffer.W[c] = weights[i];
                }

                buffer.Rows[c] = i;
                buffer.Count = c + 1;
                if (buffer.Count == FoldBufferRows)
                {
                    buffer.Flush(accumulators[f]);
                }
            }
        }

        for (int f = 0; f < folds; f++)
        {
            buffers[f]?.Flush(accumulators[f]);
        }
    }

    /// <summary>Adds rows to a fold's accumulator; a bad value is reported at its row in the caller's matrix (the
    /// accumulator numbers rows within the batch it was given).</summary>
    private static void AddRows<T>(GramAccumulator accumulator, MatrixView<T> x, MatrixView<T> y, ReadOnlySpan<T> weights, int firstRow, int[]? rowMap, MatrixView<T> upcoming = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        try
        {
            accumulator.AddAhead(x, y, weights, upcoming);
        }
        catch (InvalidValueException e) when (e.Row >= 0)
        {
            long row = rowMap is null ? e.Row + firstRow : rowMap[e.Row];
            throw new InvalidValueException(
                string.Create(CultureInfo.InvariantCulture, $"{e.ParamName}[{row}, {e.Column}] is NaN or infinite; every value must be finite."),
                e.ParamName ?? "x",
                row,
                e.Column);
        }
    }

    /// <summary>A fold's gather buffer: up to <see cref="FoldBufferRows"/> rows and where each came from.</summary>
    private sealed class FoldBuffer<T>(int p, int t, bool weighted)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T[] X { get; } = new T[FoldBufferRows * p];

        public T[] Y { get; } = new T[FoldBufferRows * t];

        public T[] W { get; } = weighted ? new T[FoldBufferRows] : [];

        public int[] Rows { get; } = new int[FoldBufferRows];

        public int Count { get; set; }

        public void Flush(GramAccumulator accumulator)
        {
            if (Count == 0)
            {
                return;
            }

            AddRows(accumulator, new MatrixView<T>(X, Count, p), new MatrixView<T>(Y, Count, t), weighted ? W.AsSpan(0, Count) : default, 0, Rows);
            Count = 0;
        }
    }

    /// <summary>
    /// Per fold: the training statistics are the merge of the other folds; one eigendecomposition serves every λ.
    /// The held-out error comes from the held-out fold's own statistics: with δ = ȳₕ − b − x̄ₕᵀθ,
    /// Σw(y − b − xθ)² = Cyyₕ − 2θᵀCxyₕ + θᵀCxxₕθ + Σwₕ·δ², for every λ at once (<see cref="HeldOutScorer"/>).
    /// </summary>
    private static RidgeSearchResult KFoldScores<T>(
        GramAccumulator[] accumulators, long positive, ReadOnlySpan<double> lambdas, RidgeOptions options, MatrixView<T> x, MatrixView<T> y, ReadOnlySpan<T> weights)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int folds = accumulators.Length, p = accumulators[0].Features, t = accumulators[0].Targets;
        bool intercept = options.FitIntercept, standardize = options.Standardize;
        ReadOnlySpan<double> factors = options.PenaltyFactors.Span;
        using var full = new GramAccumulator(p, t);
        foreach (GramAccumulator a in accumulators)
        {
            full.Merge(a);
        }

        using var spectral = new SpectralRidge(p, t);
        spectral.Load(full, intercept, standardize, factors);
        double[] grid = Grid(lambdas, spectral, positive);
        int count = grid.Length;
        var foldScores = new double[folds * count * t];
        var foldR2 = new double[folds * count * t];
        using var train = new GramAccumulator(p, t);
        using var foldSpectral = new SpectralRidge(p, t);
        using var scorer = new HeldOutScorer(p, t, count);
        for (int f = 0; f < folds; f++)
        {
            train.Reset();
            for (int g = 0; g < folds; g++)
            {
                if (g != f)
                {
                    train.Merge(accumulators[g]);
                }
            }

            // The tridiagonal form serves every λ at O(p) each; the eigenbasis only when a λ is below T's rounding level.
            Span<double> mse = foldScores.AsSpan(f * count * t, count * t), r2 = foldR2.AsSpan(f * count * t, count * t);
            foldSpectral.LoadTridiagonal(train, intercept, standardize, factors);
            if (!scorer.TryScore(foldSpectral, accumulators[f], grid, mse, r2))
            {
                foldSpectral.Load(train, intercept, standardize, factors);
                scorer.TryScore(foldSpectral, accumulators[f], grid, mse, r2);
            }
        }

        // glmnet: the weighted mean of the fold MSEs (weights = fold Σw) and √(weighted variance / (k − 1)).
        var scores = new double[count * t];
        var errors = new double[count * t];
        double total = full.WeightSum;
        for (int i = 0; i < count * t; i++)
        {
            double mean = 0;
            for (int f = 0; f < folds; f++)
            {
                mean += accumulators[f].WeightSum * foldScores[(f * count * t) + i];
            }

            mean /= total;
            double variance = 0;
            for (int f = 0; f < folds; f++)
            {
                double d = foldScores[(f * count * t) + i] - mean;
                variance += accumulators[f].WeightSum * d * d;
            }

            scores[i] = mean;
            errors[i] = Math.Sqrt(variance / total / (folds - 1));
        }

        return Finish(RidgeSearchMethod.KFold, spectral, full, grid, scores, errors, options, folds, foldScores, foldR2, x, y, weights, hasData: true);
    }

    private static RidgeSearchResult Finish<T>(
        RidgeSearchMethod method, SpectralRidge spectral, GramAccumulator statistics, double[] grid, double[] scores, double[] errors, RidgeOptions options,
        int folds, double[] foldScores, double[] foldR2, MatrixView<T> x, MatrixView<T> y, ReadOnlySpan<T> weights, bool hasData)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < scores.Length; i++)
        {
            if (double.IsNaN(scores[i]))
            {
                throw new InvalidOperationException(
                    string.Create(CultureInfo.InvariantCulture, $"The score of λ = {grid[i / spectral.Targets]:G17} (target {i % spectral.Targets}) is NaN; the data or the grid are degenerate."));
            }
        }

        var df = new double[grid.Length];
        for (int l = 0; l < grid.Length; l++)
        {
            df[l] = spectral.DegreesOfFreedom(grid[l]);
        }

        RidgeTrace trace = RidgeTrace.From(spectral, grid);
        var result = new RidgeSearchResult(method, spectral.Targets, grid, scores, errors, df, trace, folds, foldScores, foldR2);
        result.Model = Refit(statistics, options, result.BestLambdas.ToArray(), x, y, weights, hasData);
        return result;
    }

    private static RidgeModel Refit<T>(
        GramAccumulator statistics, RidgeOptions options, double[] lambdas, MatrixView<T> x, MatrixView<T> y, ReadOnlySpan<T> weights, bool hasData)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var refit = new RidgeOptions
        {
            TargetLambdas = lambdas,
            PenaltyFactors = options.PenaltyFactors,
            FitIntercept = options.FitIntercept,
            Standardize = options.Standardize,
            Refine = options.Refine,
            MaxConditionNumber = options.MaxConditionNumber,
            DegreeOfParallelism = options.DegreeOfParallelism,
        };
        using var solver = new RidgeSolver(statistics.Features, statistics.Targets);
        try
        {
            solver.Fit(statistics, refit);
        }
        catch (Exception e) when (hasData && e is IllConditionedException or SingularMatrixException)
        {
            if (typeof(T) == typeof(double))
            {
                solver.Fit(Reinterpret<T, double>(x), Reinterpret<T, double>(y), refit, MemoryMarshal.Cast<T, double>(weights));
            }
            else
            {
                solver.Fit(Reinterpret<T, float>(x), Reinterpret<T, float>(y), refit, MemoryMarshal.Cast<T, float>(weights));
            }
        }

        return solver.ToModel();
    }

    public static double[] DefaultGrid(GramAccumulator statistics, RidgeOptions options, int count)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        CheckStatistics(statistics, nameof(statistics));
        CheckFactors(options, statistics.Features);
        using var spectral = new SpectralRidge(statistics.Features, statistics.Targets);
        spectral.Load(statistics, options.FitIntercept, options.Standardize, options.PenaltyFactors.Span);
        var grid = new double[count];
        spectral.DefaultGrid(statistics.RowCount, grid);
        return grid;
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
