using System;

namespace RidgeCore;

/// <summary>
/// Thrown when an input holds a value RidgeCore cannot use (NaN, ±∞, a negative weight). It names the argument and,
/// where the input is a matrix or vector, the first offending row and column, so the bad record can be found.
/// The operation that threw has changed nothing: outputs and accumulators are as they were before the call.
/// </summary>
public sealed class InvalidValueException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="paramName">The argument holding the value.</param>
    /// <param name="row">The row (or element) index of the first offending value, or -1.</param>
    /// <param name="column">The column index of the first offending value, or -1 for vectors.</param>
    public InvalidValueException(string message, string paramName, long row, int column)
        : base(message, paramName)
    {
        Row = row;
        Column = column;
    }

    /// <summary>Creates the exception with no location.</summary>
    public InvalidValueException()
    {
        Row = -1;
        Column = -1;
    }

    /// <summary>Creates the exception with a message and no location.</summary>
    /// <param name="message">The message.</param>
    public InvalidValueException(string message)
        : base(message)
    {
        Row = -1;
        Column = -1;
    }

    /// <summary>Creates the exception with a message, an inner exception and no location.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidValueException(string message, Exception innerException)
        : base(message, innerException)
    {
        Row = -1;
        Column = -1;
    }

    /// <summary>The row (for vectors: the element) of the first offending value, or -1 when not applicable.</summary>
    public long Row { get; }

    /// <summary>The column of the first offending value, or -1 when not applicable.</summary>
    public int Column { get; }
}
