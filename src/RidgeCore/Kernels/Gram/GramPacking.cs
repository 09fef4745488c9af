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
/// Rows are swept in memory order (the hardware prefetcher streams X); each row is cut into micro-panel slices.
/// Arithmetic is in double for both element types (float input gets double sums and a double shift, and z is rounded
/// to float once, as it is stored). Each family's loop handles one vector of T per step; a float vector is widened to
/// two double vectors. The micro-panels that hold the end of x, the y columns and the zero padding are fed from the
/// staging row, whose padding stays zero, so z and the sums are zero there too (the shift is zero past q).
/// </remarks>
internal static unsafe class GramPacking
{
    /// <summary>Packs <paramref name="kc"/> rows starting at <paramref name="x"/> / <paramref name="y"/> into packed
    /// rows 0..kc of the workspace panel and adds their weighted, shifted values to <see cref="GramWorkspace{T}.Sums"/>.</summary>
    public static void PackRows<T>(GramWorkspace<T> ws, T* x, nint xStride, int p, T* y, nint yStride, int t, int kc, bool weighted)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int nr = ws.NR;
        nint stride = (nint)ws.PanelStride;
        int direct = p / nr * nr;
        int c0 = direct;
        double* shift = ws.Shift, sums = ws.Sums, w = ws.RowWeights, sw = ws.RowScales;
        T* staging = ws.Row;
        int tailWidth = ws.PaddedQ - c0;
        nint tailOffset = (c0 / nr) * stride;
        for (int k = 0; k < kc; k++)
        {
            double wk = weighted ? w[k] : 1.0, swk = weighted ? sw[k] : 1.0;
            T* xr = x + (k * xStride);
            T* dst = ws.Pack + (k * nr);
            Slice(xr, direct, shift, sums, wk, swk, dst, stride, nr);

            if (tailWidth > 0)
            {
                T* yr = y + (k * yStride);
                for (int c = c0; c < p; c++)
                {
                    staging[c - c0] = xr[c];
                }

                for (int j = 0; j < t; j++)
                {
                    staging[p - c0 + j] = yr[j];
                }

                Slice(staging, tailWidth, shift + c0, sums + c0, wk, swk, dst + tailOffset, stride, nr);
            }
        }
    }

    /// <summary>For c &lt; len (a whole number of micro-panels): z = sw·(src[c] − shift[c]) goes to micro-panel c / nr
    /// at column c % nr, and sums[c] += w·(src[c] − shift[c]). The vector families' micro-panels are two vectors
    /// wide, so the loop walks whole micro-panels and needs no division (an integer division per vector, with nr not
    /// a JIT constant here, cost more than the arithmetic).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Slice<T>(T* src, int len, double* shift, double* sums, double w, double sw, T* dst, nint stride, int nr)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Tier.UseV512)
        {
            Vector512<double> vw = Vector512.Create(w), vs = Vector512.Create(sw);
            int h = Vector512<T>.Count;
            for (int c = 0; c < len; c += 2 * h, dst += stride)
            {
                Step512(src, c, shift, sums, vw, vs, dst);
                Step512(src, c + h, shift, sums, vw, vs, dst + h);
            }
        }
        else if (Tier.UseV256)
        {
            Vector256<double> vw = Vector256.Create(w), vs = Vector256.Create(sw);
            int h = Vector256<T>.Count;
            for (int c = 0; c < len; c += 2 * h, dst += stride)
            {
                Step256(src, c, shift, sums, vw, vs, dst);
                Step256(src, c + h, shift, sums, vw, vs, dst + h);
            }
        }
        else if (Tier.UseV128)
        {
            Vector128<double> vw = Vector128.Create(w), vs = Vector128.Create(sw);
            int h = Vector128<T>.Count;
            for (int c = 0; c < len; c += 2 * h, dst += stride)
            {
                Step128(src, c, shift, sums, vw, vs, dst);
                Step128(src, c + h, shift, sums, vw, vs, dst + h);
            }
        }
        else
        {
            for (int c0 = 0; c0 < len; c0 += nr, dst += stride)
            {
                for (int c = c0; c < c0 + nr; c++)
                {
                    double z = double.CreateTruncating(src[c]) - shift[c];
                    sums[c] = SimdOps.MulAdd(w, z, sums[c]);
                    dst[c - c0] = T.CreateTruncating(z * sw);
                }
            }
        }
    }

    /// <summary>One vector of T at column c: shifted, summed with weight w, stored scaled by sw at d.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step512<T>(T* src, int c, double* shift, double* sums, Vector512<double> vw, Vector512<double> vs, T* d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            Vector512<double> z = Vector512.Load((double*)src + c) - Vector512.Load(shift + c);
            SimdOps.MulAdd(vw, z, Vector512.Load(sums + c)).Store(sums + c);
            (z * vs).Store((double*)d);
        }
        else
        {
            Vector512<float> v = Vector512.Load((float*)src + c);
            Vector512<double> lo = Vector512.WidenLower(v) - Vector512.Load(shift + c);
            Vector512<double> hi = Vector512.WidenUpper(v) - Vector512.Load(shift + c + 8);
            SimdOps.MulAdd(vw, lo, Vector512.Load(sums + c)).Store(sums + c);
            SimdOps.MulAdd(vw, hi, Vector512.Load(sums + c + 8)).Store(sums + c + 8);
            Vector512.Narrow(lo * vs, hi * vs).Store((float*)d);
        }
    }

    /// <summary>One vector of T at column c (see <see cref="Step512"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step256<T>(T* src, int c, double* shift, double* sums, Vector256<double> vw, Vector256<double> vs, T* d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            Vector256<double> z = Vector256.Load((double*)src + c) - Vector256.Load(shift + c);
            SimdOps.MulAdd(vw, z, Vector256.Load(sums + c)).Store(sums + c);
            (z * vs).Store((double*)d);
        }
        else
        {
            Vector256<float> v = Vector256.Load((float*)src + c);
            Vector256<double> lo = Vector256.WidenLower(v) - Vector256.Load(shift + c);
            Vector256<double> hi = Vector256.WidenUpper(v) - Vector256.Load(shift + c + 4);
            SimdOps.MulAdd(vw, lo, Vector256.Load(sums + c)).Store(sums + c);
            SimdOps.MulAdd(vw, hi, Vector256.Load(sums + c + 4)).Store(sums + c + 4);
            Vector256.Narrow(lo * vs, hi * vs).Store((float*)d);
        }
    }

    /// <summary>One vector of T at column c (see <see cref="Step512"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step128<T>(T* src, int c, double* shift, double* sums, Vector128<double> vw, Vector128<double> vs, T* d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            Vector128<double> z = Vector128.Load((double*)src + c) - Vector128.Load(shift + c);
            SimdOps.MulAdd(vw, z, Vector128.Load(sums + c)).Store(sums + c);
            (z * vs).Store((double*)d);
        }
        else
        {
            Vector128<float> v = Vector128.Load((float*)src + c);
            Vector128<double> lo = Vector128.WidenLower(v) - Vector128.Load(shift + c);
            Vector128<double> hi = Vector128.WidenUpper(v) - Vector128.Load(shift + c + 2);
            SimdOps.MulAdd(vw, lo, Vector128.Load(sums + c)).Store(sums + c);
            SimdOps.MulAdd(vw, hi, Vector128.Load(sums + c + 2)).Store(sums + c + 2);
            Vector128.Narrow(lo * vs, hi * vs).Store((float*)d);
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
