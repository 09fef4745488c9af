using System;
using RidgeCore.Iterative;

namespace RidgeCore;

/// <summary>
/// Exact L2-penalized logistic regression by Newton's method (IRLS), to the penalized maximum likelihood solution. See
/// <see cref="LogisticOptions"/> for the objective and the conversion to scikit-learn's C.
/// </summary>
/// <remarks>
/// <para>A Newton step solves H·d = −g with H the Hessian: one weighted Gram pass over X (weights wᵢpᵢ(1 − pᵢ)) and one
/// Cholesky factorization, n·p² + p³/3 flops, against n·p for the gradient. Newton's fixed point does not depend on
/// the Hessian being exact, only its convergence rate does: θ ← θ − H̃⁻¹g(θ) stops where g = 0 for any positive
/// definite H̃. The fit uses this to spend few Gram passes:</para>
/// <list type="number">
/// <item>On large data (n at least 4·max(1024, 16p)), Newton runs first on deterministic subsamples (about one row in
/// 4ᵏ, as blocks of up to 128 consecutive rows spread evenly over X; coarsest first, as many levels as keep at least
/// max(1024, 16p) rows: at n = 10⁵, p = 64 about 1/64, 1/16 and 1/4 of the rows), each level started from the previous
/// one's solution; their Grams cost a fraction of a full one. X is not scanned for NaN and ±∞ beforehand: the passes
/// detect them, and X is then scanned to name the first one.</item>
/// <item>On all rows, chord steps reuse the last factor: each step is one fused pass over X (margins, probabilities,
/// gradient; the log-loss is summed from the stored margins only where the line search needs it) and two triangular
/// solves. The Hessian is rebuilt on all rows when a step shrinks the largest gradient component by less than 0.3× or
/// needs its line search to shorten it, so poorly estimated
/// curvature (ill-conditioned, nearly separable or unrepresentative data) falls back to full Newton.</item>
/// </list>
/// <para>Every step is guarded by a backtracking line search on the objective, and the fit stops, as plain Newton
/// does, when every component of the full-data gradient is at most <see cref="LogisticOptions.Tolerance"/>. Small
/// problems run plain Newton, reusing the factor only near the optimum. <see cref="IterativeFitResult.Iterations"/>
/// counts the steps on all rows, <see cref="IterativeFitResult.SubsampleIterations"/> those on subsamples and
/// <see cref="IterativeFitResult.HessianUpdates"/> the Hessians built.</para>
/// </remarks>
/// <example>
/// <code>
/// LogisticModel model = LogisticRegression.Fit(new MatrixView&lt;double&gt;(x, n, p), labels, new LogisticOptions { Lambda = 1e-3 });
/// double p1 = model.PredictProbability(row);
/// </code>
/// </example>
/// <seealso cref="LogisticSolver"/>
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
        using var solver = new LogisticSolver(x.Columns);
        solver.Fit(x, labels, options, weights);
        return solver.ToModel();
    }
#pragma warning restore RS0026
}
