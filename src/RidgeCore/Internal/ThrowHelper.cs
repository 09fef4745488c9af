using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace RidgeCore.Internal;

/// <summary>Throw sites kept out of line so validation costs the hot paths one predictable branch each.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void LengthMismatch(string paramName, int actual, string otherName, int expected)
        => throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture, $"{paramName} has length {actual} but {otherName} has length {expected}; they must be equal."),
            paramName);

    [DoesNotReturn]
    public static void PartialOverlap(string paramName, string otherName)
        => throw new ArgumentException(
            $"{paramName} and {otherName} overlap partially; they must be the same buffer or not overlap at all.", paramName);

    [DoesNotReturn]
    public static void Empty(string paramName)
        => throw new ArgumentException($"{paramName} must not be empty.", paramName);

    [DoesNotReturn]
    public static void TooShort(string paramName, int length, long needed, int rows, int columns, int stride)
        => throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture, $"{paramName} has {length} elements but a {rows}x{columns} matrix with row stride {stride} needs {needed}."),
            paramName);
}
