using System;
using System.Globalization;
using RidgeCore.Models;

namespace RidgeCore;

/// <summary>
/// A fitted ridge model: coefficients (p × t), intercepts, and what the fit knew about itself (λ, n, Σw, training R²,
/// effective degrees of freedom, condition estimates, solver path). Immutable, so one instance can be shared by any
/// number of threads; <see cref="Predict(MatrixView{double}, Span{double})"/> and
/// <see cref="PredictRow(ReadOnlySpan{double}, Span{double})"/> allocate nothing.
/// </summary>
/// <remarks>
/// Models come from <see cref="Ridge.Fit(MatrixView{double}, MatrixView{double}, RidgeOptions)"/>
/// (and its overloads) or <see cref="RidgeSolver.ToModel"/>. The prediction for row x and target k is
/// bₖ + Σⱼ xⱼ·θⱼₖ.
/// <example>
/// <code>
/// RidgeModel model = Ridge.Fit(new MatrixView&lt;double&gt;(x, n, p), new MatrixView&lt;double&gt;(y, n, 1), new RidgeOptions { Lambda = 0.01 });
/// var predictions = new double[m];
/// model.Predict(new MatrixView&lt;double&gt;(newRows, m, p), predictions);
/// Console.WriteLine($"R² {model.RSquared[0]:F3}, df {model.EffectiveDegreesOfFreedom[0]:F1}, path {model.SolverPath}");
/// </code>
/// </example>
/// </remarks>
public sealed class RidgeModel
{
    private readonly double[] _coefficients;
    private readonly double[] _byTarget;
    private readonly float[] _byTargetSingle;
    private readonly double[] _intercepts;
    private readonly float[] _interceptsSingle;
    private readonly double[] _lambdas;
    private readonly double[] _rSquared;
    private readonly double[] _degreesOfFreedom;
    private readonly double[] _conditionNumbers;
    private readonly RidgeSolverPath[] _paths;

    internal RidgeModel(RidgeEngine fit, int features, int targets)
    {
        Features = features;
        Targets = targets;
        _coefficients = (double[])fit.Coefficients.Clone();
        _intercepts = (double[])fit.Intercepts.Clone();
        _lambdas = (double[])fit.Lambdas.Clone();
        _rSquared = (double[])fit.RSquared.Clone();
        _degreesOfFreedom = (double[])fit.DegreesOfFreedom.Clone();
        _conditionNumbers = (double[])fit.ConditionNumbers.Clone();
        _paths = (RidgeSolverPath[])fit.Paths.Clone();
        RowCount = fit.RowCount;
        WeightSum = fit.WeightSum;
        FitIntercept = fit.FitIntercept;
        Standardized = fit.Standardized;

        // Target-major copies, so that each prediction is one contiguous dot product.
        _byTarget = new double[features * targets];
        _byTargetSingle = new float[features * targets];
        _interceptsSingle = new float[targets];
        for (int k = 0; k < targets; k++)
        {
            for (int j = 0; j < features; j++)
            {
                double c = _coefficients[(j * targets) + k];
                _byTarget[(k * features) + j] = c;
                _byTargetSingle[(k * features) + j] = (float)c;
            }

            _interceptsSingle[k] = (float)_intercepts[k];
        }

        double worst = 0;
        RidgeSolverPath path = RidgeSolverPath.Cholesky;
        for (int k = 0; k < targets; k++)
        {
            worst = Math.Max(worst, _conditionNumbers[k]);
            path = (RidgeSolverPath)Math.Max((int)path, (int)_paths[k]);
        }

        ConditionNumber = worst;
        SolverPath = path;
    }

    /// <summary>p, the number of features (columns of X).</summary>
    public int Features { get; }

    /// <summary>t, the number of targets (columns of Y).</summary>
    public int Targets { get; }

