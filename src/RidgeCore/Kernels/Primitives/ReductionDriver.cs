using System;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using RidgeCore.Internal;

namespace RidgeCore.Kernels.Primitives;

/// <summary>
/// The reduction drivers: one generic driver per shape (one input, two inputs), one body per vector width, chosen
/// once per call from <see cref="Tier"/>. Lengths shorter than one vector of the chosen width drop to the next narrower
/// width, and below one 128-bit vector to scalar code; there is no scalar tail loop in the vector paths.
/// </summary>
internal static class ReductionDriver
{
    public static T Reduce<T, TOp>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IUnaryAccumulator<T>
    {
        ref T rx = ref MemoryMarshal.GetReference(x);
        nuint n = (nuint)x.Length;
        if (Tier.UseV512 && n >= (nuint)Vector512<T>.Count)
        {
            return ReduceV512<T, TOp>(ref rx, n);
        }

        if ((Tier.UseV512 || Tier.UseV256) && n >= (nuint)Vector256<T>.Count)
        {
            return ReduceV256<T, TOp>(ref rx, n);
        }

        if (Tier.UseV128 && n >= (nuint)Vector128<T>.Count)
        {
            return ReduceV128<T, TOp>(ref rx, n);
        }

        return ReduceScalar<T, TOp>(ref rx, n);
    }

    public static T Reduce<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IBinaryAccumulator<T>
    {
        ref T rx = ref MemoryMarshal.GetReference(x);
        ref T ry = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)x.Length;
        if (Tier.UseV512 && n >= (nuint)Vector512<T>.Count)
        {
            return ReduceV512<T, TOp>(ref rx, ref ry, n);
        }

        if ((Tier.UseV512 || Tier.UseV256) && n >= (nuint)Vector256<T>.Count)
        {
            return ReduceV256<T, TOp>(ref rx, ref ry, n);
        }

        if (Tier.UseV128 && n >= (nuint)Vector128<T>.Count)
        {
            return ReduceV128<T, TOp>(ref rx, ref ry, n);
        }

