using System;
using System.Globalization;

namespace RidgeCore;

/// <summary>
/// Thrown when a Cholesky factorization meets a pivot that is not positive and finite: the matrix plus its diagonal load
/// is not (numerically) positive definite. <see cref="Pivot"/> names the first failing column and
/// <see cref="PivotValue"/> what was left of its diagonal after the earlier columns were eliminated, so the leading
/// (<see cref="Pivot"/> + 1) × (<see cref="Pivot"/> + 1) block is the smallest one that is not positive definite.
/// The caller's matrix is never modified; the factor that threw holds no factorization afterwards.
/// </summary>
public sealed class NotPositiveDefiniteException : ArithmeticException
{
    /// <summary>Creates the exception for a failing pivot, with a message that names it.</summary>
    /// <param name="pivot">The zero-based index of the failing pivot.</param>
    /// <param name="pivotValue">The pivot's value (NaN or ±∞ when it is not finite).</param>
    public NotPositiveDefiniteException(int pivot, double pivotValue)
        : base(DescribePivot(pivot, pivotValue))
    {
        Pivot = pivot;
        PivotValue = pivotValue;
    }

    /// <summary>Creates the exception with a message and a pivot.</summary>
    /// <param name="message">The message.</param>
    /// <param name="pivot">The zero-based index of the failing pivot.</param>
    /// <param name="pivotValue">The pivot's value.</param>
    public NotPositiveDefiniteException(string message, int pivot, double pivotValue)
        : base(message)
    {
        Pivot = pivot;
        PivotValue = pivotValue;
    }

    /// <summary>Creates the exception with no pivot.</summary>
    public NotPositiveDefiniteException()
    {
        Pivot = -1;
        PivotValue = double.NaN;
    }

    /// <summary>Creates the exception with a message and no pivot.</summary>
    /// <param name="message">The message.</param>
    public NotPositiveDefiniteException(string message)
        : base(message)
    {
        Pivot = -1;
        PivotValue = double.NaN;
    }

    /// <summary>Creates the exception with a message, an inner exception and no pivot.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public NotPositiveDefiniteException(string message, Exception innerException)
        : base(message, innerException)
    {
        Pivot = -1;
        PivotValue = double.NaN;
    }

    /// <summary>The zero-based index of the first pivot that was not positive and finite, or -1 when not known.</summary>
    public int Pivot { get; }

    /// <summary>The failing pivot: the diagonal entry of A + D minus the squares of the factor's entries to its left.
    /// Zero or slightly negative for a singular leading block, NaN or ±∞ when the arithmetic broke down.</summary>
    public double PivotValue { get; }

    private static string DescribePivot(int pivot, double pivotValue) => string.Create(
        CultureInfo.InvariantCulture,
        $"The matrix plus its diagonal load is not positive definite: pivot {pivot} (zero-based) is {pivotValue:G17} after eliminating the {pivot} columns before it, so the leading {pivot + 1}x{pivot + 1} block is not positive definite. Increase the diagonal load (ridge penalty), or look for a column that is constant or a combination of earlier ones.");
}
