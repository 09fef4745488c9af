using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using RidgeCore.Internal;
using Vec = System.Runtime.Intrinsics.Vector512;

namespace RidgeCore.Kernels.Cholesky;

/// <summary>
/// The AVX-512 Cholesky panel kernels: micro-panels of two Vector512 (NR = 16 double), leaves of MR = 8 rows, the
/// shape of <see cref="Gram.GramTileV512{T}"/>.
/// </summary>
/// <remarks>
/// The leaf solve keeps all 8 × 2 rows in registers (16 of the 32 zmm registers) and substitutes row by row; the
/// factor's entries are broadcast from memory. Each row waits only for the row before it (one FMA and one multiply,
/// about 8 cycles), and consecutive calls touch different micro-panels, so out-of-order execution overlaps them.
/// </remarks>
internal unsafe struct CholeskyPanelV512<T> : ICholeskyPanelKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int NR => 2 * Vector512<T>.Count;

    public static int MR => 8;

    public static void SolveLeaf(T* z, T* factor, int skipLanes)
    {
        nint nr = NR;
        if (skipLanes == 0)
        {
            SolveColumn(z, factor, nr, masked: false, default);
            SolveColumn(z + Vector512<T>.Count, factor, nr, masked: false, default);
            return;
        }

        SolveColumn(z, factor, nr, masked: true, SimdOps.TailMask512<T>(skipLanes));
        SolveColumn(z + Vector512<T>.Count, factor, nr, masked: true, SimdOps.TailMask512<T>(skipLanes - Vector512<T>.Count));
    }

    // Row r = (z_r + Σ_{t<r} f[r,t]·x_t) · f[r,r]; the term with x_{r-1} comes last so it alone is on the critical path.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SolveColumn(T* z, T* f, nint nr, bool masked, Vector512<T> take)
    {
        Vector512<T> x0 = Vec.Load(z) * Vec.Create(f[0]);
        Vector512<T> x1 = SimdOps.MulAdd(Vec.Create(f[8]), x0, Vec.Load(z + nr)) * Vec.Create(f[9]);
        Vector512<T> x2 = SimdOps.MulAdd(Vec.Create(f[16]), x0, Vec.Load(z + (2 * nr)));
        x2 = SimdOps.MulAdd(Vec.Create(f[17]), x1, x2) * Vec.Create(f[18]);
        Vector512<T> x3 = SimdOps.MulAdd(Vec.Create(f[24]), x0, Vec.Load(z + (3 * nr)));
        x3 = SimdOps.MulAdd(Vec.Create(f[25]), x1, x3);
        x3 = SimdOps.MulAdd(Vec.Create(f[26]), x2, x3) * Vec.Create(f[27]);
        Vector512<T> x4 = SimdOps.MulAdd(Vec.Create(f[32]), x0, Vec.Load(z + (4 * nr)));
        x4 = SimdOps.MulAdd(Vec.Create(f[33]), x1, x4);
        x4 = SimdOps.MulAdd(Vec.Create(f[34]), x2, x4);
        x4 = SimdOps.MulAdd(Vec.Create(f[35]), x3, x4) * Vec.Create(f[36]);
        Vector512<T> x5 = SimdOps.MulAdd(Vec.Create(f[40]), x0, Vec.Load(z + (5 * nr)));
        x5 = SimdOps.MulAdd(Vec.Create(f[41]), x1, x5);
        x5 = SimdOps.MulAdd(Vec.Create(f[42]), x2, x5);
        x5 = SimdOps.MulAdd(Vec.Create(f[43]), x3, x5);
        x5 = SimdOps.MulAdd(Vec.Create(f[44]), x4, x5) * Vec.Create(f[45]);
        Vector512<T> x6 = SimdOps.MulAdd(Vec.Create(f[48]), x0, Vec.Load(z + (6 * nr)));
        x6 = SimdOps.MulAdd(Vec.Create(f[49]), x1, x6);
        x6 = SimdOps.MulAdd(Vec.Create(f[50]), x2, x6);
        x6 = SimdOps.MulAdd(Vec.Create(f[51]), x3, x6);
        x6 = SimdOps.MulAdd(Vec.Create(f[52]), x4, x6);
        x6 = SimdOps.MulAdd(Vec.Create(f[53]), x5, x6) * Vec.Create(f[54]);
        Vector512<T> x7 = SimdOps.MulAdd(Vec.Create(f[56]), x0, Vec.Load(z + (7 * nr)));
        x7 = SimdOps.MulAdd(Vec.Create(f[57]), x1, x7);
        x7 = SimdOps.MulAdd(Vec.Create(f[58]), x2, x7);
        x7 = SimdOps.MulAdd(Vec.Create(f[59]), x3, x7);
        x7 = SimdOps.MulAdd(Vec.Create(f[60]), x4, x7);
        x7 = SimdOps.MulAdd(Vec.Create(f[61]), x5, x7);
        x7 = SimdOps.MulAdd(Vec.Create(f[62]), x6, x7) * Vec.Create(f[63]);
        if (masked)
        {
            // The old values are still in memory: keep them in the lanes that are not ours to change.
            x0 = Vec.ConditionalSelect(take, x0, Vec.Load(z));
            x1 = Vec.ConditionalSelect(take, x1, Vec.Load(z + nr));
            x2 = Vec.ConditionalSelect(take, x2, Vec.Load(z + (2 * nr)));
            x3 = Vec.ConditionalSelect(take, x3, Vec.Load(z + (3 * nr)));
            x4 = Vec.ConditionalSelect(take, x4, Vec.Load(z + (4 * nr)));
            x5 = Vec.ConditionalSelect(take, x5, Vec.Load(z + (5 * nr)));
            x6 = Vec.ConditionalSelect(take, x6, Vec.Load(z + (6 * nr)));
            x7 = Vec.ConditionalSelect(take, x7, Vec.Load(z + (7 * nr)));
        }

        x0.Store(z);
        x1.Store(z + nr);
        x2.Store(z + (2 * nr));
        x3.Store(z + (3 * nr));
        x4.Store(z + (4 * nr));
        x5.Store(z + (5 * nr));
        x6.Store(z + (6 * nr));
        x7.Store(z + (7 * nr));
    }

    public static void SubtractCombination(T* panel, nint rows, T* x, T* acc)
    {
        // Four accumulators (two per half, even and odd k) hide the FMA latency; the order of the sum depends only on k.
        nint nr = NR, w = Vector512<T>.Count;
        Vector512<T> a0 = Vec.Load(acc), a1 = Vec.Load(acc + w), b0 = default, b1 = default;
        nint k = 0;
        for (; k + 2 <= rows; k += 2)
        {
            T* p = panel + (k * nr);
            Vector512<T> s = Vec.Create(-x[k]);
            a0 = SimdOps.MulAdd(s, Vec.Load(p), a0);
            a1 = SimdOps.MulAdd(s, Vec.Load(p + w), a1);
            s = Vec.Create(-x[k + 1]);
            b0 = SimdOps.MulAdd(s, Vec.Load(p + nr), b0);
            b1 = SimdOps.MulAdd(s, Vec.Load(p + nr + w), b1);
        }

        if (k < rows)
        {
            T* p = panel + (k * nr);
            Vector512<T> s = Vec.Create(-x[k]);
            a0 = SimdOps.MulAdd(s, Vec.Load(p), a0);
            a1 = SimdOps.MulAdd(s, Vec.Load(p + w), a1);
        }

        (a0 + b0).Store(acc);
        (a1 + b1).Store(acc + w);
    }

    public static void SubtractRowDots(T* panel, nint rows, T* x, T* z)
    {
        nint nr = NR, w = Vector512<T>.Count;
        Vector512<T> x0 = Vec.Load(x), x1 = Vec.Load(x + w);
        for (nint k = 0; k < rows; k++)
        {
            T* p = panel + (k * nr);
            z[k] -= Vec.Sum(SimdOps.MulAdd(Vec.Load(p + w), x1, Vec.Load(p) * x0));
        }
    }
}
