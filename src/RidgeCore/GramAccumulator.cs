using System;
using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Threading;
using RidgeCore.Kernels.Gram;

namespace RidgeCore;

/// <summary>
/// Streams rows of (X, Y, optional weights) into the sufficient statistics of a ridge problem: Σw, the weighted means
/// of X and Y and the co-moments Cxx = Σ wᵢ(xᵢ − x̄)(xᵢ − x̄)ᵀ, Cxy and Cyy (or the raw cross products in
/// <see cref="GramMode.Uncentered"/> mode). Accumulators merge exactly like the data they summarize, so statistics
/// computed in pieces, on other threads or other machines, combine into those of the whole (<see cref="Merge"/>,
/// <see cref="Serialize"/>).
/// </summary>
/// <remarks>
/// <para>Each <see cref="Add(MatrixView{double}, MatrixView{double})"/> makes one pass over X with the blocked,
/// packed, register-tiled kernel of the active <see cref="KernelSelection"/> family; centering is fused into packing
/// and every chunk of rows is centered by its own mean, so a column with mean 10⁶ and unit spread keeps its digits.
/// Float input runs the kernel in float and merges every 2 048 rows into double totals.</para>
/// <para><b>Parallelism and determinism.</b> A batch of n rows is cut into S contiguous stripes, where S depends only
/// on n and the column count (one stripe below 16 384 rows; otherwise ⌊n / 8 192⌋, at most 8 and at most what fits in
/// 64 MiB of partial statistics). Each stripe is summarized on its own, the partials are merged pairwise in a fixed
/// tree ((0,1),(2,3),… then (0,2),…), and the root joins the running totals. <see cref="DegreeOfParallelism"/> only
/// decides how many threads work through the stripes, so results are bitwise identical for any thread count.</para>
/// <para><b>Errors.</b> Bad input throws before anything changes, or the accumulator is restored: a failed Add leaves
/// it exactly as it was. An instance is not safe for concurrent calls; separate instances are independent.</para>
/// <para><b>Allocation.</b> Buffers are 64-byte-aligned native memory sized at construction (stripe buffers, and the
/// thread-pool work items of a parallel Add, on the first batch that needs them); after that an Add allocates nothing,
/// on one thread or several.</para>
/// </remarks>
public sealed partial class GramAccumulator : IDisposable
{
    private const int StripeRows = 8192;
    private const int MaxStripes = 8;

    // p + t at most 16 000: the q × q statistics then take ≤ 2 GiB and the serialized record stays under 2³¹ bytes.
    private const int MaxColumns = 16_000;
    private const long StripeBudgetBytes = 64L << 20;
    private const uint Magic = 0x41474352; // "RCGA" little-endian
    private const ushort FormatVersion = 1;
    private const int HeaderBytes = 4 + 2 + 2 + 4 + 4 + 8 + 8;

    private readonly GramState _state;
    private readonly int _q;
    private GramState? _snapshot;
    private GramState[] _stripes = [];
    private GramWorkspace<double>[] _doubleWorkspaces = [];
    private GramWorkspace<float>[] _floatWorkspaces = [];
    private GramAccumulator? _workspaceOwner;
    private StripeRun<double>? _doubleRun;
    private StripeRun<float>? _floatRun;
    private int _degreeOfParallelism = 1;
    private bool _disposed;

    /// <summary>Creates an empty accumulator.</summary>
    /// <param name="features">p, the number of columns of X (≥ 1).</param>
    /// <param name="targets">t, the number of columns of Y (≥ 1).</param>
    /// <param name="mode">Centered (default) or uncentered statistics.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is below 1, or p + t is too large to index.</exception>
    public GramAccumulator(int features, int targets = 1, GramMode mode = GramMode.Centered)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targets, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(features, MaxColumns - 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(targets, MaxColumns - features);
        if (mode is not GramMode.Centered and not GramMode.Uncentered)
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown GramMode.");
        }

