using System;
using System.Globalization;
using System.Numerics;
using RidgeCore.Models;

namespace RidgeCore;

/// <summary>
/// A reusable ridge workspace for p features and t targets: created once, it fits again and again (new data, new
/// statistics, new λ) without allocating, and leaves its results in buffers it owns until the next fit. Use one per
/// thread; an instance is not safe for concurrent use.
/// </summary>
/// <remarks>
/// <para>The problem solved and its options are described on <see cref="RidgeOptions"/>; the result properties mirror
/// <see cref="RidgeModel"/>'s and stay valid (unchanged) until the next successful fit. A fit that throws leaves them as
/// they were. <see cref="ToModel"/> takes an immutable snapshot.</para>
/// <para><b>Allocation.</b> The constructor allocates every buffer (O(p² + p·t + t²) doubles and a
/// <see cref="CholeskyFactor"/>). After that, fits from statistics allocate nothing; in-memory fits allocate nothing
/// with <see cref="RidgeOptions.DegreeOfParallelism"/> 1 (the first in-memory fit of each intercept setting creates
/// its accumulator; with more threads, the accumulator's parallel path allocates a few small objects per call). The
/// QR fallback allocates its factor the first time it runs for a given row count.</para>
/// <example>
/// <code>
/// using var solver = new RidgeSolver(features: 32, targets: 1);
/// var options = new RidgeOptions { Lambda = 1e-3 };
/// var coefficients = new double[32];
/// var intercept = new double[1];
/// foreach (Batch b in batches)
/// {
///     solver.Fit(b.X, b.Y, options);               // no allocation after the first call
///     solver.CopyTo(coefficients, intercept);
/// }
///
/// // From statistics (streamed, merged, deserialized): λ can change on every refit.
/// options.Lambda = 0.1;
/// solver.Fit(accumulator, options);
/// </code>
/// </example>
/// </remarks>
public sealed class RidgeSolver : IDisposable
{
    // Rows per Add when the accumulator runs on one thread: below GramAccumulator's striping threshold, so every Add
    // takes its allocation-free single-stripe path. Chunking costs one merge of the (p + t)² statistics per 8 192 rows.
    private const int ChunkRows = 8192;

    private readonly RidgeEngine _engine;
    private GramAccumulator? _centered;
    private GramAccumulator? _uncentered;
    private bool _disposed;

