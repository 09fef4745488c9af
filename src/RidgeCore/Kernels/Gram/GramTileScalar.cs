using System.Numerics;
using System.Runtime.CompilerServices;

namespace RidgeCore.Kernels.Gram;

/// <summary>
/// The scalar Gram tile: 4 × 4 with sixteen scalar accumulators (x64 has 16 xmm registers for scalar doubles, so the
/// operands may spill a little; this tier exists for correctness on machines without SIMD, not for speed).
/// </summary>
internal unsafe struct GramTileScalar<T> : IGramTileKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int MR => 4;

    public static int NR => 4;

    // Not inlined: the macro-kernel calls it from two sites, and inlining both made RyuJIT keep the six A pointers on
    // the stack and reload them every k step (measured: 25 instead of ~40 GFLOP/s on AVX2). The call costs nothing
    // against a 256-step loop.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Run(nint kc, T** a, T* b, T* c, nint ldc, bool subtract)
    {
        T* a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
        T c00 = T.Zero, c01 = T.Zero, c02 = T.Zero, c03 = T.Zero, c10 = T.Zero, c11 = T.Zero, c12 = T.Zero, c13 = T.Zero;
        T c20 = T.Zero, c21 = T.Zero, c22 = T.Zero, c23 = T.Zero, c30 = T.Zero, c31 = T.Zero, c32 = T.Zero, c33 = T.Zero;
        nint end = kc * 4;
        for (nint o = 0; o < end; o += 4)
        {
            T b0 = b[o], b1 = b[o + 1], b2 = b[o + 2], b3 = b[o + 3];
            T x = a0[o];
            c00 += x * b0; c01 += x * b1; c02 += x * b2; c03 += x * b3;
            x = a1[o];
            c10 += x * b0; c11 += x * b1; c12 += x * b2; c13 += x * b3;
            x = a2[o];
            c20 += x * b0; c21 += x * b1; c22 += x * b2; c23 += x * b3;
            x = a3[o];
            c30 += x * b0; c31 += x * b1; c32 += x * b2; c33 += x * b3;
        }

        if (subtract)
        {
            c00 = -c00; c01 = -c01; c02 = -c02; c03 = -c03; c10 = -c10; c11 = -c11; c12 = -c12; c13 = -c13;
            c20 = -c20; c21 = -c21; c22 = -c22; c23 = -c23; c30 = -c30; c31 = -c31; c32 = -c32; c33 = -c33;
        }

        c[0] += c00; c[1] += c01; c[2] += c02; c[3] += c03;
        T* r = c + ldc;
        r[0] += c10; r[1] += c11; r[2] += c12; r[3] += c13;
        r += ldc;
        r[0] += c20; r[1] += c21; r[2] += c22; r[3] += c23;
        r += ldc;
        r[0] += c30; r[1] += c31; r[2] += c32; r[3] += c33;
    }

    /// <summary>The same as <see cref="Run"/>: this tier runs without hardware intrinsics, prefetch included.</summary>
    public static void RunPrefetching(nint kc, T** a, T* b, T* c, nint ldc, bool subtract, byte* prefetch, nint prefetchStep)
        => Run(kc, a, b, c, ldc, subtract);

    /// <summary>The edge tile: the first <paramref name="rows"/> rows of a tile, accumulated into C.</summary>
    public static void RunPartial(nint kc, int rows, T** a, T* b, T* c, nint ldc)
    {
        for (int r = 0; r < rows; r++)
        {
            T* ar = a[r];
            for (int j = 0; j < 4; j++)
            {
                T s = T.Zero;
                for (nint k = 0; k < kc; k++)
                {
                    s += ar[k * 4] * b[(k * 4) + j];
                }

                c[(r * ldc) + j] += s;
            }
        }
    }
}
