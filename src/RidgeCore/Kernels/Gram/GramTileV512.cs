using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using RidgeCore.Internal;

namespace RidgeCore.Kernels.Gram;

/// <summary>
/// The AVX-512 Gram tile: 6 rows × 2 Vector512 columns (6×16 double, 6×32 float). It keeps the AVX2 shape
/// (not yet tuned: no AVX-512 hardware was available to measure a wider tile on).
/// </summary>
/// <remarks>
/// Register budget: 12 accumulators + 2 B vectors + 1 broadcast A = 15 of the 16 vector registers (AVX-512 has 32, so a taller tile may pay). An 8-row tile
/// (16 accumulators) makes RyuJIT spill three accumulators and runs at ~57 % of peak (measured, see
/// shared/notes/performance-facts.md §4); 6×2 vectors is the BLIS Haswell/Zen shape.
/// </remarks>
internal unsafe struct GramTileV512<T> : IGramTileKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int MR => 6;

    public static int NR => 2 * Vector512<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Run(nint kc, T** a, T* b, T* c, nint ldc)
    {
        nint nr = 2 * Vector512<T>.Count;
        T* a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4], a5 = a[5];
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        nint end = kc * nr;
        for (nint o = 0; o < end; o += nr)
        {
            Vector512<T> b0 = Vector512.Load(b + o);
            Vector512<T> b1 = Vector512.Load(b + o + Vector512<T>.Count);
            Vector512<T> x = Vector512.Create(a0[o]);
            c00 = SimdOps.MulAdd(x, b0, c00);
            c01 = SimdOps.MulAdd(x, b1, c01);
            x = Vector512.Create(a1[o]);
            c10 = SimdOps.MulAdd(x, b0, c10);
            c11 = SimdOps.MulAdd(x, b1, c11);
            x = Vector512.Create(a2[o]);
            c20 = SimdOps.MulAdd(x, b0, c20);
            c21 = SimdOps.MulAdd(x, b1, c21);
            x = Vector512.Create(a3[o]);
            c30 = SimdOps.MulAdd(x, b0, c30);
            c31 = SimdOps.MulAdd(x, b1, c31);
            x = Vector512.Create(a4[o]);
            c40 = SimdOps.MulAdd(x, b0, c40);
            c41 = SimdOps.MulAdd(x, b1, c41);
            x = Vector512.Create(a5[o]);
            c50 = SimdOps.MulAdd(x, b0, c50);
            c51 = SimdOps.MulAdd(x, b1, c51);
        }

        Accumulate(c, c00, c01);
        Accumulate(c + ldc, c10, c11);
        Accumulate(c + (2 * ldc), c20, c21);
        Accumulate(c + (3 * ldc), c30, c31);
        Accumulate(c + (4 * ldc), c40, c41);
        Accumulate(c + (5 * ldc), c50, c51);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(T* row, Vector512<T> lo, Vector512<T> hi)
    {
        (Vector512.Load(row) + lo).Store(row);
        (Vector512.Load(row + Vector512<T>.Count) + hi).Store(row + Vector512<T>.Count);
    }
}
