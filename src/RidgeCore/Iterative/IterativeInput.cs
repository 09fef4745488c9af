using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using RidgeCore.Internal;
using RidgeCore.Kernels.Primitives;

namespace RidgeCore.Iterative;

/// <summary>Up-front checks shared by the iterative solvers: every one throws before any state changes, naming the
/// argument and the offending row and column.</summary>
internal static class IterativeInput
{
    public static void CheckShape<T>(MatrixView<T> x, int labels, string labelName, ReadOnlySpan<T> weights)
    {
        if (x.Rows < 1 || x.Columns < 1)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"x is {x.Rows}x{x.Columns}; it needs at least one row and one column."), nameof(x));
        }

        if (labels != x.Rows)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{labelName} has {labels} values but x has {x.Rows} rows."), labelName);
        }

        if (!weights.IsEmpty && weights.Length != x.Rows)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"weights has {weights.Length} values but x has {x.Rows} rows; pass one per row or none."), nameof(weights));
        }
    }

    public static void CheckFinite<T>(MatrixView<T> x, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Fast path: Σ 0·xᵢⱼ is 0 when every value is finite and NaN otherwise (0·±∞ = NaN), one vectorized pass at
        // memory speed; only a failing matrix is scanned element by element to name the row and column.
        if (x.RowStride == x.Columns || x.Rows == 1)
        {
            ReadOnlySpan<T> all = x.Data.Slice(0, ((x.Rows - 1) * x.RowStride) + x.Columns);
            if (T.IsFinite(ReductionDriver.Reduce<T, ZeroTimesAccumulator<T>>(all)))
            {
                return;
            }
        }

        for (int i = 0; i < x.Rows; i++)
        {
            ReadOnlySpan<T> row = x.Row(i);
            for (int j = 0; j < row.Length; j++)
            {
                if (!T.IsFinite(row[j]))
                {
                    Throw(name, i, j, double.CreateTruncating(row[j]), "must be finite");
                }
            }
        }
    }

    public static void CheckFinite<T>(ReadOnlySpan<T> values, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (T.IsFinite(ReductionDriver.Reduce<T, ZeroTimesAccumulator<T>>(values)))
        {
            return;
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                Throw(name, i, 0, double.CreateTruncating(values[i]), "must be finite");
            }
        }
    }

    public static void CheckBinary<T>(ReadOnlySpan<T> labels, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Whole vectors first (a scalar loop over 10⁵ labels took 0.5 ms, a tenth of a logistic fit's subsample
        // levels); the scalar loop names the first offending label, from the vector that held one.
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ref T first = ref MemoryMarshal.GetReference(labels);
            for (; i + Vector<T>.Count <= labels.Length; i += Vector<T>.Count)
            {
                Vector<T> v = Vector.LoadUnsafe(ref first, (nuint)i);
                if (!Vector.EqualsAll(Vector.AsVectorByte(Vector.Equals(v, Vector<T>.Zero) | Vector.Equals(v, Vector<T>.One)), Vector<byte>.AllBitsSet))
                {
                    break;
                }
            }
        }

        for (; i < labels.Length; i++)
        {
            if (labels[i] != T.Zero && labels[i] != T.One)
            {
                Throw(name, i, 0, double.CreateTruncating(labels[i]), "logistic labels must be 0 or 1");
            }
        }
    }

    /// <summary>Checks the weights (finite, ≥ 0) and returns Σw (the row count without weights).</summary>
    public static double CheckWeights<T>(ReadOnlySpan<T> weights, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (weights.IsEmpty)
        {
            return rows;
        }

        double sum = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            T w = weights[i];
            if (!T.IsFinite(w) || w < T.Zero)
            {
                Throw(nameof(weights), i, 0, double.CreateTruncating(w), "weights must be finite and non-negative");
            }

            sum += double.CreateTruncating(w);
        }

        if (!(sum > 0))
        {
            throw new ArgumentException("The data have no row with positive weight (Σw = 0), so there is nothing to fit.", nameof(weights));
        }

        return sum;
    }

    [DoesNotReturn]
    public static void Throw(string name, long row, int column, double value, string rule)
        => throw new InvalidValueException(
            string.Create(CultureInfo.InvariantCulture, $"{name}[{row}, {column}] is {value:G17}; {rule}."), name, row, column);
}

/// <summary>acc + 0·x: stays 0 while every x is finite, becomes NaN at the first ±∞ or NaN.</summary>
internal readonly struct ZeroTimesAccumulator<T> : IUnaryAccumulator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Accumulate(T acc, T x) => SimdOps.MulAdd(x, T.Zero, acc);

    public static Vector128<T> Accumulate(Vector128<T> acc, Vector128<T> x) => SimdOps.MulAdd(x, Vector128<T>.Zero, acc);

    public static Vector256<T> Accumulate(Vector256<T> acc, Vector256<T> x) => SimdOps.MulAdd(x, Vector256<T>.Zero, acc);

    public static Vector512<T> Accumulate(Vector512<T> acc, Vector512<T> x) => SimdOps.MulAdd(x, Vector512<T>.Zero, acc);
}
