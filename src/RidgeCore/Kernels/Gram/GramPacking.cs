using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using RidgeCore.Internal;

namespace RidgeCore.Kernels.Gram;

/// <summary>
/// The packing pass of the Gram engine: one sweep over the rows of [X | Y] that writes zᵢ = √wᵢ·(vᵢ − s) into the
/// NR-wide micro-panels and, in the same loads, adds wᵢ·(vᵢ − s) to the chunk's sums. Nothing else reads X, so the
/// centering costs no pass of its own: the engine corrects for the chunk mean afterwards with one rank-one downdate.
/// </summary>
/// <remarks>
/// Rows are swept in blocks of <see cref="RowBlock"/> consecutive rows (the hardware prefetcher streams X); within a
/// block, each vector of columns is taken down the block's rows with its sums in registers. Arithmetic is in double for
/// both element types (float input gets double sums and a double shift, and z is rounded to float once, as it is
/// stored); a float vector is widened to two double vectors. The micro-panels that hold the end of x, the y columns
/// and the zero padding are fed from the staging rows, whose padding stays zero, so z and the sums are zero there too
/// (the shift is zero past q). <see cref="SumRows"/> is the same sweep without the stores, for the first chunk's mean.
/// </remarks>
internal static unsafe class GramPacking
{
    /// <summary>Rows packed together: each column vector's shift and sums are loaded once per block of this many rows
    /// and the sums stay in registers while the rows pass (one load and store of the sums per row made a
    /// store-to-load chain that cost more than the packing arithmetic at small p).</summary>
    public const int RowBlock = 8;

    /// <summary>Packs <paramref name="kc"/> rows starting at <paramref name="x"/> / <paramref name="y"/> into packed
    /// rows 0..kc of the workspace panel and adds their weighted, shifted values to <see cref="GramWorkspace{T}.Sums"/>.
    /// Not inlined: inside the engine's long chunk loop the packing loops lost their registers to spills (a 1 000 × 32
    /// Add took ~1 µs longer on Zen 5).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void PackRows<T>(GramWorkspace<T> ws, T* x, nint xStride, int p, T* y, nint yStride, int t, int kc, bool weighted)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int nr = ws.NR;
        nint stride = (nint)ws.PanelStride;
        int direct = p / nr * nr;
        int c0 = direct;
        double* shift = ws.Shift, sums = ws.Sums, w = ws.RowWeights, sw = ws.RowScales;
        int tailWidth = ws.PaddedQ - c0;
        nint tailOffset = (c0 / nr) * stride;
        if (c0 == p && t <= nr)
        {
            // x fills whole micro-panels and the last one holds only the t ≤ NR targets: write those lanes directly,
            // no staging (the lanes past t are never written, so they keep the zeros the buffer was allocated with).
            for (int k0 = 0; k0 < kc; k0 += RowBlock)
            {
                int rb = Math.Min(RowBlock, kc - k0);
                Block(x + (k0 * xStride), xStride, direct, shift, sums, weighted ? w + k0 : null, weighted ? sw + k0 : null, rb, ws.Pack + (k0 * nr), stride, nr);
            }

            PackTargets(y, yStride, t, kc, shift + p, sums + p, weighted ? w : null, weighted ? sw : null, ws.Pack + tailOffset, nr);
            return;
        }

        // The staging rows are filled one block ahead of their use, from two alternating sets: they are written with
        // scalar stores and read back as whole vectors, and a vector load that overlaps stores still in the store
        // buffer cannot be forwarded and waits for them to retire (worth ~0.5 µs of a 1 000 × 32 Add on Zen 5).
        T* staging = ws.Row, stagingNext = ws.Row + (RowBlock * tailWidth);
        if (tailWidth > 0)
        {
            Stage(x, xStride, c0, p, y, yStride, t, 0, Math.Min(RowBlock, kc), staging, tailWidth);
        }

