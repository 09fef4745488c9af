using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RidgeCore.Kernels.Cholesky;

/// <summary>
/// The vector body of the copy into packed lower storage on x86: the part of a micro-panel left of its diagonal block,
/// moved as 8 × 8 (AVX-512, NR = 16) or 4 × 4 (AVX2, NR = 8) transposes, with |a| summed along the way by columns (into
/// the caller's column sums) and by rows (returned). A scalar copy costs about 1.3 ns per element because each store
/// lands NR elements from the last; at p = 128 it took as long as the factorization itself.
/// </summary>
/// <remarks>
/// Both sums are formed from the unscaled values (they make ‖A + D‖₁ of the caller's matrix); the packed values are
/// scaled after the transpose when equilibrating. The order of every sum depends only on the indices, not on alignment.
/// </remarks>
internal static unsafe class PackedCopyTransposeX86
{
    /// <summary>Copies rows i0 … i0 + 15, columns 0 … i0 − 1 (i0 a multiple of 16) into one AVX-512 micro-panel.</summary>
    /// <param name="src">Row i0, column 0 of the source.</param>
    /// <param name="stride">The source row stride.</param>
    /// <param name="i0">The first row of the micro-panel.</param>
    /// <param name="dst">The micro-panel.</param>
    /// <param name="columnSums">Σ|a| by column, updated for columns 0 … i0 − 1.</param>
    /// <param name="scale">Equilibration scales, or null.</param>
    /// <param name="rowSums">Receives Σ|a| over the copied part of each of the 16 rows.</param>
    public static void CopyPanelLeftV512(double* src, nint stride, int i0, double* dst, double* columnSums, double* scale, double* rowSums)
    {
        for (int h = 0; h < 2; h++)
        {
            double* s = src + (8 * h * stride);
            double* d = dst + (8 * h);
            Vector512<double> rowAbs = Vector512<double>.Zero;
            Vector512<double> rowScale = scale == null ? Vector512<double>.One : Vector512.Load(scale + i0 + (8 * h));
            for (nint k0 = 0; k0 < i0; k0 += 8)
            {
                Vector512<double> r0 = Vector512.Load(s + k0), r1 = Vector512.Load(s + stride + k0);
                Vector512<double> r2 = Vector512.Load(s + (2 * stride) + k0), r3 = Vector512.Load(s + (3 * stride) + k0);
                Vector512<double> r4 = Vector512.Load(s + (4 * stride) + k0), r5 = Vector512.Load(s + (5 * stride) + k0);
                Vector512<double> r6 = Vector512.Load(s + (6 * stride) + k0), r7 = Vector512.Load(s + (7 * stride) + k0);
                Vector512<double> colAbs = ((Vector512.Abs(r0) + Vector512.Abs(r1)) + (Vector512.Abs(r2) + Vector512.Abs(r3)))
                    + ((Vector512.Abs(r4) + Vector512.Abs(r5)) + (Vector512.Abs(r6) + Vector512.Abs(r7)));
                (Vector512.Load(columnSums + k0) + colAbs).Store(columnSums + k0);

                Transpose8x8(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
                rowAbs += ((Vector512.Abs(r0) + Vector512.Abs(r1)) + (Vector512.Abs(r2) + Vector512.Abs(r3)))
                    + ((Vector512.Abs(r4) + Vector512.Abs(r5)) + (Vector512.Abs(r6) + Vector512.Abs(r7)));
                if (scale != null)
                {
                    r0 *= rowScale * scale[k0];
                    r1 *= rowScale * scale[k0 + 1];
                    r2 *= rowScale * scale[k0 + 2];
                    r3 *= rowScale * scale[k0 + 3];
                    r4 *= rowScale * scale[k0 + 4];
                    r5 *= rowScale * scale[k0 + 5];
                    r6 *= rowScale * scale[k0 + 6];
                    r7 *= rowScale * scale[k0 + 7];
                }

                double* o = d + (k0 * 16);
                r0.Store(o);
                r1.Store(o + 16);
                r2.Store(o + 32);
                r3.Store(o + 48);
                r4.Store(o + 64);
                r5.Store(o + 80);
                r6.Store(o + 96);
                r7.Store(o + 112);
            }

            rowAbs.Store(rowSums + (8 * h));
        }
    }

    /// <summary>Copies rows i0 … i0 + 7, columns 0 … i0 − 1 (i0 a multiple of 8) into one AVX2 micro-panel.</summary>
    /// <param name="src">Row i0, column 0 of the source.</param>
    /// <param name="stride">The source row stride.</param>
    /// <param name="i0">The first row of the micro-panel.</param>
    /// <param name="dst">The micro-panel.</param>
    /// <param name="columnSums">Σ|a| by column, updated for columns 0 … i0 − 1.</param>
    /// <param name="scale">Equilibration scales, or null.</param>
    /// <param name="rowSums">Receives Σ|a| over the copied part of each of the 8 rows.</param>
    public static void CopyPanelLeftV256(double* src, nint stride, int i0, double* dst, double* columnSums, double* scale, double* rowSums)
    {
        for (int h = 0; h < 2; h++)
        {
            double* s = src + (4 * h * stride);
            double* d = dst + (4 * h);
            Vector256<double> rowAbs = Vector256<double>.Zero;
            Vector256<double> rowScale = scale == null ? Vector256<double>.One : Vector256.Load(scale + i0 + (4 * h));
            for (nint k0 = 0; k0 < i0; k0 += 4)
            {
                Vector256<double> r0 = Vector256.Load(s + k0), r1 = Vector256.Load(s + stride + k0);
                Vector256<double> r2 = Vector256.Load(s + (2 * stride) + k0), r3 = Vector256.Load(s + (3 * stride) + k0);
                Vector256<double> colAbs = (Vector256.Abs(r0) + Vector256.Abs(r1)) + (Vector256.Abs(r2) + Vector256.Abs(r3));
                (Vector256.Load(columnSums + k0) + colAbs).Store(columnSums + k0);

                Vector256<double> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
                Vector256<double> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
                r0 = Avx.Permute2x128(t0, t2, 0x20);
                r1 = Avx.Permute2x128(t1, t3, 0x20);
                r2 = Avx.Permute2x128(t0, t2, 0x31);
                r3 = Avx.Permute2x128(t1, t3, 0x31);
                rowAbs += (Vector256.Abs(r0) + Vector256.Abs(r1)) + (Vector256.Abs(r2) + Vector256.Abs(r3));
                if (scale != null)
                {
                    r0 *= rowScale * scale[k0];
                    r1 *= rowScale * scale[k0 + 1];
                    r2 *= rowScale * scale[k0 + 2];
                    r3 *= rowScale * scale[k0 + 3];
                }

                double* o = d + (k0 * 8);
                r0.Store(o);
                r1.Store(o + 8);
                r2.Store(o + 16);
                r3.Store(o + 24);
            }

            rowAbs.Store(rowSums + (4 * h));
        }
    }

    // Three rounds of two-source permutes: pairs of rows interleaved, then pairs of pairs, then the two halves.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(
        ref Vector512<double> r0, ref Vector512<double> r1, ref Vector512<double> r2, ref Vector512<double> r3,
        ref Vector512<double> r4, ref Vector512<double> r5, ref Vector512<double> r6, ref Vector512<double> r7)
    {
        Vector512<double> a0 = Avx512F.UnpackLow(r0, r1), a1 = Avx512F.UnpackHigh(r0, r1);
        Vector512<double> a2 = Avx512F.UnpackLow(r2, r3), a3 = Avx512F.UnpackHigh(r2, r3);
        Vector512<double> a4 = Avx512F.UnpackLow(r4, r5), a5 = Avx512F.UnpackHigh(r4, r5);
        Vector512<double> a6 = Avx512F.UnpackLow(r6, r7), a7 = Avx512F.UnpackHigh(r6, r7);

        Vector512<long> even = Vector512.Create(0L, 1, 8, 9, 4, 5, 12, 13);
        Vector512<long> odd = Vector512.Create(2L, 3, 10, 11, 6, 7, 14, 15);
        Vector512<double> b0 = Avx512F.PermuteVar8x64x2(a0, even, a2), b2 = Avx512F.PermuteVar8x64x2(a0, odd, a2);
        Vector512<double> b1 = Avx512F.PermuteVar8x64x2(a1, even, a3), b3 = Avx512F.PermuteVar8x64x2(a1, odd, a3);
        Vector512<double> b4 = Avx512F.PermuteVar8x64x2(a4, even, a6), b6 = Avx512F.PermuteVar8x64x2(a4, odd, a6);
        Vector512<double> b5 = Avx512F.PermuteVar8x64x2(a5, even, a7), b7 = Avx512F.PermuteVar8x64x2(a5, odd, a7);

        Vector512<long> low = Vector512.Create(0L, 1, 2, 3, 8, 9, 10, 11);
        Vector512<long> high = Vector512.Create(4L, 5, 6, 7, 12, 13, 14, 15);
        r0 = Avx512F.PermuteVar8x64x2(b0, low, b4);
        r4 = Avx512F.PermuteVar8x64x2(b0, high, b4);
        r1 = Avx512F.PermuteVar8x64x2(b1, low, b5);
        r5 = Avx512F.PermuteVar8x64x2(b1, high, b5);
        r2 = Avx512F.PermuteVar8x64x2(b2, low, b6);
        r6 = Avx512F.PermuteVar8x64x2(b2, high, b6);
        r3 = Avx512F.PermuteVar8x64x2(b3, low, b7);
        r7 = Avx512F.PermuteVar8x64x2(b3, high, b7);
    }
}