    /// <summary>The coefficients θ on the original scale of X, p × t row-major: entry [j·t + k] pairs feature j with
    /// target k. Features dropped as constant (with <see cref="RidgeOptions.Standardize"/>) have coefficient 0.</summary>
    public ReadOnlySpan<double> Coefficients => _coefficients;

    /// <summary>The intercepts b, one per target (all 0 without <see cref="RidgeOptions.FitIntercept"/>).</summary>
    public ReadOnlySpan<double> Intercepts => _intercepts;

    /// <summary>λ for each target, in RidgeCore's convention (see <see cref="RidgeOptions"/>).</summary>
    public ReadOnlySpan<double> Lambdas => _lambdas;

    /// <summary>n, the number of rows fitted (rows of weight zero included).</summary>
    public long RowCount { get; }

    /// <summary>Σw, the sum of the sample weights (n without weights).</summary>
    public double WeightSum { get; }

    /// <summary>Whether the model has an intercept.</summary>
    public bool FitIntercept { get; }

    /// <summary>Whether the penalty was applied to standardized features.</summary>
    public bool Standardized { get; }

    /// <summary>
    /// Training R² per target: 1 − RSS/TSS with weighted sums, TSS about the weighted mean of y (as scikit-learn's
    /// <c>score</c>) when the model has an intercept and about zero when it has none (as R's <c>summary.lm</c>). NaN
    /// for a target with TSS = 0. Computed from the sufficient statistics, so its absolute error is about ε·κ.
    /// </summary>
    public ReadOnlySpan<double> RSquared => _rSquared;

    /// <summary>
    /// Effective degrees of freedom per target, df(λ) = tr((G + Σw·λ·F)⁻¹G) (with the standardized load when
    /// standardizing), G the centered Gram (raw without an intercept): p at λ = 0, falling towards the number of
    /// unpenalized features as λ grows. The intercept is not counted; constant features dropped by standardization
    /// are not counted.
    /// </summary>
    public ReadOnlySpan<double> EffectiveDegreesOfFreedom => _degreesOfFreedom;

    /// <summary>
    /// Per target, the 1-norm condition estimate of the matrix that was factored: the equilibrated penalized normal
    /// matrix S(G + D)S for the Cholesky paths (scale-free: it does not depend on the units of the columns), or the
    /// column-scaled, centered X (augmented by the penalty) for the QR path. About log₁₀ of it is the number of
    /// digits the unrefined solution may have lost.
    /// </summary>
    public ReadOnlySpan<double> ConditionNumbers => _conditionNumbers;

    /// <summary>The largest of <see cref="ConditionNumbers"/>.</summary>
    public double ConditionNumber { get; }

    /// <summary>Which method produced each target's coefficients.</summary>
    public ReadOnlySpan<RidgeSolverPath> SolverPaths => _paths;

    /// <summary>The most robust path any target needed: <see cref="RidgeSolverPath.QR"/> if any target fell back to QR,
    /// else <see cref="RidgeSolverPath.CholeskyRefined"/> if any was refined, else <see cref="RidgeSolverPath.Cholesky"/>.</summary>
    public RidgeSolverPath SolverPath { get; }

