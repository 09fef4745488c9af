using System;
using System.Numerics;
using RidgeCore.Iterative;

namespace RidgeCore;

/// <summary>
/// A linear model fitted by mini-batch stochastic gradient descent: squared (ridge), logistic or Huber loss with an L2
/// penalty (coupled or as decoupled weight decay), learning-rate schedules, Polyak–Ruppert averaging, early stopping,
/// and <see cref="PartialFit(MatrixView{double}, ReadOnlySpan{double})"/> for data that arrive in batches. Float and
/// double data; one precision per model between <see cref="Fit(MatrixView{double}, ReadOnlySpan{double})"/> calls.
/// </summary>
/// <remarks>
/// <para>Each step reads the rows of one mini-batch once (margins and gradient in one fused pass) and updates θ with
/// one vectorized p-length operation; with <see cref="SgdOptions.ScaleTrick"/> the L2 decay itself costs O(1). An
/// epoch allocates nothing; a fit allocates the row order once.</para>
/// <para>A blow-up (an infinite or NaN gradient or coefficient, or a decay factor 1 − 2ηλ ≤ 0) throws
/// <see cref="DivergenceException"/> and leaves the model as it was before the call.</para>
/// <para>An instance is not safe for concurrent calls; separate instances are independent.</para>
/// </remarks>
public sealed class SgdRegressor
{
    private SgdEngine<double>? _double;
    private SgdEngine<float>? _single;
    private double[] _coefficients = [];

    /// <summary>Creates an unfitted model.</summary>
    /// <param name="options">The options, read at each call (they may be changed between calls).</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public SgdRegressor(SgdOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    /// <summary>The options.</summary>
    public SgdOptions Options { get; }

    /// <summary>Whether a fit (or partial fit) has run.</summary>
    public bool IsFitted => _double is not null || _single is not null;

    /// <summary>θ, one coefficient per feature (the running average when <see cref="SgdOptions.Average"/> is set);
    /// empty before the first fit.</summary>
    public ReadOnlySpan<double> Coefficients => _coefficients;

    /// <summary>The intercept b (its running average when averaging).</summary>
    public double Intercept { get; private set; }

    /// <summary>Mini-batch steps taken since the last <see cref="Fit(MatrixView{double}, ReadOnlySpan{double})"/> (t of
    /// the schedules; <see cref="PartialFit(MatrixView{double}, ReadOnlySpan{double})"/> continues it).</summary>
    public long Steps => _double?.Steps ?? _single?.Steps ?? 0;

    /// <summary>Fits from scratch with unit weights.</summary>
    /// <param name="x">n × p features (finite).</param>
    /// <param name="y">n targets (labels 0 or 1 for the logistic loss).</param>
    /// <returns>Epochs run, the final objective, and why the fit stopped.</returns>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The batch size exceeds the number of training rows.</exception>
    /// <exception cref="InvalidValueException">A value is not finite, or a logistic label is not 0 or 1.</exception>
    /// <exception cref="DivergenceException">The iteration blew up; use a smaller learning rate.</exception>
    public IterativeFitResult Fit(MatrixView<double> x, ReadOnlySpan<double> y) => Fit(x, y, default);

    /// <summary>Fits from scratch with sample weights.</summary>
    /// <param name="x">n × p features (finite).</param>
    /// <param name="y">n targets (labels 0 or 1 for the logistic loss).</param>
    /// <param name="weights">n finite, non-negative weights with a positive sum, or empty for all ones.</param>
    /// <returns>Epochs run, the final objective, and why the fit stopped.</returns>
    /// <exception cref="ArgumentException">The shapes do not match, or Σw = 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The batch size exceeds the number of training rows.</exception>
    /// <exception cref="InvalidValueException">A value is not finite, a weight is negative, or a logistic label is not
    /// 0 or 1.</exception>
    /// <exception cref="DivergenceException">The iteration blew up; use a smaller learning rate.</exception>
    public IterativeFitResult Fit(MatrixView<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights)
    {
        Validate(x, y, weights);
        var engine = _double is { } e && e.Features == x.Columns ? e : new SgdEngine<double>(x.Columns);
        IterativeFitResult result = RunFit(engine, x, y, weights);
        _double = engine;
        _single = null;
        return result;
    }

    /// <summary>Fits from scratch to float data (the passes and the state are float).</summary>
    /// <param name="x">n × p features (finite).</param>
    /// <param name="y">n targets (labels 0 or 1 for the logistic loss).</param>
    /// <returns>Epochs run, the final objective, and why the fit stopped.</returns>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The batch size exceeds the number of training rows.</exception>
    /// <exception cref="InvalidValueException">A value is not finite, or a logistic label is not 0 or 1.</exception>
    /// <exception cref="DivergenceException">The iteration blew up; use a smaller learning rate.</exception>
    public IterativeFitResult Fit(MatrixView<float> x, ReadOnlySpan<float> y) => Fit(x, y, default);

