namespace RidgeCore;

/// <summary>Which direct method a ridge fit may use (<see cref="RidgeOptions.Factorization"/>).</summary>
public enum RidgeFactorization
{
    /// <summary>Cholesky of the equilibrated normal equations; an in-memory fit whose condition estimate exceeds
    /// <see cref="RidgeOptions.MaxConditionNumber"/> falls back to a Householder QR of the data (the default).</summary>
    Auto = 0,

    /// <summary>Cholesky only: a problem above <see cref="RidgeOptions.MaxConditionNumber"/> throws
    /// <see cref="IllConditionedException"/> (or <see cref="SingularMatrixException"/>) instead of falling back to QR.</summary>
    Cholesky = 1,

    /// <summary>Householder QR of the centered, column-scaled data, augmented by the square root of the penalty, for every
    /// target: slower (O(n·p²) with a larger constant, and an n × p copy of X), but its error grows with κ(X) rather
    /// than κ(X)². Needs the data: a fit from statistics alone throws <see cref="System.ArgumentException"/>.</summary>
    QR = 2,
}