    /// <summary>Creates a solver for p features and t targets and allocates everything its fits will need.</summary>
    /// <param name="features">p ≥ 1.</param>
    /// <param name="targets">t ≥ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is below 1.</exception>
    public RidgeSolver(int features, int targets = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targets, 1);
        Features = features;
        Targets = targets;
        _engine = new RidgeEngine(features, targets);
    }

    /// <summary>p, the number of features.</summary>
    public int Features { get; }

    /// <summary>t, the number of targets.</summary>
    public int Targets { get; }

    /// <summary>Whether a fit has succeeded, so that the result properties hold one.</summary>
    public bool HasFit => _engine.HasFit;

    /// <inheritdoc cref="RidgeModel.Coefficients"/>
    public ReadOnlySpan<double> Coefficients => Result(_engine.Coefficients);

    /// <inheritdoc cref="RidgeModel.Intercepts"/>
    public ReadOnlySpan<double> Intercepts => Result(_engine.Intercepts);

    /// <inheritdoc cref="RidgeModel.Lambdas"/>
    public ReadOnlySpan<double> Lambdas => Result(_engine.Lambdas);

    /// <inheritdoc cref="RidgeModel.RSquared"/>
    public ReadOnlySpan<double> RSquared => Result(_engine.RSquared);

    /// <inheritdoc cref="RidgeModel.EffectiveDegreesOfFreedom"/>
    /// <remarks>A fit whose matrix is provably well inside <see cref="RidgeOptions.MaxConditionNumber"/> (one λ for all
    /// targets, no refinement) computes this on the first read instead of during the fit, from the fit's own factor:
    /// the value is the same, and callers that never read it do not pay for it (about 4 µs at p = 32). The first read
    /// may therefore take that long; later fits, even failed ones, do not change it.</remarks>
    public ReadOnlySpan<double> EffectiveDegreesOfFreedom => Diagnostic(_engine.DegreesOfFreedom);

    /// <inheritdoc cref="RidgeModel.ConditionNumbers"/>
    /// <remarks>A fit whose matrix is provably well inside <see cref="RidgeOptions.MaxConditionNumber"/> (one λ for all
    /// targets, no refinement) computes this on the first read instead of during the fit, from the fit's own factor:
    /// the value is the same, and callers that never read it do not pay for it (about 4 µs at p = 32). The first read
    /// may therefore take that long; later fits, even failed ones, do not change it.</remarks>
    public ReadOnlySpan<double> ConditionNumbers => Diagnostic(_engine.ConditionNumbers);

    /// <inheritdoc cref="RidgeModel.SolverPaths"/>
    public ReadOnlySpan<RidgeSolverPath> SolverPaths => _engine.HasFit ? _engine.Paths : throw NoFit();

    /// <inheritdoc cref="RidgeModel.RowCount"/>
    public long RowCount => _engine.HasFit ? _engine.RowCount : throw NoFit();

    /// <inheritdoc cref="RidgeModel.WeightSum"/>
    public double WeightSum => _engine.HasFit ? _engine.WeightSum : throw NoFit();

    /// <summary>Fits from sufficient statistics alone (streamed, merged or deserialized data). No refinement and no
    /// QR fallback are possible: a problem whose condition estimate exceeds <see cref="RidgeOptions.MaxConditionNumber"/>
    /// throws <see cref="IllConditionedException"/>.</summary>
    /// <param name="statistics">An accumulator with p features and t targets; centered for a fit with an intercept
    /// (a centered accumulator also serves a fit without one). It is read, never changed.</param>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentException">The accumulator's shape does not match, it is uncentered and an intercept is
    /// asked for, it holds no weight, or an option's length is wrong.</exception>
    /// <exception cref="InvalidValueException">A λ or penalty factor is negative or not finite (names the index).</exception>
    /// <exception cref="SingularMatrixException">The problem has no unique solution (for example λ = 0 with a constant
    /// column or p ≥ n).</exception>
    /// <exception cref="IllConditionedException">The problem is too ill-conditioned to solve from statistics.</exception>
    public void Fit(GramAccumulator statistics, RidgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        ArgumentNullException.ThrowIfNull(options);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (statistics.Features != Features || statistics.Targets != Targets)
        {
            RidgeThrow.Shape(
                nameof(statistics),
                string.Create(CultureInfo.InvariantCulture, $"The accumulator has p = {statistics.Features}, t = {statistics.Targets}; this solver is for p = {Features}, t = {Targets}."));
        }

        _engine.ReadOptions(options);
        _engine.LoadStatistics(statistics, statistics.RowCount);
        _engine.Solve<double>(options, hasData: false, default, default, default);
    }

    /// <summary>Fits from data in memory, refined against the data and with the QR fallback (see
    /// <see cref="RidgeOptions.Refine"/> and <see cref="RidgeOptions.MaxConditionNumber"/>).</summary>
    /// <param name="x">X, n × p.</param>
    /// <param name="y">Y, n × t.</param>
    /// <param name="options">The options.</param>
    /// <param name="weights">n finite, non-negative sample weights, or empty for unit weights.</param>
    /// <exception cref="ArgumentException">A shape or length is wrong, or every weight is zero.</exception>
    /// <exception cref="InvalidValueException">X or Y holds NaN or ±∞, a weight is negative or not finite, or a λ or
    /// penalty factor is negative or not finite (each names the argument and index).</exception>
    /// <exception cref="SingularMatrixException">The problem has no unique solution (for example λ = 0 with a constant
    /// column or p ≥ n).</exception>
    /// <exception cref="IllConditionedException">Even the QR fallback is too ill-conditioned.</exception>
    public void Fit(MatrixView<double> x, MatrixView<double> y, RidgeOptions options, ReadOnlySpan<double> weights)
        => FitData(x, y, options, weights);

    /// <summary>Fits from unweighted data in memory (see <see cref="Fit(MatrixView{double}, MatrixView{double}, RidgeOptions, ReadOnlySpan{double})"/>).</summary>
    /// <param name="x">X, n × p.</param>
    /// <param name="y">Y, n × t.</param>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentException">A shape is wrong.</exception>
    /// <exception cref="InvalidValueException">X or Y holds NaN or ±∞, or a λ or penalty factor is negative or not finite.</exception>
    /// <exception cref="SingularMatrixException">The problem has no unique solution.</exception>
    /// <exception cref="IllConditionedException">Even the QR fallback is too ill-conditioned.</exception>
    public void Fit(MatrixView<double> x, MatrixView<double> y, RidgeOptions options) => FitData(x, y, options, ReadOnlySpan<double>.Empty);

    /// <summary>Fits from float data in memory. The Gram is accumulated in float (totals in double); refinement, on by
    /// default, then works from the exactly widened data, so the result is as accurate as a double fit when the problem
    /// is well enough conditioned for float statistics (κ ≲ 10⁶).</summary>
    /// <param name="x">X, n × p.</param>
    /// <param name="y">Y, n × t.</param>
    /// <param name="options">The options.</param>
    /// <param name="weights">n finite, non-negative sample weights, or empty for unit weights.</param>
    /// <exception cref="ArgumentException">A shape or length is wrong, or every weight is zero.</exception>
    /// <exception cref="InvalidValueException">X or Y holds NaN or ±∞, a weight is negative or not finite, or a λ or
    /// penalty factor is negative or not finite.</exception>
    /// <exception cref="SingularMatrixException">The problem has no unique solution.</exception>
    /// <exception cref="IllConditionedException">Even the QR fallback is too ill-conditioned.</exception>
    public void Fit(MatrixView<float> x, MatrixView<float> y, RidgeOptions options, ReadOnlySpan<float> weights)
        => FitData(x, y, options, weights);

    /// <summary>Fits from unweighted float data in memory.</summary>
    /// <param name="x">X, n × p.</param>
    /// <param name="y">Y, n × t.</param>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentException">A shape is wrong.</exception>
    /// <exception cref="InvalidValueException">X or Y holds NaN or ±∞, or a λ or penalty factor is negative or not finite.</exception>
    /// <exception cref="SingularMatrixException">The problem has no unique solution.</exception>
    /// <exception cref="IllConditionedException">Even the QR fallback is too ill-conditioned.</exception>
    public void Fit(MatrixView<float> x, MatrixView<float> y, RidgeOptions options) => FitData(x, y, options, ReadOnlySpan<float>.Empty);

    /// <summary>Copies the coefficients (p × t row-major) and intercepts (t) of the last fit.</summary>
    /// <param name="coefficients">p·t values.</param>
    /// <param name="intercepts">t values.</param>
    /// <exception cref="ArgumentException">A length is wrong; nothing is written.</exception>
    /// <exception cref="InvalidOperationException">There is no fit yet.</exception>
    public void CopyTo(Span<double> coefficients, Span<double> intercepts)
    {
        ReadOnlySpan<double> c = Coefficients;
        if (coefficients.Length != c.Length)
        {
            RidgeThrow.Shape(nameof(coefficients), string.Create(CultureInfo.InvariantCulture, $"coefficients has {coefficients.Length} values; p·t = {c.Length} are needed."));
        }

        if (intercepts.Length != Targets)
        {
            RidgeThrow.Shape(nameof(intercepts), string.Create(CultureInfo.InvariantCulture, $"intercepts has {intercepts.Length} values; t = {Targets} are needed."));
        }

        c.CopyTo(coefficients);
        Intercepts.CopyTo(intercepts);
    }

    /// <summary>An immutable snapshot of the last fit (allocates the model's arrays).</summary>
    /// <returns>The model.</returns>
    /// <exception cref="InvalidOperationException">There is no fit yet.</exception>
    public RidgeModel ToModel()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_engine.HasFit)
        {
            throw NoFit();
        }

        _engine.EnsureDiagnostics();
        return new RidgeModel(_engine, Features, Targets);
    }

    /// <summary>Frees the native buffers.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _engine.Dispose();
        _centered?.Dispose();
        _uncentered?.Dispose();
    }

    private static InvalidOperationException NoFit() => new("The solver holds no fit yet: call Fit first.");

    /// <summary>Whether the last fit left its condition estimate and degrees of freedom for the first read (tests).</summary>
    internal bool DiagnosticsPending => _engine.DiagnosticsPending;

    private ReadOnlySpan<double> Result(double[] values) => _engine.HasFit ? values : throw NoFit();

    /// <summary>A diagnostic of the fit: a fit that did not need its condition estimate or degrees of freedom leaves
    /// them to the first read (they cost about as much as the factorization at small p).</summary>
    private ReadOnlySpan<double> Diagnostic(double[] values)
    {
        if (!_engine.HasFit)
        {
            throw NoFit();
        }

        _engine.EnsureDiagnostics();
        return values;
    }

    private void FitData<T>(MatrixView<T> x, MatrixView<T> y, RidgeOptions options, ReadOnlySpan<T> weights)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(options);
        ObjectDisposedException.ThrowIf(_disposed, this);
        long positiveRows = ValidateData(x, y, weights);
        _engine.ReadOptions(options);

        GramAccumulator statistics = Accumulator(options.FitIntercept);
        statistics.Reset();
        statistics.DegreeOfParallelism = options.DegreeOfParallelism;
        if (options.DegreeOfParallelism > 1 || x.Rows <= ChunkRows)
        {
            Add(statistics, x, y, weights, 0);
        }
        else
        {
            for (int start = 0; start < x.Rows; start += ChunkRows)
            {
                int count = Math.Min(ChunkRows, x.Rows - start);
                Add(statistics, x.SliceRows(start, count), y.SliceRows(start, count), weights.IsEmpty ? default : weights.Slice(start, count), start);
            }
        }

        _engine.LoadStatistics(statistics, positiveRows);
        _engine.Solve(options, hasData: true, x, y, weights);
    }

    private static void Add<T>(GramAccumulator statistics, MatrixView<T> x, MatrixView<T> y, ReadOnlySpan<T> weights, int firstRow)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        try
        {
            if (typeof(T) == typeof(double))
            {
                MatrixView<double> xd = Reinterpret<T, double>(x), yd = Reinterpret<T, double>(y);
                if (weights.IsEmpty)
                {
                    statistics.Add(xd, yd);
                }
                else
                {
                    statistics.Add(xd, yd, System.Runtime.InteropServices.MemoryMarshal.Cast<T, double>(weights));
                }
            }
            else
            {
                MatrixView<float> xf = Reinterpret<T, float>(x), yf = Reinterpret<T, float>(y);
                if (weights.IsEmpty)
                {
                    statistics.Add(xf, yf);
                }
                else
                {
                    statistics.Add(xf, yf, System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(weights));
                }
            }
        }
        catch (InvalidValueException e) when (firstRow > 0 && e.Row >= 0)
        {
            // The accumulator numbers rows within the chunk; report them within the caller's matrix.
            long row = e.Row + firstRow;
            throw new InvalidValueException(
                string.Create(CultureInfo.InvariantCulture, $"{e.ParamName}[{row}, {e.Column}] is NaN or infinite; every value must be finite."),
                e.ParamName ?? "x",
                row,
                e.Column);
        }
    }

    private static MatrixView<TTo> Reinterpret<TFrom, TTo>(MatrixView<TFrom> view)
        where TFrom : unmanaged
        where TTo : unmanaged
        => new(System.Runtime.InteropServices.MemoryMarshal.Cast<TFrom, TTo>(view.Data), view.Rows, view.Columns, view.RowStride);

    /// <summary>Shapes and weights, checked before anything changes; returns the number of rows with positive weight.</summary>
    private long ValidateData<T>(MatrixView<T> x, MatrixView<T> y, ReadOnlySpan<T> weights)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Columns != Features)
        {
            RidgeThrow.Shape(nameof(x), string.Create(CultureInfo.InvariantCulture, $"x has {x.Columns} columns; this solver is for p = {Features} features."));
        }

        if (y.Columns != Targets)
        {
            RidgeThrow.Shape(nameof(y), string.Create(CultureInfo.InvariantCulture, $"y has {y.Columns} columns; this solver is for t = {Targets} targets."));
        }

        if (y.Rows != x.Rows)
        {
            RidgeThrow.Shape(nameof(y), string.Create(CultureInfo.InvariantCulture, $"y has {y.Rows} rows but x has {x.Rows}."));
        }

        if (x.Rows == 0)
        {
            RidgeThrow.Shape(nameof(x), "x has no rows; a fit needs at least one.");
        }

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
                    string.Create(CultureInfo.InvariantCulture, $"weights[{i}] = {wi}: sample weights must be finite and non-negative."),
                    nameof(weights),
                    i,
                    -1);
            }

            positive += wi > T.Zero ? 1 : 0;
        }

        if (positive == 0)
        {
            RidgeThrow.NoWeight(nameof(weights));
        }

        return positive;
    }

    private GramAccumulator Accumulator(bool intercept)
        => intercept
            ? _centered ??= new GramAccumulator(Features, Targets, GramMode.Centered)
            : _uncentered ??= new GramAccumulator(Features, Targets, GramMode.Uncentered);
}
