using System;
using RidgeCore.Iterative;

namespace RidgeCore;

/// <summary>
/// Exact L2-penalized logistic regression by Newton's method (IRLS): each iteration is one weighted Gram pass and one
/// Cholesky factorization, and it converges quadratically, usually in under ten iterations, to the penalized maximum
/// likelihood solution. See <see cref="LogisticOptions"/> for the objective and the conversion to scikit-learn's C.
/// </summary>
/// <example>
/// <code>
/// LogisticModel model = LogisticRegression.Fit(new MatrixView&lt;double&gt;(x, n, p), labels, new LogisticOptions { Lambda = 1e-3 });
/// double p1 = model.PredictProbability(row);
/// </code>
/// </example>
public static class LogisticRegression
{
    // RS0026 (one optional parameter per overload set) is about overloads that differ only in optional parameters;
    // these two differ in element type (double/float), so a call is never ambiguous, and the agreed signature with
    // an optional weights span is what the CLI calls.
#pragma warning disable RS0026
    /// <summary>Fits the model.</summary>
    /// <param name="x">n × p features (finite).</param>
    /// <param name="labels">n labels, each exactly 0 or 1.</param>
    /// <param name="options">λ, the intercept and the stopping rule.</param>
    /// <param name="weights">n finite, non-negative sample weights with a positive sum, or empty for all ones.</param>
    /// <returns>The model; <see cref="LogisticModel.FitResult"/> says whether Newton's method converged.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The shapes do not match, or no row has positive weight.</exception>
    /// <exception cref="InvalidValueException">A label is not 0 or 1, a feature is not finite, or a weight is negative or
    /// not finite (the argument, row and column are named).</exception>
    /// <exception cref="NotPositiveDefiniteException">λ = 0 and the weighted Gram is singular (a constant or duplicated
    /// column); use λ &gt; 0.</exception>
    public static LogisticModel Fit(MatrixView<double> x, ReadOnlySpan<double> labels, LogisticOptions options, ReadOnlySpan<double> weights = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        IterativeInput.CheckShape(x, labels.Length, nameof(labels), weights);
        using var engine = new LogisticEngine(x.Columns, options.FitIntercept);
        return engine.Fit(x, labels, options, weights);
    }

    /// <summary>Fits the model to float data. The data are widened to double (exactly) and the fit runs in double.</summary>
    /// <param name="x">n × p features (finite).</param>
    /// <param name="labels">n labels, each exactly 0 or 1.</param>
    /// <param name="options">λ, the intercept and the stopping rule.</param>
    /// <param name="weights">n finite, non-negative sample weights with a positive sum, or empty for all ones.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The shapes do not match, or no row has positive weight.</exception>
    /// <exception cref="InvalidValueException">A label is not 0 or 1, a feature is not finite, or a weight is negative or
    /// not finite.</exception>
    public static LogisticModel Fit(MatrixView<float> x, ReadOnlySpan<float> labels, LogisticOptions options, ReadOnlySpan<float> weights = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        IterativeInput.CheckShape(x, labels.Length, nameof(labels), weights);
        int n = x.Rows, p = x.Columns;
        var xd = new double[n * p];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> row = x.Row(i);
            for (int j = 0; j < p; j++)
            {
                xd[(i * p) + j] = row[j];
            }
        }

        var yd = new double[n];
        for (int i = 0; i < n; i++)
        {
            yd[i] = labels[i];
        }

        double[] wd = [];
        if (!weights.IsEmpty)
        {
            wd = new double[n];
            for (int i = 0; i < n; i++)
            {
                wd[i] = weights[i];
            }
        }

        return Fit(new MatrixView<double>(xd, n, p), yd, options, wd);
    }
#pragma warning restore RS0026
}
