using System;

namespace RidgeCore;

/// <summary>
/// Converts RidgeCore's penalty λ to and from the parameters of other libraries. RidgeCore minimizes
/// (1/Σw)·Σᵢ wᵢ(yᵢ − b − xᵢθ)² + λ‖θ‖² (see <see cref="RidgeOptions"/>): the data term is a weighted <i>mean</i>, so λ
/// does not grow with the number of rows. Each conversion below rescales another library's objective into this form
/// and reads off λ; the minimizer is unchanged by a positive factor, so the coefficients agree exactly.
/// </summary>
/// <remarks>
/// Σw is the sum of the sample weights (n when there are none). The conversions assume the same features: no
/// standardization on RidgeCore's side (scikit-learn's estimators do not standardize) and the intercept unpenalized
/// (true of all three).
/// </remarks>
public static class RidgePenalty
{
    /// <summary>
    /// λ for scikit-learn's <c>Ridge(alpha)</c>, which minimizes Σᵢ wᵢ(yᵢ − b − xᵢθ)² + α‖θ‖². Dividing by Σw gives
    /// (1/Σw)Σᵢ wᵢ(…)² + (α/Σw)‖θ‖², so λ = α/Σw.
    /// </summary>
    /// <param name="alpha">scikit-learn's alpha (≥ 0).</param>
    /// <param name="weightSum">Σw of the data (n without sample weights; &gt; 0).</param>
    /// <returns>λ = α/Σw.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is negative, zero where it must be positive, or not finite.</exception>
    public static double FromScikitLearnRidgeAlpha(double alpha, double weightSum)
    {
        CheckNonNegative(alpha, nameof(alpha));
        CheckPositive(weightSum, nameof(weightSum));
        return alpha / weightSum;
    }

    /// <summary>scikit-learn's <c>Ridge</c> alpha for a λ: α = λ·Σw (see <see cref="FromScikitLearnRidgeAlpha"/>).</summary>
    /// <param name="lambda">λ (≥ 0).</param>
    /// <param name="weightSum">Σw of the data (n without sample weights; &gt; 0).</param>
    /// <returns>α = λ·Σw.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range or not finite.</exception>
    public static double ToScikitLearnRidgeAlpha(double lambda, double weightSum)
    {
        CheckNonNegative(lambda, nameof(lambda));
        CheckPositive(weightSum, nameof(weightSum));
        return lambda * weightSum;
    }

    /// <summary>
    /// λ for scikit-learn's <c>SGDRegressor(loss="squared_error", penalty="l2", alpha)</c>, which minimizes
    /// (1/n)Σᵢ ½(yᵢ − b − xᵢθ)² + α·½‖θ‖² (sample weights scale each loss term). That is exactly half of RidgeCore's
    /// objective with λ = α, so λ = α: the two agree without any dependence on n. (SGD only approximates the minimizer.)
    /// </summary>
    /// <param name="alpha">scikit-learn's alpha (≥ 0).</param>
    /// <returns>λ = α.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or not finite.</exception>
    public static double FromScikitLearnSgdAlpha(double alpha)
    {
        CheckNonNegative(alpha, nameof(alpha));
        return alpha;
    }

    /// <summary>scikit-learn's <c>SGDRegressor</c> alpha for a λ: α = λ (see <see cref="FromScikitLearnSgdAlpha"/>).</summary>
    /// <param name="lambda">λ (≥ 0).</param>
    /// <returns>α = λ.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or not finite.</exception>
    public static double ToScikitLearnSgdAlpha(double lambda)
    {
        CheckNonNegative(lambda, nameof(lambda));
        return lambda;
    }

    /// <summary>
    /// λ for scikit-learn's <c>LogisticRegression(penalty="l2", C)</c>, which minimizes ½‖θ‖² + C·Σᵢ wᵢℓᵢ with ℓᵢ the
    /// log-loss. Dividing by C·Σw gives (1/Σw)Σᵢ wᵢℓᵢ + (1/(2·C·Σw))‖θ‖²: RidgeCore's penalty convention applied to the
    /// logistic loss, with λ = 1/(2·Σw·C), i.e. C = 1/(2nλ) without weights. For RidgeCore's future logistic models and
    /// for comparing penalty strengths across estimators.
    /// </summary>
    /// <param name="c">scikit-learn's C (&gt; 0; the inverse of the regularization strength).</param>
    /// <param name="weightSum">Σw of the data (n without sample weights; &gt; 0).</param>
    /// <returns>λ = 1/(2·Σw·C).</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is not positive and finite.</exception>
    public static double FromScikitLearnLogisticC(double c, double weightSum)
    {
        CheckPositive(c, nameof(c));
        CheckPositive(weightSum, nameof(weightSum));
        return 1.0 / (2.0 * weightSum * c);
    }

    /// <summary>scikit-learn's <c>LogisticRegression</c> C for a λ: C = 1/(2·Σw·λ) (see
    /// <see cref="FromScikitLearnLogisticC"/>); λ = 0 (no penalty) maps to C = +∞.</summary>
    /// <param name="lambda">λ (≥ 0).</param>
    /// <param name="weightSum">Σw of the data (n without sample weights; &gt; 0).</param>
    /// <returns>C = 1/(2·Σw·λ).</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range or not finite.</exception>
    public static double ToScikitLearnLogisticC(double lambda, double weightSum)
    {
        CheckNonNegative(lambda, nameof(lambda));
        CheckPositive(weightSum, nameof(weightSum));
        return 1.0 / (2.0 * weightSum * lambda);
    }

    private static void CheckNonNegative(double value, string name)
    {
        if (!(value >= 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and non-negative.");
        }
    }

    private static void CheckPositive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and positive.");
        }
    }
}
