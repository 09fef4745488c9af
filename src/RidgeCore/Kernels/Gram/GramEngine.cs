using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using RidgeCore.Internal;

namespace RidgeCore.Kernels.Gram;

/// <summary>Where the engine found a value it cannot use: Argument 1 = X, 2 = Y; Row -1 means an overflow of the
/// weighted sums with every value finite.</summary>
internal readonly record struct GramFailure(int Argument, long Row, int Column)
{
    public bool Failed => Argument != 0;
}

/// <summary>
/// The portable blocking loops of the Gram engine (BLIS-style), written once around the per-family tile kernels.
/// </summary>
/// <remarks>
/// For each chunk of rows: (1) one pass computes the chunk's weight W_b and weighted column sums of [X | Y] (the
/// same pass detects NaN and ±∞, since w·x is non-finite whenever x is); (2) packing subtracts the chunk's own mean
/// and scales row i by √wᵢ, writing Z into NR-wide micro-panels, so centering costs no extra pass over X; (3) the
/// tile kernel runs over the lower triangle of ZᵀZ only; (4) the chunk joins the running totals by the Chan update.
/// In double the rank-one Chan term (W_t·W_b/W)·δδᵀ rides along as one extra packed row √(W_t·W_b/W)·δ, so it costs
/// one k step instead of a pass over C; in float the products are formed in float over up to
/// <see cref="GramBlocking.FloatMergeRows"/> rows and merged into the double totals with the correction in double.
/// </remarks>
internal static unsafe class GramEngine
{
    public static GramFailure Accumulate<T>(GramState target, MatrixView<T> x, MatrixView<T> y, ReadOnlySpan<T> w, bool centered, GramWorkspace<T> ws)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Tier.UseV512)
        {
            return Accumulate<T, GramTileV512<T>>(target, x, y, w, centered, ws);
        }

        if (Tier.UseV256)
        {
            return Accumulate<T, GramTileV256<T>>(target, x, y, w, centered, ws);
        }

        return Tier.UseV128
            ? Accumulate<T, GramTileV128<T>>(target, x, y, w, centered, ws)
            : Accumulate<T, GramTileScalar<T>>(target, x, y, w, centered, ws);
    }

    /// <summary>The micro-panel width of the active family for element type <typeparamref name="T"/>.</summary>
    public static int PanelWidth<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
        => Tier.UseV512 ? GramTileV512<T>.NR
        : Tier.UseV256 ? GramTileV256<T>.NR
        : Tier.UseV128 ? GramTileV128<T>.NR
        : GramTileScalar<T>.NR;

    private static GramFailure Accumulate<T, TKernel>(GramState target, MatrixView<T> x, MatrixView<T> y, ReadOnlySpan<T> w, bool centered, GramWorkspace<T> ws)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IGramTileKernel<T>
    {
        int n = x.Rows, p = x.Columns, t = y.Columns, q = p + t;
        bool isFloat = typeof(T) == typeof(float);
        int kcMax = ws.Blocking.KC;
        int chunk = isFloat ? ws.Blocking.FloatMergeRows : kcMax;
        double* sums = ws.Sums, mean = ws.ChunkMean, delta = ws.Delta;
        new Span<double>(mean, q).Clear();

        fixed (T* px0 = x.Data, py0 = y.Data, pw0 = w)
        {
            bool weighted = !w.IsEmpty;
            for (int r0 = 0; r0 < n; r0 += chunk)
            {
                int rows = Math.Min(chunk, n - r0);

                // (1) Weighted sums over the chunk, and the non-finite check.
                new Span<double>(sums, q).Clear();
                double wb = 0;
                for (int r = 0; r < rows; r++)
                {
                    double wr = weighted ? double.CreateTruncating(pw0[r0 + r]) : 1.0;
                    wb += wr;
                    RowKernels.AccumulateWeighted(px0 + ((long)(r0 + r) * x.RowStride), p, wr, sums);
                    RowKernels.AccumulateWeighted(py0 + ((long)(r0 + r) * y.RowStride), t, wr, sums + p);
                }

                for (int c = 0; c < q; c++)
                {
                    if (!double.IsFinite(sums[c]))
                    {
                        return Locate(x, y, r0, rows, c);
                    }
                }

                target.Rows += rows;
                if (wb == 0)
                {
                    continue;
                }

                double wt = target.Weight, wNew = wt + wb, f = 0;
                if (centered)
                {
                    f = wt * (wb / wNew);
                    for (int c = 0; c < q; c++)
                    {
                        mean[c] = sums[c] / wb;
                        delta[c] = mean[c] - target.Mean[c];
                    }
                }

                // (2)+(3) Pack KC rows at a time and run the tiles over the lower triangle.
                T* cTarget = isFloat ? ws.FloatProducts : (T*)target.C;
                if (isFloat)
                {
                    ws.ClearFloatProducts();
                }

                for (int s0 = 0; s0 < rows; s0 += kcMax)
                {
                    int kc = Math.Min(kcMax, rows - s0);
                    for (int k = 0; k < kc; k++)
                    {
                        int r = r0 + s0 + k;
                        double sw = weighted ? Math.Sqrt(double.CreateTruncating(pw0[r])) : 1.0;
                        PackRow(ws, k, px0 + ((long)r * x.RowStride), p, py0 + ((long)r * y.RowStride), t, mean, sw);
                    }

                    if (!isFloat && centered && f != 0 && s0 + kc >= rows)
                    {
                        // The Chan correction as one more row of Z: (√f·δ)(√f·δ)ᵀ = f·δδᵀ. δ = μ_b − μ_t is packed
                        // as a row "δ − 0" scaled by √f, through the same path as a data row.
                        PackRow(ws, kc, delta, p, delta + p, t, ws.Zeros, Math.Sqrt(f));
                        kc++;
                    }

                    MacroKernel<T, TKernel>(ws, kc, q, cTarget, q, subtract: false);
                }

                // (4) Float products join the double totals, with the Chan term formed in double.
                if (isFloat)
                {
                    MergeFloatProducts((float*)ws.FloatProducts, target.C, q, centered ? f : 0, delta);
                }

                if (centered)
                {
                    double share = wb / wNew;
                    for (int c = 0; c < q; c++)
                    {
                        target.Mean[c] += delta[c] * share;
                    }
                }

                target.Weight = wNew;
            }
        }

        return default;
    }

    /// <summary>
    /// Writes row k of Z = √w·([x | y] − μ) into the micro-panels. Micro-panels that lie wholly inside x are written
    /// straight from x; the last ones, where x meets y and the zero padding, go through the staging row (whose tail
    /// beyond the q − c₀ staged values is never written, so it stays zero).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PackRow<T, TSrc>(GramWorkspace<T> ws, int k, TSrc* xRow, int p, TSrc* yRow, int t, double* mean, double sw)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSrc : unmanaged, IFloatingPointIeee754<TSrc>
    {
        int nr = ws.NR;
        long stride = ws.PanelStride;
        T* dst = ws.Pack + ((long)k * nr);
        int direct = p / nr;
        for (int jb = 0; jb < direct; jb++)
        {
            RowKernels.CenterScale(xRow + (jb * nr), nr, mean + (jb * nr), sw, dst + (jb * stride));
        }

        int c0 = direct * nr;
        T* staging = ws.Row;
        RowKernels.CenterScale(xRow + c0, p - c0, mean + c0, sw, staging);
        RowKernels.CenterScale(yRow, t, mean + p, sw, staging + (p - c0));
        for (int jb = direct; jb < ws.Panels; jb++)
        {
            Buffer.MemoryCopy(staging + ((jb - direct) * nr), dst + (jb * stride), nr * sizeof(T), nr * sizeof(T));
        }
    }

    /// <summary>
    /// lower(C) ±= L·Lᵀ for an m × k row-major L: the symmetric rank-k update (BLAS syrk, lower, no transpose) on the
    /// Gram tile kernels. Cholesky's trailing update A₂₂ −= L₂₁L₂₁ᵀ is this with <paramref name="subtract"/> set.
    /// L is packed k columns at a time (Z = Lᵀ, KC rows per pass) into the workspace, which must have been created
    /// for at least m columns (<see cref="GramWorkspace{T}.Q"/> ≥ m). Only the lower triangle of C is read or written.
    /// </summary>
    public static void LowerRankKUpdate<T>(T* c, nint ldc, int m, T* l, nint ldl, int k, bool subtract, GramWorkspace<T> ws)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Tier.UseV512)
        {
            LowerRankKUpdate<T, GramTileV512<T>>(c, ldc, m, l, ldl, k, subtract, ws);
        }
        else if (Tier.UseV256)
        {
            LowerRankKUpdate<T, GramTileV256<T>>(c, ldc, m, l, ldl, k, subtract, ws);
        }
        else if (Tier.UseV128)
        {
            LowerRankKUpdate<T, GramTileV128<T>>(c, ldc, m, l, ldl, k, subtract, ws);
        }
        else
        {
            LowerRankKUpdate<T, GramTileScalar<T>>(c, ldc, m, l, ldl, k, subtract, ws);
        }
    }

    private static void LowerRankKUpdate<T, TKernel>(T* c, nint ldc, int m, T* l, nint ldl, int k, bool subtract, GramWorkspace<T> ws)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IGramTileKernel<T>
    {
        if (m > ws.Q)
        {
            throw new InvalidOperationException($"Workspace sized for {ws.Q} columns cannot update {m}.");
        }

        int nr = TKernel.NR;
        int panels = (m + nr - 1) / nr;
        long stride = ws.PanelStride;
        for (int k0 = 0; k0 < k; k0 += ws.Blocking.KC)
        {
            int kc = Math.Min(ws.Blocking.KC, k - k0);

            // Z[kk, col] = L[col, k0 + kk], written panel by panel; columns past m are zero.
            for (int jb = 0; jb < panels; jb++)
            {
                T* dst = ws.Pack + (jb * stride);
                for (int cc = 0; cc < nr; cc++)
                {
                    int col = (jb * nr) + cc;
                    if (col < m)
                    {
                        T* src = l + (col * ldl) + k0;
                        for (int kk = 0; kk < kc; kk++)
                        {
                            dst[(kk * nr) + cc] = src[kk];
                        }
                    }
                    else
                    {
                        for (int kk = 0; kk < kc; kk++)
                        {
                            dst[(kk * nr) + cc] = T.Zero;
                        }
                    }
                }
            }

            MacroKernel<T, TKernel>(ws, kc, m, c, ldc, subtract);
        }
    }

    /// <summary>C ±= ZᵀZ on the lower triangle of the leading q × q block, for the kc packed rows of Z in the workspace.</summary>
    private static void MacroKernel<T, TKernel>(GramWorkspace<T> ws, int kc, int q, T* c, nint ldc, bool subtract)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IGramTileKernel<T>
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        int mc = ws.Blocking.MC / mr * mr;
        nint* a = stackalloc nint[16];
        T* tile = stackalloc T[8 * 64];
        T* pack = ws.Pack;
        long stride = ws.PanelStride;
        for (int ic = 0; ic < q; ic += mc)
        {
            int iEnd = Math.Min(ic + mc, q);
            int jbEnd = Math.Min(ws.Panels, (iEnd + nr - 1) / nr);
            for (int jb = 0; jb < jbEnd; jb++)
            {
                int j0 = jb * nr;
                T* b = pack + (jb * stride);

                // Skip the tiles strictly above the diagonal: the first useful row tile has i0 + MR - 1 >= j0.
                int first = ic;
                if (first + mr - 1 < j0)
                {
                    first += (j0 - mr + 1 - ic + mr - 1) / mr * mr;
                }

                for (int i0 = first; i0 < iEnd; i0 += mr)
                {
                    // Kernels whose MR divides NR (the AVX-512 tile) read row r at a[0] + r; the others use a[r], and
                    // rows past q point at the all-zero micro-panel.
                    for (int r = 0; r < mr; r++)
                    {
                        int i = i0 + r;
                        a[r] = i < q ? (nint)(pack + ((i / nr) * stride) + (i % nr)) : (nint)ws.ZeroPanel;
                    }

                    if (i0 >= j0 + nr - 1 && i0 + mr <= q && j0 + nr <= q)
                    {
                        TKernel.Run(kc, (T**)a, b, c + (i0 * ldc) + j0, ldc, subtract);
                        continue;
                    }

                    // A tile that crosses the diagonal or the edge: compute it into a temporary, add the lower part. A
                    // tile with at most MR/2 real rows (the last one, when q is just past a multiple of MR) runs the
                    // edge kernel on its real rows only.
                    new Span<T>(tile, mr * nr).Clear();
                    int rEnd = Math.Min(mr, q - i0);
                    if (2 * rEnd <= mr)
                    {
                        TKernel.RunPartial(kc, rEnd, (T**)a, b, tile, nr);
                    }
                    else
                    {
                        TKernel.Run(kc, (T**)a, b, tile, nr, subtract: false);
                    }

                    for (int r = 0; r < rEnd; r++)
                    {
                        int i = i0 + r;
                        int cEnd = Math.Min(Math.Min(nr, q - j0), i - j0 + 1);
                        T* dst = c + (i * ldc) + j0;
                        for (int cc = 0; cc < cEnd; cc++)
                        {
                            dst[cc] = subtract ? dst[cc] - tile[(r * nr) + cc] : dst[cc] + tile[(r * nr) + cc];
                        }
                    }
                }
            }
        }
    }

    private static void MergeFloatProducts(float* products, double* c, int q, double f, double* delta)
    {
        // C[i, 0..i] += (double)P[i, 0..i] + (f·δᵢ)·δ[0..i]: widened and fused eight at a time.
        for (int i = 0; i < q; i++)
        {
            double fdi = f * delta[i];
            float* src = products + ((long)i * q);
            double* dst = c + ((long)i * q);
            int j = 0;
            if (Vector256.IsHardwareAccelerated && Tier.Family >= KernelFamily.Vector256)
            {
                Vector256<double> vf = Vector256.Create(fdi);
                for (; j + 8 <= i + 1; j += 8)
                {
                    Vector256<float> v = Vector256.Load(src + j);
                    Vector256<double> lo = Vector256.WidenLower(v);
                    Vector256<double> hi = Vector256.WidenUpper(v);
                    (Vector256.Load(dst + j) + SimdOps.MulAdd(vf, Vector256.Load(delta + j), lo)).Store(dst + j);
                    (Vector256.Load(dst + j + 4) + SimdOps.MulAdd(vf, Vector256.Load(delta + j + 4), hi)).Store(dst + j + 4);
                }
            }

            for (; j <= i; j++)
            {
                dst[j] += src[j] + (fdi * delta[j]);
            }
        }
    }

    private static GramFailure Locate<T>(MatrixView<T> x, MatrixView<T> y, int r0, int rows, int sumColumn)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = r0; r < r0 + rows; r++)
        {
            ReadOnlySpan<T> xr = x.Row(r);
            for (int c = 0; c < xr.Length; c++)
            {
                if (!T.IsFinite(xr[c]))
                {
                    return new GramFailure(1, r, c);
                }
            }

            ReadOnlySpan<T> yr = y.Row(r);
            for (int c = 0; c < yr.Length; c++)
            {
                if (!T.IsFinite(yr[c]))
                {
                    return new GramFailure(2, r, c);
                }
            }
        }

        return sumColumn < x.Columns ? new GramFailure(1, -1, sumColumn) : new GramFailure(2, -1, sumColumn - x.Columns);
    }
}