    /// <summary>The coefficient of feature <paramref name="feature"/> for target <paramref name="target"/>.</summary>
    /// <param name="feature">The feature index j.</param>
    /// <param name="target">The target index k (default 0).</param>
    /// <returns>θⱼₖ.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public double GetCoefficient(int feature, int target = 0)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)feature, (uint)Features, nameof(feature));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)target, (uint)Targets, nameof(target));
        return _coefficients[(feature * Targets) + target];
    }

    /// <summary>Predicts a batch: destination[i·t + k] = bₖ + xᵢ·θₖ, one vectorized dot product per row and target.</summary>
    /// <param name="x">The rows, n × p (NaN in a row gives NaN predictions for it).</param>
    /// <param name="destination">n·t values, row-major n × t.</param>
    /// <exception cref="ArgumentException"><paramref name="x"/> does not have p columns, or
    /// <paramref name="destination"/> does not have n·t values; nothing is written.</exception>
    public void Predict(MatrixView<double> x, Span<double> destination)
    {
        CheckBatch(x.Columns, x.Rows, destination.Length);
        int p = Features, t = Targets;
        for (int i = 0; i < x.Rows; i++)
        {
            ReadOnlySpan<double> row = x.Row(i);
            Span<double> output = destination.Slice(i * t, t);
            for (int k = 0; k < t; k++)
            {
                output[k] = _intercepts[k] + VectorPrimitives.Dot(row, _byTarget.AsSpan(k * p, p));
            }
        }
    }

    /// <summary>Predicts a batch of float rows in float arithmetic (float coefficients, float accumulation, as BLAS
    /// <c>sgemv</c>).</summary>
    /// <param name="x">The rows, n × p.</param>
    /// <param name="destination">n·t values, row-major n × t.</param>
    /// <exception cref="ArgumentException"><paramref name="x"/> does not have p columns, or
    /// <paramref name="destination"/> does not have n·t values; nothing is written.</exception>
    public void Predict(MatrixView<float> x, Span<float> destination)
    {
        CheckBatch(x.Columns, x.Rows, destination.Length);
        int p = Features, t = Targets;
        for (int i = 0; i < x.Rows; i++)
        {
            ReadOnlySpan<float> row = x.Row(i);
            Span<float> output = destination.Slice(i * t, t);
            for (int k = 0; k < t; k++)
            {
                output[k] = _interceptsSingle[k] + VectorPrimitives.Dot(row, _byTargetSingle.AsSpan(k * p, p));
            }
        }
    }

    /// <summary>Predicts one row: destination[k] = bₖ + row·θₖ.</summary>
    /// <param name="row">p feature values.</param>
    /// <param name="destination">t values.</param>
    /// <exception cref="ArgumentException">A length is wrong; nothing is written.</exception>
    public void PredictRow(ReadOnlySpan<double> row, Span<double> destination)
    {
        CheckRow(row.Length, destination.Length);
        int p = Features;
        for (int k = 0; k < Targets; k++)
        {
            destination[k] = _intercepts[k] + VectorPrimitives.Dot(row, _byTarget.AsSpan(k * p, p));
        }
    }

    /// <summary>Predicts one float row in float arithmetic.</summary>
    /// <param name="row">p feature values.</param>
    /// <param name="destination">t values.</param>
    /// <exception cref="ArgumentException">A length is wrong; nothing is written.</exception>
    public void PredictRow(ReadOnlySpan<float> row, Span<float> destination)
    {
        CheckRow(row.Length, destination.Length);
        int p = Features;
        for (int k = 0; k < Targets; k++)
        {
            destination[k] = _interceptsSingle[k] + VectorPrimitives.Dot(row, _byTargetSingle.AsSpan(k * p, p));
        }
    }

    private void CheckBatch(int columns, int rows, int destinationLength)
    {
        if (columns != Features)
        {
            RidgeThrow.Shape("x", string.Create(CultureInfo.InvariantCulture, $"x has {columns} columns, but the model has p = {Features} features."));
        }

        if ((long)destinationLength != (long)rows * Targets)
        {
            RidgeThrow.Shape(
                "destination",
                string.Create(CultureInfo.InvariantCulture, $"destination has {destinationLength} values, but {rows} rows × {Targets} targets = {(long)rows * Targets} are needed."));
        }
    }

    private void CheckRow(int length, int destinationLength)
    {
        if (length != Features)
        {
            RidgeThrow.Shape("row", string.Create(CultureInfo.InvariantCulture, $"row has {length} values, but the model has p = {Features} features."));
        }

        if (destinationLength != Targets)
        {
            RidgeThrow.Shape("destination", string.Create(CultureInfo.InvariantCulture, $"destination has {destinationLength} values, but the model has t = {Targets} targets."));
        }
    }
}