        return ReduceScalar<T, TOp>(ref rx, ref ry, n);
    }

    private static T ReduceScalar<T, TOp>(ref T x, nuint n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IUnaryAccumulator<T>
    {
        // Four accumulators keep the scalar tier from being latency-bound; element i goes to accumulator i mod 4.
        T a0 = T.Zero, a1 = T.Zero, a2 = T.Zero, a3 = T.Zero;
        nuint i = 0;
        for (; i + 4 <= n; i += 4)
        {
            a0 = TOp.Accumulate(a0, Unsafe.Add(ref x, i));
            a1 = TOp.Accumulate(a1, Unsafe.Add(ref x, i + 1));
            a2 = TOp.Accumulate(a2, Unsafe.Add(ref x, i + 2));
            a3 = TOp.Accumulate(a3, Unsafe.Add(ref x, i + 3));
        }

        if (i < n) { a0 = TOp.Accumulate(a0, Unsafe.Add(ref x, i)); }
        if (i + 1 < n) { a1 = TOp.Accumulate(a1, Unsafe.Add(ref x, i + 1)); }
        if (i + 2 < n) { a2 = TOp.Accumulate(a2, Unsafe.Add(ref x, i + 2)); }
        return (a0 + a1) + (a2 + a3);
    }

    private static T ReduceScalar<T, TOp>(ref T x, ref T y, nuint n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IBinaryAccumulator<T>
    {
        T a0 = T.Zero, a1 = T.Zero, a2 = T.Zero, a3 = T.Zero;
        nuint i = 0;
        for (; i + 4 <= n; i += 4)
        {
            a0 = TOp.Accumulate(a0, Unsafe.Add(ref x, i), Unsafe.Add(ref y, i));
            a1 = TOp.Accumulate(a1, Unsafe.Add(ref x, i + 1), Unsafe.Add(ref y, i + 1));
            a2 = TOp.Accumulate(a2, Unsafe.Add(ref x, i + 2), Unsafe.Add(ref y, i + 2));
            a3 = TOp.Accumulate(a3, Unsafe.Add(ref x, i + 3), Unsafe.Add(ref y, i + 3));
        }

        if (i < n) { a0 = TOp.Accumulate(a0, Unsafe.Add(ref x, i), Unsafe.Add(ref y, i)); }
        if (i + 1 < n) { a1 = TOp.Accumulate(a1, Unsafe.Add(ref x, i + 1), Unsafe.Add(ref y, i + 1)); }
        if (i + 2 < n) { a2 = TOp.Accumulate(a2, Unsafe.Add(ref x, i + 2), Unsafe.Add(ref y, i + 2)); }
        return (a0 + a1) + (a2 + a3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T ReduceV512<T, TOp>(ref T x, nuint n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IUnaryAccumulator<T>
    {
        // Caller guarantees n >= one vector. Eight independent accumulators hide the add/FMA latency (4 cycles, two
        // pipes on Zen 3). Block k of each 8-vector stride always goes to accumulator k, whole leftover vectors go to
        // accumulators 0..6 in order and the masked, overlapping last vector to accumulator 7; the final combine is a
        // fixed tree. So the order of additions depends on n alone, never on where the buffer lives.
        nuint c = (nuint)Vector512<T>.Count;
        Vector512<T> a0 = Vector512<T>.Zero, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        nuint i = 0;
        for (; i + (8 * c) <= n; i += 8 * c)
        {
            a0 = TOp.Accumulate(a0, Vector512.LoadUnsafe(ref x, i));
            a1 = TOp.Accumulate(a1, Vector512.LoadUnsafe(ref x, i + c));
            a2 = TOp.Accumulate(a2, Vector512.LoadUnsafe(ref x, i + (2 * c)));
            a3 = TOp.Accumulate(a3, Vector512.LoadUnsafe(ref x, i + (3 * c)));
            a4 = TOp.Accumulate(a4, Vector512.LoadUnsafe(ref x, i + (4 * c)));
            a5 = TOp.Accumulate(a5, Vector512.LoadUnsafe(ref x, i + (5 * c)));
            a6 = TOp.Accumulate(a6, Vector512.LoadUnsafe(ref x, i + (6 * c)));
            a7 = TOp.Accumulate(a7, Vector512.LoadUnsafe(ref x, i + (7 * c)));
        }

        nuint whole = (n - i) / c;
        if (whole >= 1) { a0 = TOp.Accumulate(a0, Vector512.LoadUnsafe(ref x, i)); }
        if (whole >= 2) { a1 = TOp.Accumulate(a1, Vector512.LoadUnsafe(ref x, i + c)); }
        if (whole >= 3) { a2 = TOp.Accumulate(a2, Vector512.LoadUnsafe(ref x, i + (2 * c))); }
        if (whole >= 4) { a3 = TOp.Accumulate(a3, Vector512.LoadUnsafe(ref x, i + (3 * c))); }
        if (whole >= 5) { a4 = TOp.Accumulate(a4, Vector512.LoadUnsafe(ref x, i + (4 * c))); }
        if (whole >= 6) { a5 = TOp.Accumulate(a5, Vector512.LoadUnsafe(ref x, i + (5 * c))); }
        if (whole >= 7) { a6 = TOp.Accumulate(a6, Vector512.LoadUnsafe(ref x, i + (6 * c))); }

        nuint tail = n - i - (whole * c);
        if (tail != 0)
        {
            Vector512<T> mask = SimdOps.TailMask512<T>((int)(c - tail));
            a7 = TOp.Accumulate(a7, Vector512.LoadUnsafe(ref x, n - c) & mask);
        }

        return Vector512.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T ReduceV256<T, TOp>(ref T x, nuint n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IUnaryAccumulator<T>
    {
        // Caller guarantees n >= one vector. Eight independent accumulators hide the add/FMA latency (4 cycles, two
        // pipes on Zen 3). Block k of each 8-vector stride always goes to accumulator k, whole leftover vectors go to
        // accumulators 0..6 in order and the masked, overlapping last vector to accumulator 7; the final combine is a
        // fixed tree. So the order of additions depends on n alone, never on where the buffer lives.
        nuint c = (nuint)Vector256<T>.Count;
        Vector256<T> a0 = Vector256<T>.Zero, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        nuint i = 0;
        for (; i + (8 * c) <= n; i += 8 * c)
        {
            a0 = TOp.Accumulate(a0, Vector256.LoadUnsafe(ref x, i));
            a1 = TOp.Accumulate(a1, Vector256.LoadUnsafe(ref x, i + c));
            a2 = TOp.Accumulate(a2, Vector256.LoadUnsafe(ref x, i + (2 * c)));
            a3 = TOp.Accumulate(a3, Vector256.LoadUnsafe(ref x, i + (3 * c)));
            a4 = TOp.Accumulate(a4, Vector256.LoadUnsafe(ref x, i + (4 * c)));
            a5 = TOp.Accumulate(a5, Vector256.LoadUnsafe(ref x, i + (5 * c)));
            a6 = TOp.Accumulate(a6, Vector256.LoadUnsafe(ref x, i + (6 * c)));
            a7 = TOp.Accumulate(a7, Vector256.LoadUnsafe(ref x, i + (7 * c)));
        }

        nuint whole = (n - i) / c;
        if (whole >= 1) { a0 = TOp.Accumulate(a0, Vector256.LoadUnsafe(ref x, i)); }
        if (whole >= 2) { a1 = TOp.Accumulate(a1, Vector256.LoadUnsafe(ref x, i + c)); }
        if (whole >= 3) { a2 = TOp.Accumulate(a2, Vector256.LoadUnsafe(ref x, i + (2 * c))); }
        if (whole >= 4) { a3 = TOp.Accumulate(a3, Vector256.LoadUnsafe(ref x, i + (3 * c))); }
        if (whole >= 5) { a4 = TOp.Accumulate(a4, Vector256.LoadUnsafe(ref x, i + (4 * c))); }
        if (whole >= 6) { a5 = TOp.Accumulate(a5, Vector256.LoadUnsafe(ref x, i + (5 * c))); }
        if (whole >= 7) { a6 = TOp.Accumulate(a6, Vector256.LoadUnsafe(ref x, i + (6 * c))); }

        nuint tail = n - i - (whole * c);
        if (tail != 0)
        {
            Vector256<T> mask = SimdOps.TailMask256<T>((int)(c - tail));
            a7 = TOp.Accumulate(a7, Vector256.LoadUnsafe(ref x, n - c) & mask);
        }

        return Vector256.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T ReduceV128<T, TOp>(ref T x, nuint n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IUnaryAccumulator<T>
    {
        // Caller guarantees n >= one vector. Eight independent accumulators hide the add/FMA latency (4 cycles, two
        // pipes on Zen 3). Block k of each 8-vector stride always goes to accumulator k, whole leftover vectors go to
        // accumulators 0..6 in order and the masked, overlapping last vector to accumulator 7; the final combine is a
        // fixed tree. So the order of additions depends on n alone, never on where the buffer lives.
        nuint c = (nuint)Vector128<T>.Count;
        Vector128<T> a0 = Vector128<T>.Zero, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        nuint i = 0;
        for (; i + (8 * c) <= n; i += 8 * c)
        {
            a0 = TOp.Accumulate(a0, Vector128.LoadUnsafe(ref x, i));
            a1 = TOp.Accumulate(a1, Vector128.LoadUnsafe(ref x, i + c));
            a2 = TOp.Accumulate(a2, Vector128.LoadUnsafe(ref x, i + (2 * c)));
            a3 = TOp.Accumulate(a3, Vector128.LoadUnsafe(ref x, i + (3 * c)));
            a4 = TOp.Accumulate(a4, Vector128.LoadUnsafe(ref x, i + (4 * c)));
            a5 = TOp.Accumulate(a5, Vector128.LoadUnsafe(ref x, i + (5 * c)));
            a6 = TOp.Accumulate(a6, Vector128.LoadUnsafe(ref x, i + (6 * c)));
            a7 = TOp.Accumulate(a7, Vector128.LoadUnsafe(ref x, i + (7 * c)));
        }

        nuint whole = (n - i) / c;
        if (whole >= 1) { a0 = TOp.Accumulate(a0, Vector128.LoadUnsafe(ref x, i)); }
        if (whole >= 2) { a1 = TOp.Accumulate(a1, Vector128.LoadUnsafe(ref x, i + c)); }
        if (whole >= 3) { a2 = TOp.Accumulate(a2, Vector128.LoadUnsafe(ref x, i + (2 * c))); }
        if (whole >= 4) { a3 = TOp.Accumulate(a3, Vector128.LoadUnsafe(ref x, i + (3 * c))); }
        if (whole >= 5) { a4 = TOp.Accumulate(a4, Vector128.LoadUnsafe(ref x, i + (4 * c))); }
        if (whole >= 6) { a5 = TOp.Accumulate(a5, Vector128.LoadUnsafe(ref x, i + (5 * c))); }
        if (whole >= 7) { a6 = TOp.Accumulate(a6, Vector128.LoadUnsafe(ref x, i + (6 * c))); }

        nuint tail = n - i - (whole * c);
        if (tail != 0)
        {
            Vector128<T> mask = SimdOps.TailMask128<T>((int)(c - tail));
            a7 = TOp.Accumulate(a7, Vector128.LoadUnsafe(ref x, n - c) & mask);
        }

        return Vector128.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T ReduceV512<T, TOp>(ref T x, ref T y, nuint n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IBinaryAccumulator<T>
    {
        // Same fixed order as the one-input driver. Both inputs of the masked last vector are zeroed, so a lane that
        // was already counted contributes exactly +0 even when the other operand is infinite.
        nuint c = (nuint)Vector512<T>.Count;
        Vector512<T> a0 = Vector512<T>.Zero, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        nuint i = 0;
        for (; i + (8 * c) <= n; i += 8 * c)
        {
            a0 = TOp.Accumulate(a0, Vector512.LoadUnsafe(ref x, i), Vector512.LoadUnsafe(ref y, i));
            a1 = TOp.Accumulate(a1, Vector512.LoadUnsafe(ref x, i + c), Vector512.LoadUnsafe(ref y, i + c));
            a2 = TOp.Accumulate(a2, Vector512.LoadUnsafe(ref x, i + (2 * c)), Vector512.LoadUnsafe(ref y, i + (2 * c)));
            a3 = TOp.Accumulate(a3, Vector512.LoadUnsafe(ref x, i + (3 * c)), Vector512.LoadUnsafe(ref y, i + (3 * c)));
            a4 = TOp.Accumulate(a4, Vector512.LoadUnsafe(ref x, i + (4 * c)), Vector512.LoadUnsafe(ref y, i + (4 * c)));
            a5 = TOp.Accumulate(a5, Vector512.LoadUnsafe(ref x, i + (5 * c)), Vector512.LoadUnsafe(ref y, i + (5 * c)));
            a6 = TOp.Accumulate(a6, Vector512.LoadUnsafe(ref x, i + (6 * c)), Vector512.LoadUnsafe(ref y, i + (6 * c)));
            a7 = TOp.Accumulate(a7, Vector512.LoadUnsafe(ref x, i + (7 * c)), Vector512.LoadUnsafe(ref y, i + (7 * c)));
        }

        nuint whole = (n - i) / c;
        if (whole >= 1) { a0 = TOp.Accumulate(a0, Vector512.LoadUnsafe(ref x, i), Vector512.LoadUnsafe(ref y, i)); }
        if (whole >= 2) { a1 = TOp.Accumulate(a1, Vector512.LoadUnsafe(ref x, i + c), Vector512.LoadUnsafe(ref y, i + c)); }
        if (whole >= 3) { a2 = TOp.Accumulate(a2, Vector512.LoadUnsafe(ref x, i + (2 * c)), Vector512.LoadUnsafe(ref y, i + (2 * c))); }
        if (whole >= 4) { a3 = TOp.Accumulate(a3, Vector512.LoadUnsafe(ref x, i + (3 * c)), Vector512.LoadUnsafe(ref y, i + (3 * c))); }
        if (whole >= 5) { a4 = TOp.Accumulate(a4, Vector512.LoadUnsafe(ref x, i + (4 * c)), Vector512.LoadUnsafe(ref y, i + (4 * c))); }
        if (whole >= 6) { a5 = TOp.Accumulate(a5, Vector512.LoadUnsafe(ref x, i + (5 * c)), Vector512.LoadUnsafe(ref y, i + (5 * c))); }
        if (whole >= 7) { a6 = TOp.Accumulate(a6, Vector512.LoadUnsafe(ref x, i + (6 * c)), Vector512.LoadUnsafe(ref y, i + (6 * c))); }

        nuint tail = n - i - (whole * c);
        if (tail != 0)
        {
            Vector512<T> mask = SimdOps.TailMask512<T>((int)(c - tail));
            a7 = TOp.Accumulate(a7, Vector512.LoadUnsafe(ref x, n - c) & mask, Vector512.LoadUnsafe(ref y, n - c) & mask);
        }

        return Vector512.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T ReduceV256<T, TOp>(ref T x, ref T y, nuint n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IBinaryAccumulator<T>
    {
        // Same fixed order as the one-input driver. Both inputs of the masked last vector are zeroed, so a lane that
        // was already counted contributes exactly +0 even when the other operand is infinite.
        nuint c = (nuint)Vector256<T>.Count;
        Vector256<T> a0 = Vector256<T>.Zero, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        nuint i = 0;
        for (; i + (8 * c) <= n; i += 8 * c)
        {
            a0 = TOp.Accumulate(a0, Vector256.LoadUnsafe(ref x, i), Vector256.LoadUnsafe(ref y, i));
            a1 = TOp.Accumulate(a1, Vector256.LoadUnsafe(ref x, i + c), Vector256.LoadUnsafe(ref y, i + c));
            a2 = TOp.Accumulate(a2, Vector256.LoadUnsafe(ref x, i + (2 * c)), Vector256.LoadUnsafe(ref y, i + (2 * c)));
            a3 = TOp.Accumulate(a3, Vector256.LoadUnsafe(ref x, i + (3 * c)), Vector256.LoadUnsafe(ref y, i + (3 * c)));
            a4 = TOp.Accumulate(a4, Vector256.LoadUnsafe(ref x, i + (4 * c)), Vector256.LoadUnsafe(ref y, i + (4 * c)));
            a5 = TOp.Accumulate(a5, Vector256.LoadUnsafe(ref x, i + (5 * c)), Vector256.LoadUnsafe(ref y, i + (5 * c)));
            a6 = TOp.Accumulate(a6, Vector256.LoadUnsafe(ref x, i + (6 * c)), Vector256.LoadUnsafe(ref y, i + (6 * c)));
            a7 = TOp.Accumulate(a7, Vector256.LoadUnsafe(ref x, i + (7 * c)), Vector256.LoadUnsafe(ref y, i + (7 * c)));
        }

        nuint whole = (n - i) / c;
        if (whole >= 1) { a0 = TOp.Accumulate(a0, Vector256.LoadUnsafe(ref x, i), Vector256.LoadUnsafe(ref y, i)); }
        if (whole >= 2) { a1 = TOp.Accumulate(a1, Vector256.LoadUnsafe(ref x, i + c), Vector256.LoadUnsafe(ref y, i + c)); }
        if (whole >= 3) { a2 = TOp.Accumulate(a2, Vector256.LoadUnsafe(ref x, i + (2 * c)), Vector256.LoadUnsafe(ref y, i + (2 * c))); }
        if (whole >= 4) { a3 = TOp.Accumulate(a3, Vector256.LoadUnsafe(ref x, i + (3 * c)), Vector256.LoadUnsafe(ref y, i + (3 * c))); }
        if (whole >= 5) { a4 = TOp.Accumulate(a4, Vector256.LoadUnsafe(ref x, i + (4 * c)), Vector256.LoadUnsafe(ref y, i + (4 * c))); }
        if (whole >= 6) { a5 = TOp.Accumulate(a5, Vector256.LoadUnsafe(ref x, i + (5 * c)), Vector256.LoadUnsafe(ref y, i + (5 * c))); }
        if (whole >= 7) { a6 = TOp.Accumulate(a6, Vector256.LoadUnsafe(ref x, i + (6 * c)), Vector256.LoadUnsafe(ref y, i + (6 * c))); }

        nuint tail = n - i - (whole * c);
        if (tail != 0)
        {
            Vector256<T> mask = SimdOps.TailMask256<T>((int)(c - tail));
            a7 = TOp.Accumulate(a7, Vector256.LoadUnsafe(ref x, n - c) & mask, Vector256.LoadUnsafe(ref y, n - c) & mask);
        }

        return Vector256.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T ReduceV128<T, TOp>(ref T x, ref T y, nuint n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IBinaryAccumulator<T>
    {
        // Same fixed order as the one-input driver. Both inputs of the masked last vector are zeroed, so a lane that
        // was already counted contributes exactly +0 even when the other operand is infinite.
        nuint c = (nuint)Vector128<T>.Count;
        Vector128<T> a0 = Vector128<T>.Zero, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        nuint i = 0;
        for (; i + (8 * c) <= n; i += 8 * c)
        {
            a0 = TOp.Accumulate(a0, Vector128.LoadUnsafe(ref x, i), Vector128.LoadUnsafe(ref y, i));
            a1 = TOp.Accumulate(a1, Vector128.LoadUnsafe(ref x, i + c), Vector128.LoadUnsafe(ref y, i + c));
            a2 = TOp.Accumulate(a2, Vector128.LoadUnsafe(ref x, i + (2 * c)), Vector128.LoadUnsafe(ref y, i + (2 * c)));
            a3 = TOp.Accumulate(a3, Vector128.LoadUnsafe(ref x, i + (3 * c)), Vector128.LoadUnsafe(ref y, i + (3 * c)));
            a4 = TOp.Accumulate(a4, Vector128.LoadUnsafe(ref x, i + (4 * c)), Vector128.LoadUnsafe(ref y, i + (4 * c)));
            a5 = TOp.Accumulate(a5, Vector128.LoadUnsafe(ref x, i + (5 * c)), Vector128.LoadUnsafe(ref y, i + (5 * c)));
            a6 = TOp.Accumulate(a6, Vector128.LoadUnsafe(ref x, i + (6 * c)), Vector128.LoadUnsafe(ref y, i + (6 * c)));
            a7 = TOp.Accumulate(a7, Vector128.LoadUnsafe(ref x, i + (7 * c)), Vector128.LoadUnsafe(ref y, i + (7 * c)));
        }

        nuint whole = (n - i) / c;
        if (whole >= 1) { a0 = TOp.Accumulate(a0, Vector128.LoadUnsafe(ref x, i), Vector128.LoadUnsafe(ref y, i)); }
        if (whole >= 2) { a1 = TOp.Accumulate(a1, Vector128.LoadUnsafe(ref x, i + c), Vector128.LoadUnsafe(ref y, i + c)); }
        if (whole >= 3) { a2 = TOp.Accumulate(a2, Vector128.LoadUnsafe(ref x, i + (2 * c)), Vector128.LoadUnsafe(ref y, i + (2 * c))); }
        if (whole >= 4) { a3 = TOp.Accumulate(a3, Vector128.LoadUnsafe(ref x, i + (3 * c)), Vector128.LoadUnsafe(ref y, i + (3 * c))); }
        if (whole >= 5) { a4 = TOp.Accumulate(a4, Vector128.LoadUnsafe(ref x, i + (4 * c)), Vector128.LoadUnsafe(ref y, i + (4 * c))); }
        if (whole >= 6) { a5 = TOp.Accumulate(a5, Vector128.LoadUnsafe(ref x, i + (5 * c)), Vector128.LoadUnsafe(ref y, i + (5 * c))); }
        if (whole >= 7) { a6 = TOp.Accumulate(a6, Vector128.LoadUnsafe(ref x, i + (6 * c)), Vector128.LoadUnsafe(ref y, i + (6 * c))); }

        nuint tail = n - i - (whole * c);
        if (tail != 0)
        {
            Vector128<T> mask = SimdOps.TailMask128<T>((int)(c - tail));
            a7 = TOp.Accumulate(a7, Vector128.LoadUnsafe(ref x, n - c) & mask, Vector128.LoadUnsafe(ref y, n - c) & mask);
        }

        return Vector128.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)));
    }
}
