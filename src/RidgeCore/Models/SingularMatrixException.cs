using System;

namespace RidgeCore;

/// <summary>
/// Thrown when a ridge problem has no unique solution, or none that double precision can resolve: an unpenalized
/// coefficient is not identified by the data. The usual causes are λ = 0 (or penalty factor 0) together with a column
/// that is constant (or, with an intercept, constant up to rounding), a column that is an exact combination of others,
/// or at least as many unpenalized coefficients as rows (with an intercept: p ≥ n). A penalty λ &gt; 0 makes every
/// problem solvable; <see cref="RidgeOptions.Standardize"/> also drops constant columns (coefficient 0).
/// <see cref="Feature"/> names the column implicated when one is known. Nothing the fit would have written has changed.
/// </summary>
public sealed class SingularMatrixException : IllConditionedException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message (it should say why and suggest λ &gt; 0).</param>
    /// <param name="feature">The column implicated, or -1.</param>
    /// <param name="conditionNumber">The condition estimate (+∞ when not finite).</param>
    /// <param name="innerException">The cause, or null.</param>
    public SingularMatrixException(string message, int feature, double conditionNumber, Exception? innerException)
        : base(message, conditionNumber, double.NaN, innerException)
    {
        Feature = feature;
    }

    /// <summary>Creates the exception for a condition estimate beyond 1/ε (or a breakdown, +∞) that exceeded a limit.</summary>
    internal SingularMatrixException(string message, int feature, double conditionNumber, double limit, Exception? innerException)
        : base(message, conditionNumber, limit, innerException)
    {
        Feature = feature;
    }

    /// <summary>Creates the exception with no details.</summary>
    public SingularMatrixException()
    {
        Feature = -1;
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public SingularMatrixException(string message)
        : base(message)
    {
        Feature = -1;
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public SingularMatrixException(string message, Exception innerException)
        : base(message, innerException)
    {
        Feature = -1;
    }

    /// <summary>The feature (column of X) implicated: a constant column, or the pivot at which the factorization
    /// broke down. -1 when the cause is not one column (for example p ≥ n).</summary>
    public int Feature { get; }
}
