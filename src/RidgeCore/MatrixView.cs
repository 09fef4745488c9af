using System;
using System.Runtime.CompilerServices;
using RidgeCore.Internal;

namespace RidgeCore;

/// <summary>
/// A read-only view of a dense row-major matrix: <see cref="Rows"/> rows of <see cref="Columns"/> values, row i
/// starting at element <c>i · RowStride</c> of <see cref="Data"/>. The stride may exceed the column count (a view of
/// some columns of a wider table, or rows padded for alignment). The view never copies and never writes.
/// </summary>
/// <typeparam name="T">The element type (<see cref="float"/> or <see cref="double"/> for RidgeCore's kernels).</typeparam>
public readonly ref struct MatrixView<T>
{
    /// <summary>Creates a view of a contiguous matrix (row stride equal to the column count).</summary>
    /// <param name="data">The elements, row-major; at least rows · columns long.</param>
    /// <param name="rows">The number of rows (≥ 0).</param>
    /// <param name="columns">The number of columns (≥ 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="data"/> is too short for the shape.</exception>
    public MatrixView(ReadOnlySpan<T> data, int rows, int columns)
        : this(data, rows, columns, columns)
    {
    }

    /// <summary>Creates a view with an explicit row stride.</summary>
    /// <param name="data">The elements; row i starts at <c>i · rowStride</c>.</param>
    /// <param name="rows">The number of rows (≥ 0).</param>
    /// <param name="columns">The number of columns (≥ 0).</param>
    /// <param name="rowStride">The distance between the starts of consecutive rows, in elements (≥ columns).</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, or the stride is less than the column count.</exception>
    /// <exception cref="ArgumentException"><paramref name="data"/> is too short for the shape.</exception>
    public MatrixView(ReadOnlySpan<T> data, int rows, int columns, int rowStride)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowStride, columns);
        long needed = rows == 0 ? 0 : ((long)(rows - 1) * rowStride) + columns;
        if (data.Length < needed)
        {
            ThrowHelper.TooShort(nameof(data), data.Length, needed, rows, columns, rowStride);
        }

        Data = data;
        Rows = rows;
        Columns = columns;
        RowStride = rowStride;
    }

    /// <summary>The underlying elements.</summary>
    public ReadOnlySpan<T> Data { get; }

    /// <summary>The number of rows.</summary>
    public int Rows { get; }

    /// <summary>The number of columns.</summary>
    public int Columns { get; }

    /// <summary>The distance between the starts of consecutive rows, in elements.</summary>
    public int RowStride { get; }

    /// <summary>Gets the element in row <paramref name="row"/>, column <paramref name="column"/>.</summary>
    /// <param name="row">The row index.</param>
    /// <param name="column">The column index.</param>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the view.</exception>
    public T this[int row, int column]
    {
        get
        {
            if ((uint)row >= (uint)Rows)
            {
                throw new ArgumentOutOfRangeException(nameof(row), row, $"Row must be in [0, {Rows}).");
            }

            if ((uint)column >= (uint)Columns)
            {
                throw new ArgumentOutOfRangeException(nameof(column), column, $"Column must be in [0, {Columns}).");
            }

            return Data[(row * RowStride) + column];
        }
    }

    /// <summary>Returns row <paramref name="row"/> as a span of <see cref="Columns"/> elements.</summary>
    /// <param name="row">The row index.</param>
    /// <returns>The row.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<T> Row(int row) => Data.Slice(row * RowStride, Columns);

    /// <summary>Returns the view of rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>).</summary>
    /// <param name="start">The first row.</param>
    /// <param name="count">The number of rows.</param>
    /// <returns>The sub-view.</returns>
    public MatrixView<T> SliceRows(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start, Rows - count);
        return count == 0
            ? new MatrixView<T>(ReadOnlySpan<T>.Empty, 0, Columns, RowStride)
            : new MatrixView<T>(Data.Slice(start * RowStride), count, Columns, RowStride);
    }
}
