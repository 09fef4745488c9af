using System;
using System.Globalization;

namespace RidgeCore;

/// <summary>
/// What an L2-penalized logistic regression minimizes and when Newton's method stops.
/// </summary>
/// <remarks>
/// <para><b>The objective</b>, for labels yᵢ ∈ {0, 1}, weights wᵢ and pᵢ = σ(b + xᵢ·θ):</para>
/// <code>
///   (1/Σw) · Σᵢ wᵢ·[−yᵢ log pᵢ − (1 − yᵢ) log(1 − pᵢ)]  +  λ‖θ‖²
/// </code>
/// <para>the same convention as <see cref="RidgeOptions"/> (a weighted mean loss plus λ‖θ‖², intercept unpenalized).
/// scikit-learn's <c>LogisticRegression(penalty="l2", C)</c> minimizes C·Σᵢ wᵢℓᵢ + ½‖θ‖²; dividing by C·Σw shows the two
/// agree when λ = 1/(2·C·Σw), i.e. C = 1/(2nλ) without weights (<see cref="RidgePenalty.ToScikitLearnLogisticC"/>).</para>
/// </remarks>
public sealed class LogisticOptions
{
    private double _lambda = 1e-4;
    private int _maxIterations = 100;
    private double _tolerance = 1e-10;

    /// <summary>λ ≥ 0 (default 10⁻⁴). λ = 0 is unpenalized maximum likelihood, which has no solution on separable
    /// data (the fit then stops at <see cref="MaxIterations"/> with <see cref="IterativeFitResult.Converged"/> false).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or not finite.</exception>
    public double Lambda
    {
        get => _lambda;
        set
        {
            if (!(value >= 0) || !double.IsFinite(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, string.Create(CultureInfo.InvariantCulture, $"Lambda must be finite and non-negative, but it is {value:G17}."));
            }

            _lambda = value;
        }
    }

    /// <summary>Whether to fit an unpenalized intercept (default true).</summary>
    public bool FitIntercept { get; set; } = true;

    /// <summary>The most Newton iterations (default 100; it usually takes fewer than 10).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int MaxIterations
    {
        get => _maxIterations;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxIterations = value;
        }
    }

    /// <summary>Stop when every component of the objective's gradient (θ and b) is at most this in absolute value
    /// (default 10⁻¹⁰; the objective is a weighted mean, so the gradient's scale does not grow with n).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive and finite.</exception>
    public double Tolerance
    {
        get => _tolerance;
        set
        {
            if (!(value > 0) || !double.IsFinite(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Tolerance must be finite and positive.");
            }

            _tolerance = value;
        }
    }
}
