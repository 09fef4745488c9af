using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using RidgeCore.Internal;
using RidgeCore.Kernels.Primitives;

namespace RidgeCore;

/// <summary>
/// Vectorized building blocks on contiguous spans, for <see cref="float"/> and <see cref="double"/>: dot product,
/// axpy, scale-and-add, sum, mean and sum of squares. Each runs the family chosen by <see cref="KernelSelection"/>.
/// </summary>
/// <remarks>
/// Reductions add in a fixed order that depends only on the length and the kernel family, never on the alignment of
/// the buffer, so the same data gives bit-identical results wherever it lives. Float reductions accumulate in float
/// (as BLAS <c>sdot</c> does); convert to double first when the extra digits matter. None of these methods allocate.
/// </remarks>
public static class VectorPrimitives
{
    /// <summary>Returns the dot product Σᵢ xᵢ·yᵢ.</summary>
    /// <param name="x">The first vector.</param>
    /// <param name="y">The second vector; must have the same length as <paramref name="x"/>.</param>
    /// <returns>The dot product; 0 for empty inputs.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
        {
            ThrowHelper.LengthMismatch(nameof(y), y.Length, nameof(x), x.Length);
        }

        return ReductionDriver.Reduce<double, DotAccumulator<double>>(x, y);
    }

    /// <summary>Returns the sum Σᵢ xᵢ.</summary>
    /// <param name="x">The vector.</param>
    /// <returns>The sum; 0 for an empty input.</returns>
    public static double Sum(ReadOnlySpan<double> x) => ReductionDriver.Reduce<double, SumAccumulator<double>>(x);

    /// <summary>Returns the arithmetic mean (Σᵢ xᵢ)/n.</summary>
    /// <param name="x">The vector; must not be empty.</param>
    /// <returns>The mean.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty (the mean would be NaN).</exception>
    public static double Mean(ReadOnlySpan<double> x)
    {
        if (x.IsEmpty)
        {
            ThrowHelper.Empty(nameof(x));
        }

        return Sum(x) / x.Length;
    }

    /// <summary>Returns the sum of squares Σᵢ xᵢ².</summary>
    /// <param name="x">The vector.</param>
    /// <returns>The sum of squares; 0 for an empty input.</returns>
    public static double SumOfSquares(ReadOnlySpan<double> x) => ReductionDriver.Reduce<double, SumOfSquaresAccumulator<double>>(x);

    /// <summary>Computes y ← a·x + y in place (BLAS axpy), with a fused multiply-add per element where the tier has one.</summary>
    /// <param name="a">The scale applied to <paramref name="x"/>.</param>
    /// <param name="x">The vector added.</param>
    /// <param name="y">The vector updated in place; same length as <paramref name="x"/>. It may be the same buffer as
    /// <paramref name="x"/> but must not overlap it partially.</param>
    /// <exception cref="ArgumentException">The lengths differ, or the buffers overlap partially.</exception>
    public static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        CheckUpdateOperands<double>(x, y, written: nameof(y));
        UpdateDriver.Update(new AxpyOperator<double>(a), x, y);
    }

    /// <summary>Computes x ← a·x + b·y in place: the fused scale-and-add behind weight decay
    /// (θ ← (1 − ηλ)θ − η·g is <c>ScaleAdd(1 - eta * lambda, theta, -eta, g)</c>).</summary>
    /// <param name="a">The scale applied to <paramref name="x"/>.</param>
    /// <param name="x">The vector updated in place.</param>
    /// <param name="b">The scale applied to <paramref name="y"/>.</param>
    /// <param name="y">The vector added; same length as <paramref name="x"/>. It may be the same buffer as
    /// <paramref name="x"/> but must not overlap it partially.</param>
    /// <exception cref="ArgumentException">The lengths differ, or the buffers overlap partially.</exception>
    public static void ScaleAdd(double a, Span<double> x, double b, ReadOnlySpan<double> y)
    {
        CheckUpdateOperands<double>(x, y, written: nameof(x));
        UpdateDriver.Update(new ScaleAddOperator<double>(a, b), y, x);
    }

    /// <summary>Returns the dot product Σᵢ xᵢ·yᵢ.</summary>
    /// <param name="x">The first vector.</param>
    /// <param name="y">The second vector; must have the same length as <paramref name="x"/>.</param>
    /// <returns>The dot product; 0 for empty inputs.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length)
        {
            ThrowHelper.LengthMismatch(nameof(y), y.Length, nameof(x), x.Length);
        }

        return ReductionDriver.Reduce<float, DotAccumulator<float>>(x, y);
    }

    /// <summary>Returns the sum Σᵢ xᵢ.</summary>
    /// <param name="x">The vector.</param>
    /// <returns>The sum; 0 for an empty input.</returns>
    public static float Sum(ReadOnlySpan<float> x) => ReductionDriver.Reduce<float, SumAccumulator<float>>(x);

    /// <summary>Returns the arithmetic mean (Σᵢ xᵢ)/n.</summary>
    /// <param name="x">The vector; must not be empty.</param>
    /// <returns>The mean.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty (the mean would be NaN).</exception>
    public static float Mean(ReadOnlySpan<float> x)
    {
        if (x.IsEmpty)
        {
            ThrowHelper.Empty(nameof(x));
        }

        return Sum(x) / x.Length;
    }

    /// <summary>Returns the sum of squares Σᵢ xᵢ².</summary>
    /// <param name="x">The vector.</param>
    /// <returns>The sum of squares; 0 for an empty input.</returns>
    public static float SumOfSquares(ReadOnlySpan<float> x) => ReductionDriver.Reduce<float, SumOfSquaresAccumulator<float>>(x);

    /// <summary>Computes y ← a·x + y in place (BLAS axpy), with a fused multiply-add per element where the tier has one.</summary>
    /// <param name="a">The scale applied to <paramref name="x"/>.</param>
    /// <param name="x">The vector added.</param>
    /// <param name="y">The vector updated in place; same length as <paramref name="x"/>. It may be the same buffer as
    /// <paramref name="x"/> but must not overlap it partially.</param>
    /// <exception cref="ArgumentException">The lengths differ, or the buffers overlap partially.</exception>
    public static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        CheckUpdateOperands<float>(x, y, written: nameof(y));
        UpdateDriver.Update(new AxpyOperator<float>(a), x, y);
    }

    /// <summary>Computes x ← a·x + b·y in place: the fused scale-and-add behind weight decay
    /// (θ ← (1 − ηλ)θ − η·g is <c>ScaleAdd(1 - eta * lambda, theta, -eta, g)</c>).</summary>
    /// <param name="a">The scale applied to <paramref name="x"/>.</param>
    /// <param name="x">The vector updated in place.</param>
    /// <param name="b">The scale applied to <paramref name="y"/>.</param>
    /// <param name="y">The vector added; same length as <paramref name="x"/>. It may be the same buffer as
    /// <paramref name="x"/> but must not overlap it partially.</param>
    /// <exception cref="ArgumentException">The lengths differ, or the buffers overlap partially.</exception>
    public static void ScaleAdd(float a, Span<float> x, float b, ReadOnlySpan<float> y)
    {
        CheckUpdateOperands<float>(x, y, written: nameof(x));
        UpdateDriver.Update(new ScaleAddOperator<float>(a, b), y, x);
    }

    /// <summary>Checks the operands of an in-place update: equal lengths (reported against y, as documented), and
    /// no partial overlap (reported against the written operand).</summary>
    private static unsafe void CheckUpdateOperands<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, string written)
        where T : unmanaged
    {
        if (x.Length != y.Length)
        {
            ThrowHelper.LengthMismatch(nameof(y), y.Length, nameof(x), x.Length);
        }

        // A byte-level test rather than MemoryExtensions.Overlaps, which throws its own unnamed exception when the
        // spans are offset by a fraction of an element. The same buffer is fine; any other overlap is not.
        nint offset = Unsafe.ByteOffset(ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y));
        long bytes = (long)x.Length * sizeof(T);
        if (offset != 0 && offset > -bytes && offset < bytes)
        {
            ThrowHelper.PartialOverlap(written, written == nameof(x) ? nameof(y) : nameof(x));
        }
    }
}
