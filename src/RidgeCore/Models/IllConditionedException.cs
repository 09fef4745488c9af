using System;

namespace RidgeCore;

/// <summary>
/// Thrown when a ridge problem is too ill-conditioned for the method that would solve it: the estimated condition
/// number <see cref="ConditionNumber"/> of the matrix to factor exceeds <see cref="Limit"/>
/// (<see cref="RidgeOptions.MaxConditionNumber"/>), so the solution would carry too few correct digits to be trusted.
/// Fits from statistics alone throw it where an in-memory fit would fall back to QR. A penalty λ &gt; 0 bounds the
/// condition number and is the usual cure; <see cref="SingularMatrixException"/> (a subclass) reports the extreme case.
/// Nothing the fit would have written has changed.
/// </summary>
public class IllConditionedException : ArithmeticException
{
    /// <summary>Creates the exception with the estimate and the limit it exceeded.</summary>
    /// <param name="message">The message (it should state the estimate and suggest a remedy).</param>
    /// <param name="conditionNumber">The condition estimate (+∞ when the factorization broke down).</param>
    /// <param name="limit">The limit that was exceeded.</param>
    public IllConditionedException(string message, double conditionNumber, double limit)
        : base(message)
    {
        ConditionNumber = conditionNumber;
        Limit = limit;
    }

    /// <summary>Creates the exception with no estimate.</summary>
    public IllConditionedException()
    {
        ConditionNumber = double.NaN;
        Limit = double.NaN;
    }

    /// <summary>Creates the exception with a message and no estimate.</summary>
    /// <param name="message">The message.</param>
    public IllConditionedException(string message)
        : base(message)
    {
        ConditionNumber = double.NaN;
        Limit = double.NaN;
    }

    /// <summary>Creates the exception with a message, a cause and no estimate.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public IllConditionedException(string message, Exception innerException)
        : base(message, innerException)
    {
        ConditionNumber = double.NaN;
        Limit = double.NaN;
    }

    /// <summary>Creates the exception with everything.</summary>
    /// <param name="message">The message.</param>
    /// <param name="conditionNumber">The condition estimate.</param>
    /// <param name="limit">The limit that was exceeded.</param>
    /// <param name="innerException">The cause.</param>
    public IllConditionedException(string message, double conditionNumber, double limit, Exception? innerException)
        : base(message, innerException)
    {
        ConditionNumber = conditionNumber;
        Limit = limit;
    }

    /// <summary>The estimated 1-norm condition number of the matrix that was to be factored (+∞ when it is singular
    /// to working precision, NaN when not known).</summary>
    public double ConditionNumber { get; }

    /// <summary>The largest condition number that was acceptable (NaN when not known).</summary>
    public double Limit { get; }

    /// <summary>The first target (column of Y) whose problem failed, or -1 when not known or not specific to one.</summary>
    public int Target { get; init; } = -1;
}
