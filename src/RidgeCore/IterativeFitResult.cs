using System;

namespace RidgeCore;

/// <summary>Why an iterative fit stopped.</summary>
public enum IterativeStopReason
{
    /// <summary>The convergence test passed: the gradient (or residual, or change per epoch) fell below the tolerance.</summary>
    Tolerance = 0,

    /// <summary>The iteration or epoch limit was reached first.</summary>
    MaxIterations = 1,

    /// <summary>Early stopping: the held-out (or training) loss stopped improving for the allowed number of epochs.</summary>
    EarlyStopping = 2,

    /// <summary>No further progress is possible at working precision (the step or the predicted decrease fell to
    /// rounding level) before the tolerance was met.</summary>
    Stalled = 3,
}

/// <summary>
/// The outcome of an iterative fit (gradient descent, conjugate gradient, SGD, Newton/IRLS): the coefficients θ and
/// intercept b on the original scale of X, how many iterations (or epochs) ran, the final value of the objective, and
/// whether and why it stopped.
/// </summary>
/// <remarks>
/// The objective is always the project's: (1/Σw)·Σᵢ wᵢ·ℓ(yᵢ, b + xᵢ·θ) + λ‖θ‖², with ℓ the squared error (yᵢ − b − xᵢθ)²
/// for ridge (no ½, as in <see cref="RidgeOptions"/>), the log-loss for logistic regression, or the chosen SGD loss.
/// <see cref="Converged"/> is true only when <see cref="StopReason"/> is <see cref="IterativeStopReason.Tolerance"/>
/// or <see cref="IterativeStopReason.EarlyStopping"/>.
/// </remarks>
public sealed class IterativeFitResult
{
    private readonly double[] _coefficients;

    internal IterativeFitResult(double[] coefficients, double intercept, int iterations, double objective, IterativeStopReason stopReason, double lambda)
    {
        _coefficients = coefficients;
        Intercept = intercept;
        Iterations = iterations;
        Objective = objective;
        StopReason = stopReason;
        Lambda = lambda;
    }

    /// <summary>θ, one coefficient per feature.</summary>
    public ReadOnlySpan<double> Coefficients => _coefficients;

    /// <summary>The intercept b (0 when none was fitted).</summary>
    public double Intercept { get; }

    /// <summary>Iterations (GD, CG, Newton steps on all rows) or epochs (SGD) run.</summary>
    public int Iterations { get; }

    /// <summary>Newton/IRLS only: how many Hessians (a weighted Gram and its Cholesky factorization) were built, on row
    /// subsamples and on all rows together; 0 for the other solvers. See <see cref="LogisticRegression"/> for when a
    /// Hessian is reused.</summary>
    public int HessianUpdates { get; internal init; }

    /// <summary>Newton/IRLS only: Newton iterations run on row subsamples before the iterations on all rows (which
    /// <see cref="Iterations"/> counts); 0 when the data were too small to subsample, and for the other solvers.</summary>
    public int SubsampleIterations { get; internal init; }

    /// <summary>The objective at the returned coefficients (NaN where the solver does not evaluate it).</summary>
    public double Objective { get; }

    /// <summary>The penalty λ the fit used (project convention).</summary>
    public double Lambda { get; }

    /// <summary>Whether the convergence test (or early stopping) ended the fit.</summary>
    public bool Converged => StopReason is IterativeStopReason.Tolerance or IterativeStopReason.EarlyStopping;

    /// <summary>Why the fit stopped.</summary>
    public IterativeStopReason StopReason { get; }
}
