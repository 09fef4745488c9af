using System;

namespace RidgeCore;

/// <summary>
/// Ridge regression in one call: fits a <see cref="RidgeModel"/> from data in memory or from a
/// <see cref="GramAccumulator"/>'s statistics. The objective, its options and the conventions are described on
/// <see cref="RidgeOptions"/>; for repeated fits without allocation use a <see cref="RidgeSolver"/>.
/// </summary>
/// <remarks>
/// <para><b>How a fit runs.</b> The Gram statistics are accumulated in one blocked SIMD pass (centered when there is
/// an intercept); for each distinct λ the equilibrated normal matrix is factored once by Cholesky and solved for all
/// targets sharing it. In-memory fits then refine the solution against the data with compensated residuals (up to three
/// O(n·p) passes), and fall back to Householder QR of the centered, scaled data when the condition estimate exceeds
/// <see cref="RidgeOptions.MaxConditionNumber"/>; fits from statistics throw <see cref="IllConditionedException"/>
/// there instead. The model records which path ran.</para>
/// <example>
/// <code>
/// // y ≈ b + X·θ with λ = 0.01 and an intercept (n rows, p features, one target).
/// RidgeModel model = Ridge.Fit(new MatrixView&lt;double&gt;(x, n, p), new MatrixView&lt;double&gt;(y, n, 1), new RidgeOptions { Lambda = 0.01 });
/// double b = model.Intercepts[0];
/// ReadOnlySpan&lt;double&gt; theta = model.Coefficients;
///
/// // From statistics gathered elsewhere (streamed in batches, merged, or deserialized):
/// using var stats = new GramAccumulator(p);
/// foreach (var (xb, yb) in batches) stats.Add(xb, yb);
/// RidgeModel streamed = Ridge.Fit(stats, new RidgeOptions { Lambda = 0.01 });
///
/// // scikit-learn's Ridge(alpha=10) on n unweighted rows:
/// var sk = new RidgeOptions { Lambda = RidgePenalty.FromScikitLearnRidgeAlpha(10, weightSum: n) };
/// </code>
/// </example>
/// </remarks>
public static class Ridge
{
    /// <summary>Fits a ridge model to data in memory (refined and with the QR fallback, see <see cref="RidgeSolver"/>).</summary>
    /// <param name="x">X, n × p.</param>
    /// <param name="y">Y, n × t (one column per target).</param>
    /// <param name="options">The options (<c>new RidgeOptions()</c> for the defaults: λ = 1, intercept, refinement).</param>
    /// <param name="weights">n finite, non-negative sample weights, or empty for unit weights.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentException">A shape or length is wrong, or every weight is zero.</exception>
    /// <exception cref="InvalidValueException">X or Y holds NaN or ±∞, a weight is negative or not finite, or a λ or
    /// penalty factor is negative or not finite (each names the argument and index).</exception>
    /// <exception cref="SingularMatrixException">The problem has no unique solution (for example λ = 0 with a constant
    /// column or p ≥ n); the message suggests λ &gt; 0.</exception>
    /// <exception cref="IllConditionedException">Even the QR fallback is too ill-conditioned.</exception>
    public static RidgeModel Fit(MatrixView<double> x, MatrixView<double> y, RidgeOptions options, ReadOnlySpan<double> weights)
    {
        using var solver = new RidgeSolver(Math.Max(1, x.Columns), Math.Max(1, y.Columns));
        solver.Fit(x, y, options, weights);
        return solver.ToModel();
    }

    /// <summary>Fits a ridge model to unweighted data in memory.</summary>
    /// <param name="x">X, n × p.</param>
    /// <param name="y">Y, n × t (one column per target).</param>
    /// <param name="options">The options (<c>new RidgeOptions()</c> for the defaults: λ = 1, intercept, refinement).</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentException">A shape is wrong.</exception>
    /// <exception cref="InvalidValueException">X or Y holds NaN or ±∞, or a λ or penalty factor is negative or not finite.</exception>
    /// <exception cref="SingularMatrixException">The problem has no unique solution.</exception>
    /// <exception cref="IllConditionedException">Even the QR fallback is too ill-conditioned.</exception>
    public static RidgeModel Fit(MatrixView<double> x, MatrixView<double> y, RidgeOptions options) => Fit(x, y, options, default);

    /// <summary>Fits a ridge model to float data in memory (float Gram, refinement from the exactly widened data).</summary>
    /// <param name="x">X, n × p.</param>
    /// <param name="y">Y, n × t.</param>
    /// <param name="options">The options.</param>
    /// <param name="weights">n finite, non-negative sample weights, or empty for unit weights.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentException">A shape or length is wrong, or every weight is zero.</exception>
    /// <exception cref="InvalidValueException">X or Y holds NaN or ±∞, a weight is negative or not finite, or a λ or
    /// penalty factor is negative or not finite.</exception>
    /// <exception cref="SingularMatrixException">The problem has no unique solution.</exception>
    /// <exception cref="IllConditionedException">Even the QR fallback is too ill-conditioned.</exception>
    public static RidgeModel Fit(MatrixView<float> x, MatrixView<float> y, RidgeOptions options, ReadOnlySpan<float> weights)
    {
        using var solver = new RidgeSolver(Math.Max(1, x.Columns), Math.Max(1, y.Columns));
        solver.Fit(x, y, options, weights);
        return solver.ToModel();
    }

    /// <summary>Fits a ridge model to unweighted float data in memory.</summary>
    /// <param name="x">X, n × p.</param>
    /// <param name="y">Y, n × t.</param>
    /// <param name="options">The options.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentException">A shape is wrong.</exception>
    /// <exception cref="InvalidValueException">X or Y holds NaN or ±∞, or a λ or penalty factor is negative or not finite.</exception>
    /// <exception cref="SingularMatrixException">The problem has no unique solution.</exception>
    /// <exception cref="IllConditionedException">Even the QR fallback is too ill-conditioned.</exception>
    public static RidgeModel Fit(MatrixView<float> x, MatrixView<float> y, RidgeOptions options) => Fit(x, y, options, default);

    /// <summary>Fits a ridge model from sufficient statistics alone (no refinement, no QR fallback).</summary>
    /// <param name="statistics">The accumulated statistics (centered for a fit with an intercept); not changed.</param>
    /// <param name="options">The options.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentException">The accumulator is uncentered and an intercept is asked for, it holds no
    /// weight, or an option's length is wrong.</exception>
    /// <exception cref="InvalidValueException">A λ or penalty factor is negative or not finite.</exception>
    /// <exception cref="SingularMatrixException">The problem has no unique solution.</exception>
    /// <exception cref="IllConditionedException">The condition estimate exceeds <see cref="RidgeOptions.MaxConditionNumber"/>.</exception>
    public static RidgeModel Fit(GramAccumulator statistics, RidgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        using var solver = new RidgeSolver(statistics.Features, statistics.Targets);
        solver.Fit(statistics, options);
        return solver.ToModel();
    }
}
