using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using RidgeCore.Internal;
using Vec = System.Runtime.Intrinsics.Vector256;

namespace RidgeCore.Kernels.Cholesky;

/// <summary>
/// The AVX2 + FMA Cholesky panel kernels: micro-panels of two Vector256 (NR = 8 double), leaves of MR = 6 rows, the
/// shape of <see cref="Gram.GramTileV256{T}"/>. The leaf solve holds 6 × 2 rows in 12 of the 16 ymm registers.
/// </summary>
internal unsafe struct CholeskyPanelV256<T> : ICholeskyPanelKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int NR => 2 * Vector256<T>.Count;

    public static int MR => 6;

    public static void SolveLeaf(T* z, T* factor, int skipLanes)
    {
        nint nr = NR;
        if (skipLanes == 0)
        {
            SolveColumn(z, factor, nr, masked: false, default);
            SolveColumn(z + Vector256<T>.Count, factor, nr, masked: false, default);
            return;
        }

        SolveColumn(z, factor, nr, masked: true, SimdOps.TailMask256<T>(skipLanes));
        SolveColumn(z + Vector256<T>.Count, factor, nr, masked: true, SimdOps.TailMask256<T>(skipLanes - Vector256<T>.Count));
    }

    // Row r = (z_r + Σ_{t<r} f[r,t]·x_t) · f[r,r] with f row-major of stride MR = 6.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SolveColumn(T* z, T* f, nint nr, bool masked, Vector256<T> take)
    {
        Vector256<T> x0 = Vec.Load(z) * Vec.Create(f[0]);
        Vector256<T> x1 = SimdOps.MulAdd(Vec.Create(f[6]), x0, Vec.Load(z + nr)) * Vec.Create(f[7]);
        Vector256<T> x2 = SimdOps.MulAdd(Vec.Create(f[12]), x0, Vec.Load(z + (2 * nr)));
        x2 = SimdOps.MulAdd(Vec.Create(f[13]), x1, x2) * Vec.Create(f[14]);
        Vector256<T> x3 = SimdOps.MulAdd(Vec.Create(f[18]), x0, Vec.Load(z + (3 * nr)));
        x3 = SimdOps.MulAdd(Vec.Create(f[19]), x1, x3);
        x3 = SimdOps.MulAdd(Vec.Create(f[20]), x2, x3) * Vec.Create(f[21]);
        Vector256<T> x4 = SimdOps.MulAdd(Vec.Create(f[24]), x0, Vec.Load(z + (4 * nr)));
        x4 = SimdOps.MulAdd(Vec.Create(f[25]), x1, x4);
        x4 = SimdOps.MulAdd(Vec.Create(f[26]), x2, x4);
        x4 = SimdOps.MulAdd(Vec.Create(f[27]), x3, x4) * Vec.Create(f[28]);
        Vector256<T> x5 = SimdOps.MulAdd(Vec.Create(f[30]), x0, Vec.Load(z + (5 * nr)));
        x5 = SimdOps.MulAdd(Vec.Create(f[31]), x1, x5);
        x5 = SimdOps.MulAdd(Vec.Create(f[32]), x2, x5);
        x5 = SimdOps.MulAdd(Vec.Create(f[33]), x3, x5);
        x5 = SimdOps.MulAdd(Vec.Create(f[34]), x4, x5) * Vec.Create(f[35]);
        if (masked)
        {
            // The old values are still in memory: keep them in the lanes that are not ours to change.
            x0 = Vec.ConditionalSelect(take, x0, Vec.Load(z));
            x1 = Vec.ConditionalSelect(take, x1, Vec.Load(z + nr));
            x2 = Vec.ConditionalSelect(take, x2, Vec.Load(z + (2 * nr)));
            x3 = Vec.ConditionalSelect(take, x3, Vec.Load(z + (3 * nr)));
            x4 = Vec.ConditionalSelect(take, x4, Vec.Load(z + (4 * nr)));
            x5 = Vec.ConditionalSelect(take, x5, Vec.Load(z + (5 * nr)));
        }

        x0.Store(z);
        x1.Store(z + nr);
        x2.Store(z + (2 * nr));
        x3.Store(z + (3 * nr));
        x4.Store(z + (4 * nr));
        x5.Store(z + (5 * nr));
    }

    public static void SubtractCombination(T* panel, nint rows, T* x, T* acc)
    {
        // Four accumulators (two per half, even and odd k) hide the FMA latency; the order of the sum depends only on k.
        nint nr = NR, w = Vector256<T>.Count;
        Vector256<T> a0 = Vec.Load(acc), a1 = Vec.Load(acc + w), b0 = default, b1 = default;
        nint k = 0;
        for (; k + 2 <= rows; k += 2)
        {
            T* p = panel + (k * nr);
            Vector256<T> s = Vec.Create(-x[k]);
            a0 = SimdOps.MulAdd(s, Vec.Load(p), a0);
            a1 = SimdOps.MulAdd(s, Vec.Load(p + w), a1);
            s = Vec.Create(-x[k + 1]);
            b0 = SimdOps.MulAdd(s, Vec.Load(p + nr), b0);
            b1 = SimdOps.MulAdd(s, Vec.Load(p + nr + w), b1);
        }

        if (k < rows)
        {
            T* p = panel + (k * nr);
            Vector256<T> s = Vec.Create(-x[k]);
            a0 = SimdOps.MulAdd(s, Vec.Load(p), a0);
            a1 = SimdOps.MulAdd(s, Vec.Load(p + w), a1);
        }

        (a0 + b0).Store(acc);
        (a1 + b1).Store(acc + w);
    }

    public static void SubtractRowDots(T* panel, nint rows, T* x, T* z)
    {
        nint nr = NR, w = Vector256<T>.Count;
        Vector256<T> x0 = Vec.Load(x), x1 = Vec.Load(x + w);
        for (nint k = 0; k < rows; k++)
        {
            T* p = panel + (k * nr);
            z[k] -= Vec.Sum(SimdOps.MulAdd(Vec.Load(p + w), x1, Vec.Load(p) * x0));
        }
    }
}
