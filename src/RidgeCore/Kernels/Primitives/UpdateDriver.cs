using System;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using RidgeCore.Internal;

namespace RidgeCore.Kernels.Primitives;

/// <summary>
/// The driver for element-wise updates <c>dest[i] ← op(other[i], dest[i])</c> (axpy, scale-and-add). Same width
/// selection as <see cref="ReductionDriver"/>. <c>dest</c> and <c>other</c> must be the same buffer or not overlap at
/// all; the public entry points check that.
/// </summary>
internal static class UpdateDriver
{
    public static void Update<T, TOp>(TOp op, ReadOnlySpan<T> other, Span<T> dest)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IUpdateOperator<T>
    {
        ref T ro = ref MemoryMarshal.GetReference(other);
        ref T rd = ref MemoryMarshal.GetReference(dest);
        nuint n = (nuint)dest.Length;
        if (Tier.UseV512 && n >= (nuint)Vector512<T>.Count)
        {
            UpdateV512(op, ref ro, ref rd, n);
        }
        else if ((Tier.UseV512 || Tier.UseV256) && n >= (nuint)Vector256<T>.Count)
        {
            UpdateV256(op, ref ro, ref rd, n);
        }
        else if (Tier.UseV128 && n >= (nuint)Vector128<T>.Count)
        {
            UpdateV128(op, ref ro, ref rd, n);
        }
        else
        {
            UpdateScalar(op, ref ro, ref rd, n);
        }
    }

