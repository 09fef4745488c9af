using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace RidgeCore.Internal;

/// <summary>Throw sites of the factorizations, kept out of line like <see cref="ThrowHelper"/>'s.</summary>
internal static class FactorizationThrowHelper
{
    [DoesNotReturn]
    public static void NotPositiveDefinite(int pivot, double pivotValue)
        => throw new NotPositiveDefiniteException(pivot, pivotValue);

    [DoesNotReturn]
    public static void NotSquare(string paramName, int rows, int columns, int order)
        => throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture, $"{paramName} is {rows}x{columns}, but this factor is for {order}x{order} matrices."),
            paramName);

    [DoesNotReturn]
    public static void WrongShape(string paramName, int rows, int columns, int expectedRows, int expectedColumns)
        => throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture, $"{paramName} is {rows}x{columns}, but {expectedRows}x{expectedColumns} was expected."),
            paramName);

    [DoesNotReturn]
    public static void WrongLength(string paramName, int length, long expected)
        => throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture, $"{paramName} has length {length}, but {expected} values are needed."),
            paramName);

    [DoesNotReturn]
    public static void InvalidLoad(string paramName, int index, double value)
        => throw new InvalidValueException(
            index < 0
                ? string.Create(CultureInfo.InvariantCulture, $"The diagonal load must be finite and non-negative, but it is {value:G17}.")
                : string.Create(CultureInfo.InvariantCulture, $"Every diagonal load must be finite and non-negative, but element {index} is {value:G17}."),
            paramName,
            index,
            -1);

    [DoesNotReturn]
    public static void NonFiniteEntry(string paramName, int row, int column, double value)
        => throw new InvalidValueException(
            string.Create(CultureInfo.InvariantCulture, $"{paramName}[{row}, {column}] is {value}; every entry of the lower triangle must be finite."),
            paramName,
            row,
            column);

    [DoesNotReturn]
    public static void NotFactored()
        => throw new InvalidOperationException("There is no factorization: call Factor (or a TryFactor that returned true) first.");
}