        for (int k0 = 0; k0 < kc; k0 += RowBlock)
        {
            int rb = Math.Min(RowBlock, kc - k0);
            double* wk = weighted ? w + k0 : null, swk = weighted ? sw + k0 : null;
            T* dst = ws.Pack + (k0 * nr);
            if (tailWidth > 0 && k0 + RowBlock < kc)
            {
                Stage(x, xStride, c0, p, y, yStride, t, k0 + RowBlock, Math.Min(RowBlock, kc - k0 - RowBlock), stagingNext, tailWidth);
            }

            Block(x + (k0 * xStride), xStride, direct, shift, sums, wk, swk, rb, dst, stride, nr);
            if (tailWidth > 0)
            {
                Block(staging, tailWidth, tailWidth, shift + c0, sums + c0, wk, swk, rb, dst + tailOffset, stride, nr);
                T* used = staging;
                staging = stagingNext;
                stagingNext = used;
            }
        }
    }

    /// <summary>The y-only micro-panel: lane j of packed row r is √wᵣ·(y[r, j] − s_j), and the sums take wᵣ·(y[r, j] − s_j).
    /// Two running sums per target halve the add chain.</summary>
    private static void PackTargets<T>(T* y, nint yStride, int t, int kc, double* shift, double* sums, double* w, double* sw, T* dst, int nr)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = 0; j < t; j++)
        {
            double s = shift[j], a0 = sums[j], a1 = 0;
            T* yj = y + j;
            T* dj = dst + j;
            int r = 0;
            for (; r + 2 <= kc; r += 2)
            {
                double z0 = double.CreateTruncating(yj[r * yStride]) - s, z1 = double.CreateTruncating(yj[(r + 1) * yStride]) - s;
                if (w is null)
                {
                    a0 += z0;
                    a1 += z1;
                    dj[r * nr] = T.CreateTruncating(z0);
                    dj[(r + 1) * nr] = T.CreateTruncating(z1);
                }
                else
                {
                    a0 = SimdOps.MulAdd(w[r], z0, a0);
                    a1 = SimdOps.MulAdd(w[r + 1], z1, a1);
                    dj[r * nr] = T.CreateTruncating(z0 * sw[r]);
                    dj[(r + 1) * nr] = T.CreateTruncating(z1 * sw[r + 1]);
                }
            }

            if (r < kc)
            {
                double z = double.CreateTruncating(yj[r * yStride]) - s;
                a0 = w is null ? a0 + z : SimdOps.MulAdd(w[r], z, a0);
                dj[r * nr] = T.CreateTruncating(w is null ? z : z * sw[r]);
            }

            sums[j] = a0 + a1;
        }
    }

    /// <summary>Copies the end of x (columns c0..p) and the y values of rows k0..k0+rb into staging rows of width
    /// <paramref name="tailWidth"/>; their zero padding is never written.</summary>
    private static void Stage<T>(T* x, nint xStride, int c0, int p, T* y, nint yStride, int t, int k0, int rb, T* staging, int tailWidth)
        where T : unmanaged
    {
        for (int r = 0; r < rb; r++)
        {
            T* xr = x + ((k0 + r) * xStride), yr = y + ((k0 + r) * yStride), sr = staging + (r * tailWidth);
            for (int c = c0; c < p; c++)
            {
                sr[c - c0] = xr[c];
            }

            for (int j = 0; j < t; j++)
            {
                sr[p - c0 + j] = yr[j];
            }
        }
    }

    /// <summary>Adds Σᵢ wᵢ·(vᵢ − s) over <paramref name="kc"/> rows of [X | Y] to <see cref="GramWorkspace{T}.Sums"/>
    /// without packing anything: the sweep that finds the exact mean of an accumulator's first chunk. Null weights mean
    /// w = 1; otherwise <see cref="GramWorkspace{T}.RowWeights"/> holds them.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void SumRows<T>(GramWorkspace<T> ws, T* x, nint xStride, int p, T* y, nint yStride, int t, int kc, bool weighted)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double* shift = ws.Shift, sums = ws.Sums;
        double* w = weighted ? ws.RowWeights : null;
        int width = Tier.UseV512 ? Vector512<double>.Count : Tier.UseV256 ? Vector256<double>.Count : Tier.UseV128 ? Vector128<double>.Count : 1;
        int vectorEnd = width > 1 ? p / width * width : 0;
        for (int k0 = 0; k0 < kc; k0 += RowBlock)
        {
            int rb = Math.Min(RowBlock, kc - k0);
            T* xb = x + (k0 * xStride);
            double* wb = w is null ? null : w + k0;
            for (int c = 0; c < vectorEnd; c += width)
            {
                if (Tier.UseV512)
                {
                    Vector512<double> s = Vector512.Load(shift + c), acc = Vector512.Load(sums + c);
                    for (int r = 0; r < rb; r++)
                    {
                        Vector512<double> z = Wide512(xb + (r * xStride) + c) - s;
                        acc = wb is null ? acc + z : SimdOps.MulAdd(Vector512.Create(wb[r]), z, acc);
                    }

                    acc.Store(sums + c);
                }
                else if (Tier.UseV256)
                {
                    Vector256<double> s = Vector256.Load(shift + c), acc = Vector256.Load(sums + c);
                    for (int r = 0; r < rb; r++)
                    {
                        Vector256<double> z = Wide256(xb + (r * xStride) + c) - s;
                        acc = wb is null ? acc + z : SimdOps.MulAdd(Vector256.Create(wb[r]), z, acc);
                    }

                    acc.Store(sums + c);
                }
                else
                {
                    Vector128<double> s = Vector128.Load(shift + c), acc = Vector128.Load(sums + c);
                    for (int r = 0; r < rb; r++)
                    {
                        T* v = xb + (r * xStride) + c;
                        Vector128<double> z = Vector128.Create(double.CreateTruncating(v[0]), double.CreateTruncating(v[1])) - s;
                        acc = wb is null ? acc + z : SimdOps.MulAdd(Vector128.Create(wb[r]), z, acc);
                    }

                    acc.Store(sums + c);
                }
            }

            for (int c = vectorEnd; c < p + t; c++)
            {
                double s = shift[c], acc = sums[c];
                for (int r = 0; r < rb; r++)
                {
                    double z = double.CreateTruncating(c < p ? xb[(r * xStride) + c] : y[((k0 + r) * yStride) + c - p]) - s;
                    acc = wb is null ? acc + z : SimdOps.MulAdd(wb[r], z, acc);
                }

                sums[c] = acc;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Wide512<T>(T* v)
        where T : unmanaged
    {
        if (typeof(T) == typeof(double))
        {
            return Vector512.Load((double*)v);
        }

        Vector256<float> f = Vector256.Load((float*)v);
        return Vector512.Create(Vector256.WidenLower(f), Vector256.WidenUpper(f));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Wide256<T>(T* v)
        where T : unmanaged
    {
        if (typeof(T) == typeof(double))
        {
            return Vector256.Load((double*)v);
        }

        Vector128<float> f = Vector128.Load((float*)v);
        return Vector256.Create(Vector128.WidenLower(f), Vector128.WidenUpper(f));
    }

    /// <summary>For rb rows of src (row stride srcStride) and c &lt; len (a whole number of micro-panels):
    /// z = sw·(src[r, c] − shift[c]) goes to packed row r of micro-panel c / nr at column c % nr, and
    /// sums[c] += Σᵣ w·(src[r, c] − shift[c]). Null weights mean w = sw = 1. The vector families walk whole
    /// micro-panels (two vectors of T each), so the loop needs no division.</summary>
    private static void Block<T>(T* src, nint srcStride, int len, double* shift, double* sums, double* w, double* sw, int rb, T* dst, nint stride, int nr)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Tier.UseV512)
        {
            int h = Vector512<T>.Count;
            for (int c = 0; c < len; c += 2 * h, dst += stride)
            {
                Column512(src + c, srcStride, shift + c, sums + c, w, sw, rb, dst, nr);
                Column512(src + c + h, srcStride, shift + c + h, sums + c + h, w, sw, rb, dst + h, nr);
            }
        }
        else if (Tier.UseV256)
        {
            int h = Vector256<T>.Count;
            for (int c = 0; c < len; c += 2 * h, dst += stride)
            {
                Column256(src + c, srcStride, shift + c, sums + c, w, sw, rb, dst, nr);
                Column256(src + c + h, srcStride, shift + c + h, sums + c + h, w, sw, rb, dst + h, nr);
            }
        }
        else if (Tier.UseV128)
        {
            int h = Vector128<T>.Count;
            for (int c = 0; c < len; c += 2 * h, dst += stride)
            {
                Column128(src + c, srcStride, shift + c, sums + c, w, sw, rb, dst, nr);
                Column128(src + c + h, srcStride, shift + c + h, sums + c + h, w, sw, rb, dst + h, nr);
            }
        }
        else
        {
            for (int cb = 0; cb < len; cb += nr, dst += stride)
            {
                for (int c = cb; c < cb + nr; c++)
                {
                    double s = shift[c], acc = sums[c];
                    for (int r = 0; r < rb; r++)
                    {
                        double z = double.CreateTruncating(src[(r * srcStride) + c]) - s;
                        double wr = w is null ? 1.0 : w[r], swr = w is null ? 1.0 : sw[r];
                        acc = SimdOps.MulAdd(wr, z, acc);
                        dst[(r * nr) + c - cb] = T.CreateTruncating(z * swr);
                    }

                    sums[c] = acc;
                }
            }
        }
    }

    /// <summary>One vector of T over rb rows: shifted, summed with the row weights, stored scaled (see
    /// <see cref="Block"/>). Two accumulators per double vector halve the FMA chain.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Column512<T>(T* src, nint srcStride, double* shift, double* sums, double* w, double* sw, int rb, T* d, nint nr)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            Vector512<double> s = Vector512.Load(shift), a0 = Vector512.Load(sums), a1 = default;
            double* sr = (double*)src;
            double* dr = (double*)d;
            if (w is null)
            {
                int r = 0;
                for (; r + 2 <= rb; r += 2)
                {
                    Vector512<double> z0 = Vector512.Load(sr) - s, z1 = Vector512.Load(sr + srcStride) - s;
                    a0 += z0;
                    a1 += z1;
                    z0.Store(dr);
                    z1.Store(dr + nr);
                    sr += 2 * srcStride;
                    dr += 2 * nr;
                }

                if (r < rb)
                {
                    Vector512<double> z0 = Vector512.Load(sr) - s;
                    a0 += z0;
                    z0.Store(dr);
                }
            }
            else
            {
                for (int r = 0; r < rb; r++)
                {
                    Vector512<double> z = Vector512.Load(sr) - s;
                    if ((r & 1) == 0)
                    {
                        a0 = SimdOps.MulAdd(Vector512.Create(w[r]), z, a0);
                    }
                    else
                    {
                        a1 = SimdOps.MulAdd(Vector512.Create(w[r]), z, a1);
                    }

                    (z * Vector512.Create(sw[r])).Store(dr);
                    sr += srcStride;
                    dr += nr;
                }
            }

            (a0 + a1).Store(sums);
        }
        else
        {
            Vector512<double> slo = Vector512.Load(shift), shi = Vector512.Load(shift + 8);
            Vector512<double> alo = Vector512.Load(sums), ahi = Vector512.Load(sums + 8);
            float* sr = (float*)src;
            float* dr = (float*)d;
            for (int r = 0; r < rb; r++)
            {
                Vector512<float> v = Vector512.Load(sr);
                Vector512<double> lo = Vector512.WidenLower(v) - slo, hi = Vector512.WidenUpper(v) - shi;
                Vector512<double> wr = w is null ? Vector512<double>.One : Vector512.Create(w[r]);
                Vector512<double> swr = w is null ? Vector512<double>.One : Vector512.Create(sw[r]);
                alo = SimdOps.MulAdd(wr, lo, alo);
                ahi = SimdOps.MulAdd(wr, hi, ahi);
                Vector512.Narrow(lo * swr, hi * swr).Store(dr);
                sr += srcStride;
                dr += nr;
            }

            alo.Store(sums);
            ahi.Store(sums + 8);
        }
    }

    /// <summary>One vector of T over rb rows (see <see cref="Column512"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Column256<T>(T* src, nint srcStride, double* shift, double* sums, double* w, double* sw, int rb, T* d, nint nr)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            Vector256<double> s = Vector256.Load(shift), a0 = Vector256.Load(sums), a1 = default;
            double* sr = (double*)src;
            double* dr = (double*)d;
            if (w is null)
            {
                int r = 0;
                for (; r + 2 <= rb; r += 2)
                {
                    Vector256<double> z0 = Vector256.Load(sr) - s, z1 = Vector256.Load(sr + srcStride) - s;
                    a0 += z0;
                    a1 += z1;
                    z0.Store(dr);
                    z1.Store(dr + nr);
                    sr += 2 * srcStride;
                    dr += 2 * nr;
                }

                if (r < rb)
                {
                    Vector256<double> z0 = Vector256.Load(sr) - s;
                    a0 += z0;
                    z0.Store(dr);
                }
            }
            else
            {
                for (int r = 0; r < rb; r++)
                {
                    Vector256<double> z = Vector256.Load(sr) - s;
                    if ((r & 1) == 0)
                    {
                        a0 = SimdOps.MulAdd(Vector256.Create(w[r]), z, a0);
                    }
                    else
                    {
                        a1 = SimdOps.MulAdd(Vector256.Create(w[r]), z, a1);
                    }

                    (z * Vector256.Create(sw[r])).Store(dr);
                    sr += srcStride;
                    dr += nr;
                }
            }

            (a0 + a1).Store(sums);
        }
        else
        {
            Vector256<double> slo = Vector256.Load(shift), shi = Vector256.Load(shift + 4);
            Vector256<double> alo = Vector256.Load(sums), ahi = Vector256.Load(sums + 4);
            float* sr = (float*)src;
            float* dr = (float*)d;
            for (int r = 0; r < rb; r++)
            {
                Vector256<float> v = Vector256.Load(sr);
                Vector256<double> lo = Vector256.WidenLower(v) - slo, hi = Vector256.WidenUpper(v) - shi;
                Vector256<double> wr = w is null ? Vector256<double>.One : Vector256.Create(w[r]);
                Vector256<double> swr = w is null ? Vector256<double>.One : Vector256.Create(sw[r]);
                alo = SimdOps.MulAdd(wr, lo, alo);
                ahi = SimdOps.MulAdd(wr, hi, ahi);
                Vector256.Narrow(lo * swr, hi * swr).Store(dr);
                sr += srcStride;
                dr += nr;
            }

            alo.Store(sums);
            ahi.Store(sums + 4);
        }
    }

    /// <summary>One vector of T over rb rows (see <see cref="Column512"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Column128<T>(T* src, nint srcStride, double* shift, double* sums, double* w, double* sw, int rb, T* d, nint nr)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            Vector128<double> s = Vector128.Load(shift), a0 = Vector128.Load(sums), a1 = default;
            double* sr = (double*)src;
            double* dr = (double*)d;
            for (int r = 0; r < rb; r++)
            {
                Vector128<double> z = Vector128.Load(sr) - s;
                Vector128<double> wr = w is null ? Vector128<double>.One : Vector128.Create(w[r]);
                Vector128<double> swr = w is null ? Vector128<double>.One : Vector128.Create(sw[r]);
                if ((r & 1) == 0)
                {
                    a0 = SimdOps.MulAdd(wr, z, a0);
                }
                else
                {
                    a1 = SimdOps.MulAdd(wr, z, a1);
                }

                (z * swr).Store(dr);
                sr += srcStride;
                dr += nr;
            }

            (a0 + a1).Store(sums);
        }
        else
        {
            Vector128<double> slo = Vector128.Load(shift), shi = Vector128.Load(shift + 2);
            Vector128<double> alo = Vector128.Load(sums), ahi = Vector128.Load(sums + 2);
            float* sr = (float*)src;
            float* dr = (float*)d;
            for (int r = 0; r < rb; r++)
            {
                Vector128<float> v = Vector128.Load(sr);
                Vector128<double> lo = Vector128.WidenLower(v) - slo, hi = Vector128.WidenUpper(v) - shi;
                Vector128<double> wr = w is null ? Vector128<double>.One : Vector128.Create(w[r]);
                Vector128<double> swr = w is null ? Vector128<double>.One : Vector128.Create(sw[r]);
                alo = SimdOps.MulAdd(wr, lo, alo);
                ahi = SimdOps.MulAdd(wr, hi, ahi);
                Vector128.Narrow(lo * swr, hi * swr).Store(dr);
                sr += srcStride;
                dr += nr;
            }

            alo.Store(sums);
            ahi.Store(sums + 2);
        }
    }

    /// <summary>
    /// The shift of a chunk that starts an accumulator: the mean of the first 1, 2, 4 or 8 rows with positive weight,
    /// formed as a tree of pairwise midpoints a + (b − a)/2. Identical values give that
    /// value exactly, so a constant column centers to exact zeros; rows near the data's mean keep the rank-one
    /// correction small, so the subtraction loses almost nothing. Without a positive weight the shift is zero.
    /// </summary>
    public static void LocalShift<T>(GramWorkspace<T> ws, T* x, nint xStride, int p, T* y, nint yStride, int t, int rows, T* weights)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int* picked = stackalloc int[8];
        int found = 0;
        for (int r = 0; r < rows && found < 8; r++)
        {
            if (weights is null || weights[r] > T.Zero)
            {
                picked[found++] = r;
            }
        }

        double* shift = ws.Shift;
        ws.ClearShift();
        if (found == 0)
        {
            return;
        }

        int count = found >= 8 ? 8 : found >= 4 ? 4 : found >= 2 ? 2 : 1;
        double* level = stackalloc double[8];
        for (int c = 0; c < p + t; c++)
        {
            for (int i = 0; i < count; i++)
            {
                int r = picked[i];
                level[i] = double.CreateTruncating(c < p ? x[(r * xStride) + c] : y[(r * yStride) + c - p]);
            }

            for (int width = count; width > 1; width /= 2)
            {
                for (int i = 0; i < width / 2; i++)
                {
                    double a = level[2 * i], b = level[(2 * i) + 1];
                    level[i] = a + ((b - a) * 0.5);
                }
            }

            shift[c] = level[0];
        }
    }
}