    /// <summary>Fits from scratch to float data with sample weights.</summary>
    /// <param name="x">n × p features (finite).</param>
    /// <param name="y">n targets (labels 0 or 1 for the logistic loss).</param>
    /// <param name="weights">n finite, non-negative weights with a positive sum, or empty for all ones.</param>
    /// <returns>Epochs run, the final objective, and why the fit stopped.</returns>
    /// <exception cref="ArgumentException">The shapes do not match, or Σw = 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The batch size exceeds the number of training rows.</exception>
    /// <exception cref="InvalidValueException">A value is not finite, a weight is negative, or a logistic label is not
    /// 0 or 1.</exception>
    /// <exception cref="DivergenceException">The iteration blew up; use a smaller learning rate.</exception>
    public IterativeFitResult Fit(MatrixView<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> weights)
    {
        Validate(x, y, weights);
        var engine = _single is { } e && e.Features == x.Columns ? e : new SgdEngine<float>(x.Columns);
        IterativeFitResult result = RunFit(engine, x, y, weights);
        _single = engine;
        _double = null;
        return result;
    }

    /// <summary>One pass over these rows, in their order, in mini-batches of <see cref="SgdOptions.BatchSize"/> (the last
    /// one shorter if the count is not a multiple), continuing from the current state and step counter. Successive
    /// calls on consecutive chunks whose sizes are multiples of the batch size take exactly the steps of one epoch of
    /// <see cref="Fit(MatrixView{double}, ReadOnlySpan{double})"/> over their concatenation without shuffling. Rows are
    /// not shuffled here: shuffle them before the call if they arrive sorted.</summary>
    /// <param name="x">n × p features (finite; p fixed by the first call).</param>
    /// <param name="y">n targets.</param>
    /// <exception cref="ArgumentException">The shapes do not match the data or the model.</exception>
    /// <exception cref="InvalidOperationException">The model was fitted to float data.</exception>
    /// <exception cref="InvalidValueException">A value is not finite, or a logistic label is not 0 or 1.</exception>
    /// <exception cref="DivergenceException">The iteration blew up; the model is left as it was before the call.</exception>
    public void PartialFit(MatrixView<double> x, ReadOnlySpan<double> y) => PartialFit(x, y, default);

    /// <summary>One pass over these weighted rows; see <see cref="PartialFit(MatrixView{double}, ReadOnlySpan{double})"/>.</summary>
    /// <param name="x">n × p features.</param>
    /// <param name="y">n targets.</param>
    /// <param name="weights">n non-negative weights, or empty for all ones.</param>
    /// <exception cref="ArgumentException">The shapes do not match the data or the model.</exception>
    /// <exception cref="InvalidOperationException">The model was fitted to float data.</exception>
    /// <exception cref="InvalidValueException">A value is not finite, a weight is negative, or a logistic label is not 0 or 1.</exception>
    /// <exception cref="DivergenceException">The iteration blew up; the model is left as it was before the call.</exception>
    public void PartialFit(MatrixView<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights)
    {
        Validate(x, y, weights);
        if (_single is not null)
        {
            throw new InvalidOperationException("This model was fitted to float data; call PartialFit with float data, or Fit to start over.");
        }

        _double ??= NewEngine<double>(x.Columns);
        RunPartialFit(_double, x, y, weights);
    }

    /// <summary>One pass over these float rows; see <see cref="PartialFit(MatrixView{double}, ReadOnlySpan{double})"/>.</summary>
    /// <param name="x">n × p features.</param>
    /// <param name="y">n targets.</param>
    /// <exception cref="ArgumentException">The shapes do not match the data or the model.</exception>
    /// <exception cref="InvalidOperationException">The model was fitted to double data.</exception>
    /// <exception cref="InvalidValueException">A value is not finite, or a logistic label is not 0 or 1.</exception>
    /// <exception cref="DivergenceException">The iteration blew up; the model is left as it was before the call.</exception>
    public void PartialFit(MatrixView<float> x, ReadOnlySpan<float> y) => PartialFit(x, y, default);

