using System;
using System.Globalization;
using RidgeCore.Iterative;

namespace RidgeCore;

/// <summary>
/// L2-penalized logistic regression for services that fit many problems of one width: the same Newton/IRLS fit as
/// <see cref="LogisticRegression.Fit(MatrixView{double}, ReadOnlySpan{double}, LogisticOptions, ReadOnlySpan{double})"/>
/// (bitwise the same coefficients), with its workspaces kept between calls, so a fit allocates nothing once the
/// solver has seen a batch of that many rows. The results stay in the solver until the next fit.
/// </summary>
/// <remarks>
/// <para>What the solver keeps: the Gram accumulator and the two Cholesky factors of a p-feature Newton fit, p- and
/// (p + 1)-long vectors and (p + 1)² matrices, and two n-long margin buffers rented from the shared array pool (grown
/// when a longer batch arrives, returned by <see cref="Dispose"/>). Switching <see cref="LogisticOptions.FitIntercept"/>
/// between fits rebuilds the workspaces once. Float data are widened to double in a buffer the solver also keeps
/// (8·n·p bytes), and the fit runs in double.</para>
/// <para>A fit that throws (bad labels or weights, a NaN or ±∞ in X, a singular Hessian) leaves the previous fit's
/// results in place. An instance is not safe for concurrent calls; separate instances are independent.</para>
/// </remarks>
/// <example>
/// <code>
/// using var solver = new LogisticSolver(features: 32);
/// var options = new LogisticOptions { Lambda = 1e-4 };
/// foreach (Batch b in batches)
/// {
///     solver.Fit(b.X, b.Labels, options);          // no allocation after the first call of this size
///     Use(solver.Coefficients, solver.Intercept);
/// }
/// </code>
/// </example>
public sealed class LogisticSolver : IDisposable
{
    private readonly double[] _coefficients;
    private LogisticEngine? _engine;
    private bool _engineIntercept;
    private LogisticFitSummary _fit;
    private bool _hasFit;
    private bool _disposed;
    private double[] _wideX = [];
    private double[] _wideLabels = [];
    private double[] _wideWeights = [];

