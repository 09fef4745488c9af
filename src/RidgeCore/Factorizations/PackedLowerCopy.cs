using System;
using System.Runtime.Intrinsics.X86;
using RidgeCore.Kernels.Cholesky;

namespace RidgeCore.Factorizations;

/// <summary>What <see cref="PackedLowerCopy.CopyIn"/> found: the 1-norm of A + D, or the first entry that is not finite.</summary>
internal readonly record struct CopyInResult(double NormOne, int BadRow, int BadColumn)
{
    public bool Failed => BadRow >= 0;
}

/// <summary>Moves a row-major lower triangle into <see cref="PackedLowerLayout"/> storage and back.</summary>
internal static unsafe class PackedLowerCopy
{
    /// <summary>
    /// Copies lower(A), optionally scaled to S·A·S (<paramref name="scale"/> not null), into packed storage, and zeroes
    /// every scratch entry. The same pass checks that every lower entry is finite and sums |A + D| by columns into
    /// <paramref name="columnSums"/> (p values), giving ‖A + D‖₁ of the unscaled input: column j of the symmetric
    /// matrix is row j left of the diagonal, the diagonal plus its load, and column j below the diagonal.
    /// </summary>
    /// <remarks>The load given here is the caller's, unscaled: it enters only the norm (the factorization adds its
    /// own, possibly scaled, copy at each pivot).</remarks>
    /// <returns>The norm, or the first non-finite entry in row-major order (rows top to bottom).</returns>
    public static CopyInResult CopyIn(MatrixView<double> a, double* z, PackedLowerLayout layout, double* scale, double* load, double scalarLoad, double* columnSums)
    {
        int p = layout.Order, nr = layout.NR;
        int stride = a.RowStride;
        new Span<double>(columnSums, p).Clear();
        double* rowSums = stackalloc double[nr];
        fixed (double* pa = a.Data)
        {
            for (int panel = 0; panel < layout.Panels; panel++)
            {
                int i0 = panel * nr;
                double* zp = z + layout.PanelOffset(panel);
                int packedRows = layout.PanelRows(panel);

                // Left of the diagonal block every lane is a row of the matrix and every entry is below the diagonal.
                int left = 0;
                if (i0 + nr <= p && nr == 16 && Tier.UseV512 && Avx512F.IsSupported)
                {
                    PackedCopyTransposeX86.CopyPanelLeftV512(pa + ((nint)i0 * stride), stride, i0, zp, columnSums, scale, rowSums);
                    left = i0;
                }
                else if (i0 + nr <= p && nr == 8 && Tier.UseV256 && Avx.IsSupported)
                {
                    PackedCopyTransposeX86.CopyPanelLeftV256(pa + ((nint)i0 * stride), stride, i0, zp, columnSums, scale, rowSums);
                    left = i0;
                }
                else
                {
                    new Span<double>(rowSums, nr).Clear();
                }

                // The diagonal block and the padding rows below it (packed rows i0 onward) are contiguous: clear them
                // at once, then write the lower entries (lane by lane, strided zero stores cost ~10 % of a p = 128 copy).
                new Span<double>(zp + ((nint)i0 * nr), (packedRows - i0) * nr).Clear();
                for (int c = 0; c < nr; c++)
                {
                    int i = i0 + c;
                    double* dst = zp + c;
                    if (i >= p)
                    {
                        for (int k = 0; k < i0; k++)
                        {
                            dst[(nint)k * nr] = 0;
                        }

                        continue;
                    }

                    double* src = pa + ((nint)i * stride);
                    double rowSum = rowSums[c];
                    double si = scale == null ? 1.0 : scale[i];
                    for (int k = left; k < i; k++)
                    {
                        // Powers of two: every scaled product is exact, so S·A·S carries no rounding of its own.
                        double v = src[k];
                        double av = Math.Abs(v);
                        rowSum += av;
                        columnSums[k] += av;
                        dst[(nint)k * nr] = scale == null ? v : v * si * scale[k];
                    }

                    dst[(nint)i * nr] = src[i] * si * si;
                    double dii = load != null ? load[i] : scalarLoad;
                    rowSum += Math.Abs(src[i] + dii);
                    if (!double.IsFinite(rowSum))
                    {
                        for (int k = 0; k <= i; k++)
                        {
                            if (!double.IsFinite(src[k]))
                            {
                                return new CopyInResult(double.NaN, i, k);
                            }
                        }

                        // Every entry is finite and the sum overflowed: the norm is +∞, the factorization decides.
                    }

                    columnSums[i] += rowSum;
                }
            }
        }

        double norm = 0;
        for (int j = 0; j < p; j++)
        {
            norm = Math.Max(norm, columnSums[j]);
        }

        return new CopyInResult(norm, -1, -1);
    }

    /// <summary>Writes L = S⁻¹·L̃ (S = I when <paramref name="scale"/> is null) row-major into a p × p destination,
    /// zeros above the diagonal.</summary>
    public static void CopyOut(double* z, PackedLowerLayout layout, double* scale, Span<double> destination)
    {
        int p = layout.Order, nr = layout.NR;
        for (int i = 0; i < p; i++)
        {
            Span<double> row = destination.Slice(i * p, p);
            double inv = scale == null ? 1.0 : 1.0 / scale[i];

            // Row i lives in one micro-panel at lane i % NR, its entries NR apart (IndexOf, hoisted out of the loop:
            // per entry it costs an integer division).
            double* src = z + layout.IndexOf(i, 0);
            for (int k = 0; k <= i; k++)
            {
                row[k] = src[(nint)k * nr] * inv;
            }

            row[(i + 1)..].Clear();
        }
    }
}