        Features = features;
        Targets = targets;
        Mode = mode;
        _q = features + targets;
        _state = new GramState(_q);
    }

    /// <summary>p, the number of columns of X.</summary>
    public int Features { get; }

    /// <summary>t, the number of columns of Y.</summary>
    public int Targets { get; }

    /// <summary>Whether the statistics are centered.</summary>
    public GramMode Mode { get; }

    /// <summary>The number of rows added (rows with weight zero included).</summary>
    public long RowCount => _state.Rows;

    /// <summary>Whether every row so far came as double data (directly or through merges): false after a float
    /// <c>Add</c> (float products, merged into double every 2 048 rows) and for deserialized statistics, whose origin is
    /// unknown. The solver takes the statistics' rounding at this precision when it decides, without estimating, that
    /// a problem is well conditioned.</summary>
    internal bool DoublePrecisionOnly { get; private set; } = true;

    /// <summary>Σw, the sum of the weights (the row count when no weights were given).</summary>
    public double WeightSum => _state.Weight;

    /// <summary>How many threads an Add may use (default 1). Results do not depend on it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int DegreeOfParallelism
    {
        get => _degreeOfParallelism;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _degreeOfParallelism = value;
        }
    }

    /// <summary>The weighted means of the p columns of X (zero in uncentered mode). Valid until the next call that
    /// changes the accumulator.</summary>
    public unsafe ReadOnlySpan<double> MeanX
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return new ReadOnlySpan<double>(_state.Mean, Features);
        }
    }

    /// <summary>The weighted means of the t columns of Y (zero in uncentered mode).</summary>
    public unsafe ReadOnlySpan<double> MeanY
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return new ReadOnlySpan<double>(_state.Mean + Features, Targets);
        }
    }

    /// <summary>Copies Cxx (p × p, row-major) into <paramref name="destination"/>.</summary>
    /// <param name="destination">At least p·p values.</param>
    /// <param name="mirror">When true (default) the upper triangle is filled from the lower; otherwise it is not written.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public unsafe void CopyCxx(Span<double> destination, bool mirror = true)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int p = Features;
        CheckDestination(destination, (long)p * p);
        for (int i = 0; i < p; i++)
        {
            double* row = _state.C + ((long)i * _q);
            for (int j = 0; j <= i; j++)
            {
                destination[(i * p) + j] = row[j];
                if (mirror)
                {
                    destination[(j * p) + i] = row[j];
                }
            }
        }
    }

    /// <summary>Copies Cxy (p × t, row-major: entry [i, k] pairs feature i with target k).</summary>
    /// <param name="destination">At least p·t values.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public unsafe void CopyCxy(Span<double> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int p = Features, t = Targets;
        CheckDestination(destination, (long)p * t);
        for (int k = 0; k < t; k++)
        {
            double* row = _state.C + ((long)(p + k) * _q);
            for (int i = 0; i < p; i++)
            {
                destination[(i * t) + k] = row[i];
            }
        }
    }

    /// <summary>Copies Cyy (t × t, full symmetric, row-major).</summary>
    /// <param name="destination">At least t·t values.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public unsafe void CopyCyy(Span<double> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int p = Features, t = Targets;
        CheckDestination(destination, (long)t * t);
        for (int k = 0; k < t; k++)
        {
            double* row = _state.C + ((long)(p + k) * _q) + p;
            for (int l = 0; l <= k; l++)
            {
                destination[(k * t) + l] = row[l];
                destination[(l * t) + k] = row[l];
            }
        }
    }

    /// <summary>Adds rows with unit weights.</summary>
    /// <param name="x">n × p features.</param>
    /// <param name="y">n × t targets.</param>
    /// <exception cref="ArgumentException">A shape does not match the accumulator.</exception>
    /// <exception cref="InvalidValueException">X or Y holds NaN or ±∞ (the first such row and column are named).</exception>
    public void Add(MatrixView<double> x, MatrixView<double> y) => AddCore(x, y, default, false);

    /// <summary>Adds weighted rows.</summary>
    /// <param name="x">n × p features.</param>
    /// <param name="y">n × t targets.</param>
    /// <param name="weights">n finite, non-negative sample weights.</param>
    /// <exception cref="ArgumentException">A shape does not match the accumulator.</exception>
    /// <exception cref="InvalidValueException">A weight is negative or not finite, or X or Y holds NaN or ±∞.</exception>
    public void Add(MatrixView<double> x, MatrixView<double> y, ReadOnlySpan<double> weights) => AddCore(x, y, weights, true);

    /// <summary>Adds rows (with <paramref name="weights"/> unless that is empty) and, while the last of them are
    /// multiplied, requests the rows of <paramref name="upcoming"/> into L2: for callers that add short batches read
    /// from memory one after another, which a single Add cannot see coming (logistic regression's subsample Hessians
    /// add 128-row blocks spread over X; k-fold cross-validation adds runs of a few hundred rows to each fold).
    /// Results are those of the public Add with the same arguments.</summary>
    internal void AddAhead<T>(MatrixView<T> x, MatrixView<T> y, ReadOnlySpan<T> weights, MatrixView<T> upcoming)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AddCore(x, y, weights, !weights.IsEmpty, upcoming);
        if (typeof(T) == typeof(float))
        {
            DoublePrecisionOnly = false;
        }
    }

    /// <summary>Adds float rows with unit weights (products in float, totals in double).</summary>
    /// <param name="x">n × p features.</param>
    /// <param name="y">n × t targets.</param>
    /// <exception cref="ArgumentException">A shape does not match the accumulator.</exception>
    /// <exception cref="InvalidValueException">X or Y holds NaN or ±∞.</exception>
    public void Add(MatrixView<float> x, MatrixView<float> y)
    {
        AddCore(x, y, default, false);
        DoublePrecisionOnly = false;
    }

    /// <summary>Adds weighted float rows (products in float, totals in double).</summary>
    /// <param name="x">n × p features.</param>
    /// <param name="y">n × t targets.</param>
    /// <param name="weights">n finite, non-negative sample weights.</param>
    /// <exception cref="ArgumentException">A shape does not match the accumulator.</exception>
    /// <exception cref="InvalidValueException">A weight is negative or not finite, or X or Y holds NaN or ±∞.</exception>
    public void Add(MatrixView<float> x, MatrixView<float> y, ReadOnlySpan<float> weights)
    {
        AddCore(x, y, weights, true);
        DoublePrecisionOnly = false;
    }

    /// <summary>Folds another accumulator's statistics into this one (Chan–Golub–LeVeque pairwise update). The other
    /// accumulator is not changed.</summary>
    /// <param name="other">An accumulator with the same p, t and mode.</param>
    /// <exception cref="ArgumentException">The shapes or modes differ.</exception>
    public void Merge(GramAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        ObjectDisposedException.ThrowIf(_disposed, this);
        ObjectDisposedException.ThrowIf(other._disposed, other);
        if (other.Features != Features || other.Targets != Targets || other.Mode != Mode)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Cannot merge statistics of p={other.Features}, t={other.Targets}, {other.Mode} into p={Features}, t={Targets}, {Mode}."),
                nameof(other));
        }

        GramState source = other._state;
        if (ReferenceEquals(other, this))
        {
            source = Snapshot();
        }

        _state.MergeFrom(source, Mode == GramMode.Centered);
        DoublePrecisionOnly &= other.DoublePrecisionOnly;
    }

    /// <summary>Forgets every row added, keeping the buffers.</summary>
    public void Reset()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _state.Clear();
        DoublePrecisionOnly = true;
    }

    /// <summary>The exact number of bytes <see cref="Serialize"/> writes.</summary>
    /// <returns>The size in bytes.</returns>
    public int GetSerializedSize() => SerializedSize(_q);

    private static int SerializedSize(int q) => checked((int)(HeaderBytes + (8L * q) + (8L * q * (q + 1) / 2)));

    /// <summary>
    /// Writes the statistics in RidgeCore's compact binary format, version 1, little-endian whatever the host:
    /// "RCGA" magic, u16 version, u16 flags (bit 0: centered), i32 p, i32 t, i64 rows, f64 Σw, q = p + t f64 means,
    /// then the lower triangle of the q × q co-moment matrix row by row (row i holds columns 0..i).
    /// </summary>
    /// <param name="destination">At least <see cref="GetSerializedSize"/> bytes.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public unsafe int Serialize(Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int size = GetSerializedSize();
        if (destination.Length < size)
        {
            throw new ArgumentException($"destination has {destination.Length} bytes; {size} are needed.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], FormatVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], (ushort)(Mode == GramMode.Centered ? 1 : 0));
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], Features);
        BinaryPrimitives.WriteInt32LittleEndian(destination[12..], Targets);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], _state.Rows);
        BinaryPrimitives.WriteDoubleLittleEndian(destination[24..], _state.Weight);
        int o = HeaderBytes;
        for (int i = 0; i < _q; i++, o += 8)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(destination[o..], _state.Mean[i]);
        }

        for (int i = 0; i < _q; i++)
        {
            double* row = _state.C + ((long)i * _q);
            for (int j = 0; j <= i; j++, o += 8)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(destination[o..], row[j]);
            }
        }

        return o;
    }

    /// <summary>Reads statistics written by <see cref="Serialize"/>.</summary>
    /// <param name="source">The bytes.</param>
    /// <returns>A new accumulator holding the statistics.</returns>
    /// <exception cref="FormatException">The bytes are not a RidgeCore Gram record of a supported version, or are truncated.</exception>
    public static unsafe GramAccumulator Deserialize(ReadOnlySpan<byte> source)
    {
        if (source.Length < HeaderBytes || BinaryPrimitives.ReadUInt32LittleEndian(source) != Magic)
        {
            throw new FormatException("Not a RidgeCore Gram accumulator record (bad magic or too short).");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(source[4..]);
        if (version != FormatVersion)
        {
            throw new FormatException($"Gram accumulator format version {version} is not supported (this build reads version {FormatVersion}).");
        }

        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(source[6..]);
        int p = BinaryPrimitives.ReadInt32LittleEndian(source[8..]);
        int t = BinaryPrimitives.ReadInt32LittleEndian(source[12..]);
        if (p < 1 || t < 1 || p > MaxColumns - 1 || t > MaxColumns - p || (flags & ~1) != 0)
        {
            throw new FormatException($"Gram accumulator record has invalid shape p={p}, t={t} or flags {flags}.");
        }

        int size = SerializedSize(p + t);
        if (source.Length < size)
        {
            throw new FormatException($"Gram accumulator record is truncated: {source.Length} of {size} bytes.");
        }

        long rows = BinaryPrimitives.ReadInt64LittleEndian(source[16..]);
        double weight = BinaryPrimitives.ReadDoubleLittleEndian(source[24..]);
        if (rows < 0 || !double.IsFinite(weight) || weight < 0)
        {
            throw new FormatException($"Gram accumulator record has impossible counts: rows={rows}, weight sum={weight}.");
        }

        var result = new GramAccumulator(p, t, (flags & 1) != 0 ? GramMode.Centered : GramMode.Uncentered);
        result._state.Rows = rows;
        result._state.Weight = weight;
        result.DoublePrecisionOnly = false;
        int q = p + t, o = HeaderBytes;
        for (int i = 0; i < q; i++, o += 8)
        {
            result._state.Mean[i] = BinaryPrimitives.ReadDoubleLittleEndian(source[o..]);
        }

        for (int i = 0; i < q; i++)
        {
            double* row = result._state.C + ((long)i * q);
            for (int j = 0; j <= i; j++, o += 8)
            {
                row[j] = BinaryPrimitives.ReadDoubleLittleEndian(source[o..]);
            }
        }

        return result;
    }

    /// <summary>Frees the native buffers.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _doubleRun?.Dispose();
        _floatRun?.Dispose();
        _state.Dispose();
        _snapshot?.Dispose();
        foreach (GramState s in _stripes)
        {
            s.Dispose();
        }

        foreach (GramWorkspace<double> w in _doubleWorkspaces)
        {
            w.Dispose();
        }

        foreach (GramWorkspace<float> w in _floatWorkspaces)
        {
            w.Dispose();
        }
    }

    /// <summary>The number of stripes a batch of <paramref name="rows"/> rows is cut into; a function of n and q only.</summary>
    internal static int StripeCount(long rows, int q)
    {
        if (rows < 2L * StripeRows)
        {
            return 1;
        }

        long bytesPerStripe = 8L * q * q;
        int byMemory = (int)Math.Clamp(StripeBudgetBytes / bytesPerStripe, 1, MaxStripes);
        return (int)Math.Min(Math.Min(rows / StripeRows, MaxStripes), byMemory);
    }

    /// <summary>The first row of stripe <paramref name="s"/>: s·n/S rounded down to a whole chunk (256 rows in
    /// double, 2 048 in float), so stripes differ in size by at most two chunks and the threads get balanced work.</summary>
    internal static int StripeStart(int s, int stripes, int n, int alignment)
        => s >= stripes ? n : (int)((long)s * n / stripes / alignment * alignment);

    private static void CheckDestination(Span<double> destination, long needed)
    {
        if (destination.Length < needed)
        {
            throw new ArgumentException($"destination has {destination.Length} elements; {needed} are needed.", nameof(destination));
        }
    }

    private GramState Snapshot()
    {
        _snapshot ??= new GramState(_q);
        _snapshot.CopyFrom(_state);
        return _snapshot;
    }

    private unsafe void AddCore<T>(MatrixView<T> x, MatrixView<T> y, ReadOnlySpan<T> weights, bool weighted, MatrixView<T> upcoming = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ValidateShapes(x, y, weights, weighted);
        int n = x.Rows;
        if (n == 0)
        {
            return;
        }

        int stripes = StripeCount(n, _q);
        int workers = Math.Min(_degreeOfParallelism, stripes);
        GramWorkspace<T>[] workspaces = Workspaces<T>(workers);
        bool centered = Mode == GramMode.Centered;
        if (stripes == 1)
        {
            int chunk = typeof(T) == typeof(float) ? workspaces[0].Blocking.FloatMergeRows : workspaces[0].Blocking.KC;
            GramState? saved = n > chunk ? Snapshot() : null;
            GramFailure failure = GramEngine.Accumulate(_state, x, y, weights, centered, workspaces[0], upcoming);
            if (failure.Failed)
            {
                if (saved is not null)
                {
                    _state.CopyFrom(saved);
                }

                ThrowFailure(failure, 0);
            }

            return;
        }

        AddStriped(x, y, weights, weighted, stripes, workspaces, workers);
    }

    /// <summary>The multi-stripe path: the stripes and their merge tree (<see cref="StripeRun{T}"/>), then the root
    /// joins the totals, unless a stripe found a non-finite value (then nothing has changed).</summary>
    private unsafe void AddStriped<T>(MatrixView<T> x, MatrixView<T> y, ReadOnlySpan<T> weights, bool weighted, int stripes, GramWorkspace<T>[] workspaces, int workers)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Rows;
        bool centered = Mode == GramMode.Centered;
        EnsureStripes(stripes);
        int alignment = typeof(T) == typeof(float) ? workspaces[0].Blocking.FloatMergeRows : workspaces[0].Blocking.KC;
        StripeRun<T> run = Runs<T>();
        fixed (T* px = x.Data, py = y.Data, pw = weights)
        {
            run.Run(this, x, px, y, py, weighted ? pw : null, stripes, alignment, centered, workspaces, workers);
        }

        for (int s = 0; s < stripes; s++)
        {
            GramFailure failure = run.Failures[s];
            if (failure.Failed)
            {
                ThrowFailure(failure, failure.Row < 0 ? 0 : StripeStart(s, stripes, n, alignment));
            }
        }

        _state.MergeFrom(_stripes[0], centered);
    }

    /// <summary>The stripe runner of element type <typeparamref name="T"/>, kept by whoever owns the workspaces (its
    /// helpers are tied to them), made on the first striped Add.</summary>
    private StripeRun<T> Runs<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        GramAccumulator owner = _workspaceOwner ?? this;
        if (typeof(T) == typeof(double))
        {
            return (StripeRun<T>)(object)(owner._doubleRun ??= new StripeRun<double>());
        }

        return (StripeRun<T>)(object)(owner._floatRun ??= new StripeRun<float>());
    }

    private void ValidateShapes<T>(MatrixView<T> x, MatrixView<T> y, ReadOnlySpan<T> weights, bool weighted)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Columns != Features)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"x has {x.Columns} columns; this accumulator has p={Features}."), nameof(x));
        }

        if (y.Columns != Targets)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"y has {y.Columns} columns; this accumulator has t={Targets}."), nameof(y));
        }

        if (y.Rows != x.Rows)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"y has {y.Rows} rows but x has {x.Rows}."), nameof(y));
        }

        if (!weighted)
        {
            return;
        }

        if (weights.Length != x.Rows)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"weights has {weights.Length} values but x has {x.Rows} rows."), nameof(weights));
        }

        for (int i = 0; i < weights.Length; i++)
        {
            T wi = weights[i];
            if (!T.IsFinite(wi) || wi < T.Zero)
            {
                throw new InvalidValueException(
                    string.Create(CultureInfo.InvariantCulture, $"weights[{i}] = {wi}: sample weights must be finite and non-negative."),
                    nameof(weights), i, -1);
            }
        }
    }

    private static void ThrowFailure(GramFailure failure, long rowOffset)
    {
        string name = failure.Argument == 1 ? "x" : "y";
        if (failure.Row < 0)
        {
            throw new InvalidValueException(
                string.Create(CultureInfo.InvariantCulture, $"{name} column {failure.Column}: the weighted sum overflows double; rescale the column."),
                name, -1, failure.Column);
        }

        long row = failure.Row + rowOffset;
        throw new InvalidValueException(
            string.Create(CultureInfo.InvariantCulture, $"{name}[{row}, {failure.Column}] is NaN or infinite; every value must be finite."),
            name, row, failure.Column);
    }

    private void EnsureStripes(int count)
    {
        if (_stripes.Length >= count)
        {
            return;
        }

        var grown = new GramState[count];
        Array.Copy(_stripes, grown, _stripes.Length);
        for (int i = _stripes.Length; i < count; i++)
        {
            grown[i] = new GramState(_q);
        }

        _stripes = grown;
    }

    /// <summary>
    /// Makes this accumulator's Adds run on <paramref name="owner"/>'s workspaces (packed panel, downdates) instead of
    /// its own. For accumulators that are fed in turn from one thread, such as k-fold's one accumulator per fold: five
    /// separate 130 KiB packed panels (p = 64) compete for L2 between short Adds and are five sets of fresh pages to
    /// fault in, one shared panel stays warm (thread CPU time under load, n = 100 000, p = 64, five seeded folds of
    /// 256-row chunks, medians of 31 in one process: the fold pass took 4–5 % less, 13.1–13.9 ms against 13.6–14.5 ms,
    /// about as long as one plain Gram pass of all rows). The owner must stay undisposed while this accumulator
    /// adds, and the two must never add concurrently; results are bitwise unchanged (the workspace is scratch within
    /// one Add).
    /// </summary>
    internal void BorrowWorkspaces(GramAccumulator owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        _workspaceOwner = ReferenceEquals(owner, this) ? null : owner;
    }

    /// <summary>The workspace pool, grown to at least <paramref name="count"/> entries (never re-sliced, so an Add
    /// after a wider parallel one allocates nothing).</summary>
    private GramWorkspace<T>[] Workspaces<T>(int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (_workspaceOwner is not null)
        {
            return _workspaceOwner.Workspaces<T>(count);
        }

        if (typeof(T) == typeof(double))
        {
            _doubleWorkspaces = Grow(_doubleWorkspaces, count);
            return (GramWorkspace<T>[])(object)_doubleWorkspaces;
        }

        _floatWorkspaces = Grow(_floatWorkspaces, count);
        return (GramWorkspace<T>[])(object)_floatWorkspaces;
    }

    private GramWorkspace<TW>[] Grow<TW>(GramWorkspace<TW>[] current, int count)
        where TW : unmanaged, IFloatingPointIeee754<TW>
    {
        if (current.Length >= count)
        {
            return current;
        }

        var grown = new GramWorkspace<TW>[count];
        Array.Copy(current, grown, current.Length);
        for (int i = current.Length; i < count; i++)
        {
            grown[i] = new GramWorkspace<TW>(_q, GramEngine.PanelWidth<TW>(), GramBlocking.For(KernelSelection.Active));
        }

        return grown;
    }
}