    /// <summary>Creates a solver for p features.</summary>
    /// <param name="features">p ≥ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="features"/> is below 1.</exception>
    public LogisticSolver(int features)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        Features = features;
        _coefficients = new double[features];
    }

    /// <summary>The number of features p.</summary>
    public int Features { get; }

    /// <summary>Whether a fit has succeeded since the solver was created.</summary>
    public bool HasFit => _hasFit;

    /// <summary>θ of the last fit, one coefficient per feature.</summary>
    /// <exception cref="InvalidOperationException">No fit yet.</exception>
    public ReadOnlySpan<double> Coefficients => _hasFit ? _coefficients : throw NoFit();

    /// <summary>The intercept b of the last fit (0 without one).</summary>
    /// <exception cref="InvalidOperationException">No fit yet.</exception>
    public double Intercept => Last.Intercept;

    /// <summary>Newton (or chord) steps on all rows in the last fit.</summary>
    /// <exception cref="InvalidOperationException">No fit yet.</exception>
    public int Iterations => Last.Iterations;

    /// <summary>Newton steps on row subsamples before those on all rows (see <see cref="LogisticRegression"/>).</summary>
    /// <exception cref="InvalidOperationException">No fit yet.</exception>
    public int SubsampleIterations => Last.SubsampleIterations;

    /// <summary>Hessians (a weighted Gram and its Cholesky factorization) built in the last fit.</summary>
    /// <exception cref="InvalidOperationException">No fit yet.</exception>
    public int HessianUpdates => Last.HessianUpdates;

    /// <summary>The objective (1/Σw)·Σᵢ wᵢℓᵢ + λ‖θ‖² at the last fit's coefficients.</summary>
    /// <exception cref="InvalidOperationException">No fit yet.</exception>
    public double Objective => Last.Objective;

    /// <summary>λ of the last fit (project convention).</summary>
    /// <exception cref="InvalidOperationException">No fit yet.</exception>
    public double Lambda => Last.Lambda;

    /// <summary>Σw of the last fit's rows.</summary>
    /// <exception cref="InvalidOperationException">No fit yet.</exception>
    public double WeightSum => Last.WeightSum;

    /// <summary>Why the last fit stopped.</summary>
    /// <exception cref="InvalidOperationException">No fit yet.</exception>
    public IterativeStopReason StopReason => Last.StopReason;

    /// <summary>Whether the last fit met its tolerance.</summary>
    /// <exception cref="InvalidOperationException">No fit yet.</exception>
    public bool Converged => Last.StopReason == IterativeStopReason.Tolerance;

    private LogisticFitSummary Last => _hasFit ? _fit : throw NoFit();

    /// <summary>Fits the model with unit weights.</summary>
    /// <param name="x">n × p features (finite).</param>
    /// <param name="labels">n labels, each exactly 0 or 1.</param>
    /// <param name="options">λ, the intercept and the stopping rule.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The shapes do not match the solver or each other.</exception>
    /// <exception cref="InvalidValueException">A label is not 0 or 1, or a feature is not finite (row and column named).</exception>
    /// <exception cref="NotPositiveDefiniteException">λ = 0 and the weighted Gram is singular.</exception>
    /// <exception cref="ObjectDisposedException">The solver was disposed.</exception>
    public void Fit(MatrixView<double> x, ReadOnlySpan<double> labels, LogisticOptions options) => Fit(x, labels, options, ReadOnlySpan<double>.Empty);

    /// <summary>Fits the model with sample weights.</summary>
    /// <param name="x">n × p features (finite).</param>
    /// <param name="labels">n labels, each exactly 0 or 1.</param>
    /// <param name="options">λ, the intercept and the stopping rule.</param>
    /// <param name="weights">n finite, non-negative weights with a positive sum, or empty for all ones.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The shapes do not match the solver or each other, or no row has positive weight.</exception>
    /// <exception cref="InvalidValueException">A label is not 0 or 1, a feature is not finite, or a weight is negative or
    /// not finite (the argument, row and column are named).</exception>
    /// <exception cref="NotPositiveDefiniteException">λ = 0 and the weighted Gram is singular.</exception>
    /// <exception cref="ObjectDisposedException">The solver was disposed.</exception>
    public void Fit(MatrixView<double> x, ReadOnlySpan<double> labels, LogisticOptions options, ReadOnlySpan<double> weights)
    {
        CheckCall(x, labels.Length, options, weights);
        LogisticEngine engine = Engine(options.FitIntercept);
        LogisticFitSummary fit = engine.FitInPlace(x, labels, options, weights);
        engine.Theta.CopyTo(_coefficients);
        _fit = fit;
        _hasFit = true;
    }

    /// <summary>Fits the model to float data with unit weights (widened to double exactly; the fit runs in double).</summary>
    /// <inheritdoc cref="Fit(MatrixView{double}, ReadOnlySpan{double}, LogisticOptions)"/>
    public void Fit(MatrixView<float> x, ReadOnlySpan<float> labels, LogisticOptions options) => Fit(x, labels, options, ReadOnlySpan<float>.Empty);

    /// <summary>Fits the model to float data with sample weights (widened to double exactly; the fit runs in double).</summary>
    /// <inheritdoc cref="Fit(MatrixView{double}, ReadOnlySpan{double}, LogisticOptions, ReadOnlySpan{double})"/>
    public void Fit(MatrixView<float> x, ReadOnlySpan<float> labels, LogisticOptions options, ReadOnlySpan<float> weights)
    {
        CheckCall(x, labels.Length, options, weights);
        int n = x.Rows, p = x.Columns;
        Span<double> wideX = Grow(ref _wideX, (long)n * p);
        for (int i = 0; i < n; i++)
        {
            Widen(x.Row(i), wideX.Slice(i * p, p));
        }

        Span<double> wideLabels = Grow(ref _wideLabels, n);
        Widen(labels, wideLabels);
        Span<double> wideWeights = weights.IsEmpty ? default : Grow(ref _wideWeights, n);
        Widen(weights, wideWeights);
        Fit(new MatrixView<double>(wideX, n, p), wideLabels, options, wideWeights);
    }

    /// <summary>Copies θ of the last fit.</summary>
    /// <param name="coefficients">p values.</param>
    /// <exception cref="ArgumentException"><paramref name="coefficients"/> is not p long.</exception>
    /// <exception cref="InvalidOperationException">No fit yet.</exception>
    public void CopyTo(Span<double> coefficients)
    {
        if (coefficients.Length != Features)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"coefficients has {coefficients.Length} values; the solver has p={Features}."), nameof(coefficients));
        }

        Coefficients.CopyTo(coefficients);
    }

    /// <summary>The probability P(y = 1) for one row under the last fit.</summary>
    /// <param name="row">p features.</param>
    /// <returns>σ(b + x·θ), in [0, 1].</returns>
    /// <exception cref="ArgumentException">The row does not have p values.</exception>
    /// <exception cref="InvalidOperationException">No fit yet.</exception>
    public double PredictProbability(ReadOnlySpan<double> row) => LogisticModel.Probability(Coefficients, Intercept, row);

    /// <summary>The probability P(y = 1) for every row of <paramref name="x"/> under the last fit; allocates nothing.</summary>
    /// <param name="x">n × p features.</param>
    /// <param name="destination">n probabilities; written only after the shapes are checked.</param>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    /// <exception cref="InvalidOperationException">No fit yet.</exception>
    public void PredictProbability(MatrixView<double> x, Span<double> destination) => LogisticModel.Probabilities(Coefficients, Intercept, x, destination);

    /// <summary>The last fit as an immutable model (allocates it).</summary>
    /// <returns>A model with its own copy of the coefficients.</returns>
    /// <exception cref="InvalidOperationException">No fit yet.</exception>
    public LogisticModel ToModel() => LogisticEngine.Model(Last, _coefficients);

    /// <summary>Frees the workspaces and returns the margin buffers to the pool; the last results stay readable.</summary>
    public void Dispose()
    {
        _disposed = true;
        _engine?.Dispose();
        _engine = null;
    }

    private static InvalidOperationException NoFit() => new("The solver holds no fit yet: call Fit first.");

    private static Span<double> Grow(ref double[] buffer, long length)
    {
        if (buffer.LongLength < length)
        {
            buffer = new double[length];
        }

        return buffer.AsSpan(0, (int)length);
    }

    private static void Widen(ReadOnlySpan<float> source, Span<double> destination)
    {
        for (int j = 0; j < source.Length; j++)
        {
            destination[j] = source[j];
        }
    }

    /// <summary>The checks every Fit makes before touching anything: the solver is live, options given, X p wide, and
    /// X, the labels and the weights agree in length.</summary>
    private void CheckCall<T>(MatrixView<T> x, int labels, LogisticOptions options, ReadOnlySpan<T> weights)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(options);
        CheckWidth(x.Columns, nameof(x));
        IterativeInput.CheckShape(x, labels, nameof(labels), weights);
    }

    private void CheckWidth(int columns, string name)
    {
        if (columns != Features)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{name} has {columns} columns; this solver has p={Features}."), name);
        }
    }

    private LogisticEngine Engine(bool intercept)
    {
        if (_engine is null || _engineIntercept != intercept)
        {
            _engine?.Dispose();
            _engine = new LogisticEngine(Features, intercept);
            _engineIntercept = intercept;
        }

        return _engine;
    }
}