    // A method of its own: with intrinsics disabled the three vector bodies above are inlined as software fallbacks,
    // which exhausts the JIT's inlining budget, and a scalar loop left in Update then called op.Invoke per element
    // (measured 3-5x slower than a plain loop in the scalar tier).
    private static void UpdateScalar<T, TOp>(TOp op, ref T other, ref T dest, nuint n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IUpdateOperator<T>
    {
        for (nuint i = 0; i < n; i++)
        {
            Unsafe.Add(ref dest, i) = op.Invoke(Unsafe.Add(ref other, i), Unsafe.Add(ref dest, i));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UpdateV512<T, TOp>(TOp op, ref T other, ref T dest, nuint n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IUpdateOperator<T>
    {
        // Caller guarantees n >= one vector. The last (possibly overlapping) vector is computed from the original
        // values before the main loop writes anything, and stored last: its overlapping lanes get the same values the
        // main loop wrote, so the tail needs no scalar loop even when dest and other are the same buffer.
        nuint c = (nuint)Vector512<T>.Count;
        Vector512<T> last = op.Invoke(Vector512.LoadUnsafe(ref other, n - c), Vector512.LoadUnsafe(ref dest, n - c));
        nuint i = 0;
        for (; i + (4 * c) <= n; i += 4 * c)
        {
            Vector512<T> d0 = op.Invoke(Vector512.LoadUnsafe(ref other, i), Vector512.LoadUnsafe(ref dest, i));
            Vector512<T> d1 = op.Invoke(Vector512.LoadUnsafe(ref other, i + c), Vector512.LoadUnsafe(ref dest, i + c));
            Vector512<T> d2 = op.Invoke(Vector512.LoadUnsafe(ref other, i + (2 * c)), Vector512.LoadUnsafe(ref dest, i + (2 * c)));
            Vector512<T> d3 = op.Invoke(Vector512.LoadUnsafe(ref other, i + (3 * c)), Vector512.LoadUnsafe(ref dest, i + (3 * c)));
            d0.StoreUnsafe(ref dest, i);
            d1.StoreUnsafe(ref dest, i + c);
            d2.StoreUnsafe(ref dest, i + (2 * c));
            d3.StoreUnsafe(ref dest, i + (3 * c));
        }

        for (; i + c <= n; i += c)
        {
            op.Invoke(Vector512.LoadUnsafe(ref other, i), Vector512.LoadUnsafe(ref dest, i)).StoreUnsafe(ref dest, i);
        }

        last.StoreUnsafe(ref dest, n - c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UpdateV256<T, TOp>(TOp op, ref T other, ref T dest, nuint n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IUpdateOperator<T>
    {
        // Caller guarantees n >= one vector. The last (possibly overlapping) vector is computed from the original
        // values before the main loop writes anything, and stored last: its overlapping lanes get the same values the
        // main loop wrote, so the tail needs no scalar loop even when dest and other are the same buffer.
        nuint c = (nuint)Vector256<T>.Count;
        Vector256<T> last = op.Invoke(Vector256.LoadUnsafe(ref other, n - c), Vector256.LoadUnsafe(ref dest, n - c));
        nuint i = 0;
        for (; i + (4 * c) <= n; i += 4 * c)
        {
            Vector256<T> d0 = op.Invoke(Vector256.LoadUnsafe(ref other, i), Vector256.LoadUnsafe(ref dest, i));
            Vector256<T> d1 = op.Invoke(Vector256.LoadUnsafe(ref other, i + c), Vector256.LoadUnsafe(ref dest, i + c));
            Vector256<T> d2 = op.Invoke(Vector256.LoadUnsafe(ref other, i + (2 * c)), Vector256.LoadUnsafe(ref dest, i + (2 * c)));
            Vector256<T> d3 = op.Invoke(Vector256.LoadUnsafe(ref other, i + (3 * c)), Vector256.LoadUnsafe(ref dest, i + (3 * c)));
            d0.StoreUnsafe(ref dest, i);
            d1.StoreUnsafe(ref dest, i + c);
            d2.StoreUnsafe(ref dest, i + (2 * c));
            d3.StoreUnsafe(ref dest, i + (3 * c));
        }

        for (; i + c <= n; i += c)
        {
            op.Invoke(Vector256.LoadUnsafe(ref other, i), Vector256.LoadUnsafe(ref dest, i)).StoreUnsafe(ref dest, i);
        }

        last.StoreUnsafe(ref dest, n - c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UpdateV128<T, TOp>(TOp op, ref T other, ref T dest, nuint n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IUpdateOperator<T>
    {
        // Caller guarantees n >= one vector. The last (possibly overlapping) vector is computed from the original
        // values before the main loop writes anything, and stored last: its overlapping lanes get the same values the
        // main loop wrote, so the tail needs no scalar loop even when dest and other are the same buffer.
        nuint c = (nuint)Vector128<T>.Count;
        Vector128<T> last = op.Invoke(Vector128.LoadUnsafe(ref other, n - c), Vector128.LoadUnsafe(ref dest, n - c));
        nuint i = 0;
        for (; i + (4 * c) <= n; i += 4 * c)
        {
            Vector128<T> d0 = op.Invoke(Vector128.LoadUnsafe(ref other, i), Vector128.LoadUnsafe(ref dest, i));
            Vector128<T> d1 = op.Invoke(Vector128.LoadUnsafe(ref other, i + c), Vector128.LoadUnsafe(ref dest, i + c));
            Vector128<T> d2 = op.Invoke(Vector128.LoadUnsafe(ref other, i + (2 * c)), Vector128.LoadUnsafe(ref dest, i + (2 * c)));
            Vector128<T> d3 = op.Invoke(Vector128.LoadUnsafe(ref other, i + (3 * c)), Vector128.LoadUnsafe(ref dest, i + (3 * c)));
            d0.StoreUnsafe(ref dest, i);
            d1.StoreUnsafe(ref dest, i + c);
            d2.StoreUnsafe(ref dest, i + (2 * c));
            d3.StoreUnsafe(ref dest, i + (3 * c));
        }

        for (; i + c <= n; i += c)
        {
            op.Invoke(Vector128.LoadUnsafe(ref other, i), Vector128.LoadUnsafe(ref dest, i)).StoreUnsafe(ref dest, i);
        }

        last.StoreUnsafe(ref dest, n - c);
    }
}
