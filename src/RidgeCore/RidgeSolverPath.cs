namespace RidgeCore;

/// <summary>Which method produced a target's coefficients.</summary>
public enum RidgeSolverPath
{
    /// <summary>Cholesky factorization of the equilibrated normal equations, no refinement (fits from statistics, or
    /// <see cref="RidgeOptions.Refine"/> off).</summary>
    Cholesky = 0,

    /// <summary>Cholesky, then iterative refinement against the data with compensated residuals (the default for
    /// in-memory fits).</summary>
    CholeskyRefined = 1,

    /// <summary>Householder QR of the centered, column-scaled X (augmented by the square root of the penalty): the
    /// fallback of in-memory fits whose normal equations are too ill-conditioned
    /// (<see cref="RidgeOptions.MaxConditionNumber"/>).</summary>
    QR = 2,
}
