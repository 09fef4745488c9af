using System;
using System.Globalization;

namespace RidgeCore;

/// <summary>
/// Options of the iterative ridge solvers (<see cref="IterativeRidge"/>): the penalty, the intercept, the stopping
/// rule and an optional warm start. The objective is <see cref="RidgeOptions"/>'s,
/// (1/Σw)·Σᵢ wᵢ(yᵢ − b − xᵢθ)² + λ‖θ‖², so a converged iterative fit equals <see cref="Ridge.Fit(MatrixView{double}, MatrixView{double}, RidgeOptions)"/>.
/// </summary>
public sealed class IterativeRidgeOptions
{
    private double _lambda = 1.0;
    private double _tolerance = 1e-10;
    private int _maxIterations = 100_000;

    /// <summary>λ ≥ 0 (default 1). λ = 0 is least squares; the iteration then converges only if XᵀWX is nonsingular.</summary>
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

    /// <summary>Whether to fit an unpenalized intercept (default true): the iteration then runs on the centered
    /// normal equations (Cxx + Σw·λ·I)θ = Cxy and b = ȳ − x̄ᵀθ.</summary>
    public bool FitIntercept { get; set; } = true;

    /// <summary>Stop when the residual of the normal equations is this small relative to their right-hand side:
    /// ‖(Cxx + Σwλ)θ − Cxy‖₂ ≤ Tolerance·‖Cxy‖₂ (default 10⁻¹⁰). The relative error of θ is at most the condition
    /// number times this.</summary>
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

    /// <summary>The most iterations (default 100 000).</summary>
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

    /// <summary>Whether conjugate gradient uses the Jacobi (diagonal) preconditioner (default true). It makes the
    /// iteration count independent of the columns' scales.</summary>
    public bool Preconditioned { get; set; } = true;

    /// <summary>A warm start: p coefficients to start from, or empty (default) to start from zero.</summary>
    public ReadOnlyMemory<double> InitialCoefficients { get; set; }
}