    /// <summary>One pass over these weighted float rows; see <see cref="PartialFit(MatrixView{double}, ReadOnlySpan{double})"/>.</summary>
    /// <param name="x">n × p features.</param>
    /// <param name="y">n targets.</param>
    /// <param name="weights">n non-negative weights, or empty for all ones.</param>
    /// <exception cref="ArgumentException">The shapes do not match the data or the model.</exception>
    /// <exception cref="InvalidOperationException">The model was fitted to double data.</exception>
    /// <exception cref="InvalidValueException">A value is not finite, a weight is negative, or a logistic label is not 0 or 1.</exception>
    /// <exception cref="DivergenceException">The iteration blew up; the model is left as it was before the call.</exception>
    public void PartialFit(MatrixView<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> weights)
    {
        Validate(x, y, weights);
        if (_double is not null)
        {
            throw new InvalidOperationException("This model was fitted to double data; call PartialFit with double data, or Fit to start over.");
        }

        _single ??= NewEngine<float>(x.Columns);
        RunPartialFit(_single, x, y, weights);
    }

    /// <summary>Predicts b + x·θ for every row (for the logistic loss this is the log-odds; σ of it is P(y = 1)).
    /// Allocates nothing.</summary>
    /// <param name="x">n × p features.</param>
    /// <param name="destination">n predictions.</param>
    /// <exception cref="InvalidOperationException">The model is not fitted.</exception>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    public void Predict(MatrixView<double> x, Span<double> destination)
    {
        CheckPredict(x, destination);
        for (int i = 0; i < x.Rows; i++)
        {
            destination[i] = VectorPrimitives.Dot(x.Row(i), _coefficients) + Intercept;
        }
    }

    private static SgdEngine<T> NewEngine<T>(int features)
        where T : unmanaged, IFloatingPointIeee754<T>
        => new(features);

    private IterativeFitResult RunFit<T>(SgdEngine<T> engine, MatrixView<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> w)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SgdOptions options = Options.Clone();
        if (options.Schedule == LearningRateSchedule.Optimal && !((2 * options.Lambda) + options.WeightDecay > 0))
        {
            throw new InvalidOperationException("The Optimal schedule 1/(μ(t₀ + t)) needs a penalty: set Options.Lambda or Options.WeightDecay above 0.");
        }

        bool had = IsFitted && engine.Features == x.Columns;
        if (had)
        {
            engine.Save();
        }

        try
        {
            (int epochs, IterativeStopReason reason) = engine.Fit(x, y, w, options);
            Publish(engine, options);
            double objective = engine.Objective(x, y, w, options);
            return new IterativeFitResult((double[])_coefficients.Clone(), Intercept, epochs, objective, reason, options.Lambda + (options.WeightDecay / 2));
        }
        catch (Exception) when (had)
        {
            engine.Restore();
            throw;
        }
    }

    private void RunPartialFit<T>(SgdEngine<T> engine, MatrixView<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> w)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (engine.Features != x.Columns)
        {
            throw new ArgumentException($"x has {x.Columns} columns but the model has {engine.Features} features.", nameof(x));
        }

        SgdOptions options = Options;
        if (options.Schedule == LearningRateSchedule.Optimal && !((2 * options.Lambda) + options.WeightDecay > 0))
        {
            throw new InvalidOperationException("The Optimal schedule 1/(μ(t₀ + t)) needs a penalty: set Options.Lambda or Options.WeightDecay above 0.");
        }

        if (engine.Steps == 0)
        {
            engine.Reset(options);
        }

        engine.Save();
        try
        {
            engine.PartialFit(x, y, w, options);
        }
        catch (DivergenceException)
        {
            engine.Restore();
            throw;
        }

        Publish(engine, options);
    }

    private void Publish<T>(SgdEngine<T> engine, SgdOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (_coefficients.Length != engine.Features)
        {
            _coefficients = new double[engine.Features];
        }

        Intercept = engine.CopyCoefficients(options, _coefficients);
    }

    private void Validate<T>(MatrixView<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> weights)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        IterativeInput.CheckShape(x, y.Length, nameof(y), weights);
        IterativeInput.CheckFinite(x, nameof(x));
        IterativeInput.CheckFinite(y, nameof(y));
        if (Options.Loss == SgdLoss.Logistic)
        {
            IterativeInput.CheckBinary(y, nameof(y));
        }

        IterativeInput.CheckWeights(weights, x.Rows);
    }

    private void CheckPredict(MatrixView<double> x, Span<double> destination)
    {
        if (!IsFitted)
        {
            throw new InvalidOperationException("The model is not fitted yet.");
        }

        if (x.Columns != _coefficients.Length)
        {
            throw new ArgumentException($"x has {x.Columns} columns but the model has {_coefficients.Length} features.", nameof(x));
        }

        if (destination.Length < x.Rows)
        {
            throw new ArgumentException($"destination has {destination.Length} values but x has {x.Rows} rows.", nameof(destination));
        }
    }
}
