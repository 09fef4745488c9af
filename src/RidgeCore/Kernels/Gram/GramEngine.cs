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
/// For each chunk of rows (KC in double, <see cref="GramBlocking.FloatMergeRows"/> in float): (1) packing writes
/// zᵢ = √wᵢ·(vᵢ − s) into NR-wide micro-panels and, in the same sweep, sums wᵢ·(vᵢ − s), so X is read once; (2) the
/// tile kernel runs over the lower triangle of ZᵀZ only; (3) the chunk joins the running totals. The shift s is the
/// running mean μ_t when the accumulator already holds weight; the first chunk of an accumulator (or of a stripe)
/// centers on its own mean instead: that of its first KC rows, found by one extra sweep over them, starting from a
/// local mean of its first rows (<see cref="GramPacking.LocalShift"/>). With m = Σwᵢ(vᵢ − s)/W_b the chunk's offset from s, the exact
/// update is
/// <code>C ← C + ZᵀZ − (W_b²/W)·m·mᵀ,   μ ← s + (W_b/W)·m,   W = W_t + W_b</code>
/// (for s = μ_t this is Chan's pairwise update rewritten; for the first chunk W = W_b and m is only rounding in double,
/// and small against the spread in float, whose chunks are longer than one slab). The
/// subtraction costs little accuracy: ZᵀZ/W_b = Σ_b + m·mᵀ while the downdate removes only the (W_b/W)·m·mᵀ share
/// of it, so the relative error grows by at most W/W_t ≤ 2 (the second chunk) and tends to 1. A column that is
/// constant centers to exact zeros (the local mean of identical values is that value), so its co-moments are exactly
/// zero. In double the downdates of up to <see cref="GramWorkspace{T}.MaxPendingDowndates"/> chunks are packed as
/// rows √g·m and applied by one subtracting macro-kernel pass; in float they are applied in double while the chunk's
/// float products are merged into the double totals.
/// </remarks>
internal static unsafe class GramEngine
{
    /// <summary>Adds the rows of [X | Y] (weights w, or unit weights when empty) to <paramref name="target"/>; the
    /// failure names the first non-finite value found, and then the target may hold part of the rows (the caller
    /// restores it).</summary>
    /// <param name="target">The running statistics.</param>
    /// <param name="x">The features.</param>
    /// <param name="y">The targets.</param>
    /// <param name="w">The weights, or empty.</param>
    /// <param name="centered">Center (shift by the running mean) or accumulate raw products.</param>
    /// <param name="ws">The workspace of the active family.</param>
    /// <param name="upcoming">Rows the caller will add next (may be empty): requested into L2 while the last slab of
    /// these rows is multiplied, whatever the batch size.</param>
    /// <returns>Where a non-finite value was found, or no failure.</returns>
    public static GramFailure Accumulate<T>(GramState target, MatrixView<T> x, MatrixView<T> y, ReadOnlySpan<T> w, bool centered, GramWorkspace<T> ws, MatrixView<T> upcoming = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Tier.UseV512)
        {
            return Accumulate<T, GramTileV512<T>>(target, x, y, w, centered, ws, upcoming);
        }

        if (Tier.UseV256)
        {
            return Accumulate<T, GramTileV256<T>>(target, x, y, w, centered, ws, upcoming);
        }

        return Tier.UseV128
            ? Accumulate<T, GramTileV128<T>>(target, x, y, w, centered, ws, upcoming)
            : Accumulate<T, GramTileScalar<T>>(target, x, y, w, centered, ws, upcoming);
    }

    /// <summary>The micro-panel width of the active family for element type <typeparamref name="T"/>.</summary>
    public static int PanelWidth<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
        => Tier.UseV512 ? GramTileV512<T>.NR
        : Tier.UseV256 ? GramTileV256<T>.NR
        : Tier.UseV128 ? GramTileV128<T>.NR
        : GramTileScalar<T>.NR;

    private static GramFailure Accumulate<T, TKernel>(GramState target, MatrixView<T> x, MatrixView<T> y, ReadOnlySpan<T> w, bool centered, GramWorkspace<T> ws, MatrixView<T> upcoming)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IGramTileKernel<T>
    {
        int n = x.Rows, p = x.Columns, t = y.Columns, q = p + t;
        bool isFloat = typeof(T) == typeof(float);
        int kcMax = ws.Blocking.KC;
        int chunk = isFloat ? ws.Blocking.FloatMergeRows : kcMax;
        double* sums = ws.Sums, shift = ws.Shift, offset = ws.Offset;
        int pending = 0;
        if (!centered)
        {
            ws.ClearShift();
        }

        fixed (T* px0 = x.Data, py0 = y.Data, pw0 = w, pu0 = upcoming.Data)
        {
            bool weighted = !w.IsEmpty;
            // A caller that names the upcoming rows streams its batches from memory, so their later slabs are prefetched
            // too, however short the batch.
            bool prefetchUpcoming = Prefetches(ws.PaddedQ, ws.Blocking.KC, upcoming.Rows, p, upcoming.RowStride, sizeof(T), hinted: true);
            bool prefetch = Prefetches(ws.PaddedQ, ws.Blocking.KC, n, p, x.RowStride, sizeof(T), hinted: prefetchUpcoming);
            for (int r0 = 0; r0 < n; r0 += chunk)
            {
                int rows = Math.Min(chunk, n - r0);
                T* xc = px0 + ((long)r0 * x.RowStride), yc = py0 + ((long)r0 * y.RowStride);
                T* wc = weighted ? pw0 + r0 : null;
                if (centered)
                {
                    if (target.Weight > 0)
                    {
                        new Span<double>(target.Mean, q).CopyTo(new Span<double>(shift, q));
                    }
                    else
                    {
                        // The first chunk of an accumulator centers on its own mean, near enough: a local mean of its
                        // first rows, refined by one extra sweep over the chunk's first slab (KC rows; a float chunk
                        // is eight slabs, and sweeping all of them cost ~5 % of a float Add over eight stripes). The
                        // chunk's remaining offset m from that shift is small against its spread and is removed
                        // exactly by the downdate, so the float products lose nothing to cancellation. Later chunks
                        // shift by the running mean instead.
                        GramPacking.LocalShift(ws, xc, x.RowStride, p, yc, y.RowStride, t, rows, wc);
                        new Span<double>(sums, ws.PaddedQ).Clear();
                        int first = Math.Min(kcMax, rows);
                        double w0 = SumSlab(ws, x, y, xc, yc, wc, 0, first);
                        int bad = FirstNonFinite(sums, q);
                        if (bad >= 0)
                        {
                            return Locate(x, y, r0, first, bad);
                        }

                        if (w0 > 0)
                        {
                            for (int c = 0; c < q; c++)
                            {
                                shift[c] += sums[c] / w0;
                            }
                        }
                    }
                }

                new Span<double>(sums, ws.PaddedQ).Clear();
                double wb = 0;
                T* cTarget = isFloat ? ws.FloatProducts : (T*)target.C;
                if (isFloat)
                {
                    ws.ClearFloatProducts();
                }

                for (int s0 = 0; s0 < rows; s0 += kcMax)
                {
                    int kc = Math.Min(kcMax, rows - s0);
                    wb += PackSlab(ws, x, y, xc, yc, wc, s0, kc);

                    // A NaN or ±∞ anywhere in these rows makes its column's sum non-finite (w·(v − s) is, even for
                    // w = 0), so one check per column finds it before anything reaches the totals.
                    int bad = FirstNonFinite(sums, q);
                    if (bad >= 0)
                    {
                        return Locate(x, y, r0, s0 + kc, bad);
                    }

                    // While the tiles run, the rows of the next slab are requested into L2, so the packing sweep that
                    // follows reads cache instead of waiting on DRAM.
                    long nextRow = (long)r0 + s0 + kc;
                    int nextRows = (int)Math.Min(kcMax, n - nextRow);
                    long steps = (long)TileCount(q, TKernel.MR, TKernel.NR, ws.Blocking.MC, DiagonalTiles<T, TKernel>(upperIsScratch: true)) * kc;
                    Prefetcher next = nextRows > 0 && prefetch
                        ? new Prefetcher((byte*)(px0 + (nextRow * x.RowStride)), (((nextRows - 1) * x.RowStride) + p) * sizeof(T), steps)
                        : nextRows <= 0 && prefetchUpcoming
                        ? new Prefetcher((byte*)pu0, (((Math.Min(kcMax, upcoming.Rows) - 1) * upcoming.RowStride) + p) * sizeof(T), steps)
                        : default;
                    MacroKernel<T, TKernel>(ws, ws.Pack, ws.PanelStride, kc, q, cTarget, q, subtract: false, upperIsScratch: true, next);
                }

                target.Rows += rows;
                if (wb == 0)
                {
                    continue;
                }

                double wt = target.Weight, wNew = wt + wb, share = wb / wNew;
                if (centered)
                {
                    for (int c = 0; c < q; c++)
                    {
                        offset[c] = sums[c] / wb;
                        target.Mean[c] = shift[c] + (offset[c] * share);
                    }
                }

                // The downdate (W_b²/W)·m·mᵀ, as the row √g·m (g = W_b·share).
                double root = centered ? Math.Sqrt(wb * share) : 0;
                if (isFloat)
                {
                    MergeFloatProducts((float*)ws.FloatProducts, target.C, q, root, offset);
                }
                else if (centered)
                {
                    AddDowndateRow(ws, pending, offset, root, q);
                    if (++pending == GramWorkspace<T>.MaxPendingDowndates)
                    {
                        MacroKernel<T, TKernel>(ws, ws.Downdates, ws.DowndateStride, pending, q, (T*)target.C, q, subtract: true, upperIsScratch: true);
                        pending = 0;
                    }
                }

                target.Weight = wNew;
            }
        }

        if (pending > 0)
        {
            MacroKernel<T, TKernel>(ws, ws.Downdates, ws.DowndateStride, pending, q, (T*)target.C, q, subtract: true, upperIsScratch: true);
        }

        return default;
    }

    /// <summary>Sums rows s0..s0+kc of the chunk (no packing) and returns their weight sum.</summary>
    private static double SumSlab<T>(GramWorkspace<T> ws, MatrixView<T> x, MatrixView<T> y, T* xc, T* yc, T* wc, int s0, int kc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double wb = PrepareWeights(ws, wc, s0, kc);
        GramPacking.SumRows(ws, xc + ((long)s0 * x.RowStride), x.RowStride, x.Columns, yc + ((long)s0 * y.RowStride), y.RowStride, y.Columns, kc, wc is not null);
        return wb;
    }

    /// <summary>wᵢ and √wᵢ of rows s0..s0+kc into the workspace; returns their sum (kc when unweighted).</summary>
    private static double PrepareWeights<T>(GramWorkspace<T> ws, T* wc, int s0, int kc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (wc is null)
        {
            return kc;
        }

        double wb = 0;
        double* rowW = ws.RowWeights, rowSw = ws.RowScales;
        for (int k = 0; k < kc; k++)
        {
            double wr = double.CreateTruncating(wc[s0 + k]);
            wb += wr;
            rowW[k] = wr;
            rowSw[k] = Math.Sqrt(wr);
        }

        return wb;
    }

    /// <summary>Packs rows s0..s0+kc of the chunk (sums accumulate in the workspace) and returns their weight sum.</summary>
    private static double PackSlab<T>(GramWorkspace<T> ws, MatrixView<T> x, MatrixView<T> y, T* xc, T* yc, T* wc, int s0, int kc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double wb = PrepareWeights(ws, wc, s0, kc);
        GramPacking.PackRows(ws, xc + ((long)s0 * x.RowStride), x.RowStride, x.Columns, yc + ((long)s0 * y.RowStride), y.RowStride, y.Columns, kc, wc is not null);
        return wb;
    }

    /// <summary>Whether prefetching the next slab pays: measured on Zen 5 (1 MiB L2) with the prefetches spread over the
    /// tiles, in one process against no prefetch, it made the Add 7–10 % faster at p = 64 and 128 (packed panel 160 /
    /// 290 KiB + slab 128 / 256 KiB), 1–2 % at p = 256 and 512 (1.1 / 2.1 MiB in all) and 2 % slower at p = 1024 (4.2 MiB,
    /// where the prefetched rows evict panel lines the tiles still read). The rows are requested as one contiguous range
    /// (see the caller), so only rows less than a cache line apart are prefetched.</summary>
    /// <param name="paddedQ">Packed columns (the workspace's <see cref="GramWorkspace{T}.PaddedQ"/>).</param>
    /// <param name="kc">Rows per slab.</param>
    /// <param name="rows">Rows of the batch (or of the upcoming rows).</param>
    /// <param name="p">Columns of X.</param>
    /// <param name="rowStride">Row stride of X, in elements.</param>
    /// <param name="elementSize">Bytes per element.</param>
    /// <param name="hinted">Rows a caller said it adds next (<c>upcoming</c>): prefetched whatever their number.</param>
    /// <returns>Whether the engine requests those rows ahead.</returns>
    internal static bool Prefetches(int paddedQ, int kc, long rows, int p, nint rowStride, int elementSize, bool hinted)
        => rows > 0
        && ((long)paddedQ * kc * elementSize) + ((long)kc * p * elementSize) <= PrefetchBudgetBytes
        && (hinted || rows * p * elementSize > PrefetchMinimumBytes)
        && (rowStride - p) * elementSize < 64;

    private const long PrefetchBudgetBytes = 3L * 1024 * 1024;

    /// <summary>Batches of X up to this size are not prefetched: they are usually still in cache from whoever just
    /// wrote them (a service's request, a CSV block), and on a 1 000 × 32 batch the prefetch instructions alone cost
    /// ~5 % of the Add.</summary>
    private const long PrefetchMinimumBytes = 1024 * 1024;

    /// <summary>Where the row block of C that starts at <paramref name="ic"/> ends: MC rows on, except that a single row
    /// left over after it joins it (q = k·MC + 1: the y row when p is a multiple of MC), so that row rides as the AVX-512
    /// tile's ninth row instead of running one-row edge tiles across every micro-panel.</summary>
    private static int RowBlockEnd(int ic, int mc, int q) => q - (ic + mc) <= 1 ? q : ic + mc;

    /// <summary>Whether <see cref="MacroKernel"/> runs <see cref="GramTileV256{T}.RunDiagonal"/> on the diagonal blocks:
    /// the AVX2 double tile, where the caller keeps nothing above the diagonal. At p = 64 it removes a tenth of the
    /// tiles' work (the 6-row tiles that crossed the 8-wide diagonal blocks computed 1.25× the multiply-adds of the
    /// lower triangle; with it, 1.13×), about 2 % at p = 256.</summary>
    private static bool DiagonalTiles<T, TKernel>(bool upperIsScratch)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IGramTileKernel<T>
        => upperIsScratch && typeof(TKernel) == typeof(GramTileV256<double>);

    /// <summary>The number of tile calls <see cref="MacroKernel"/> makes for q columns that take a turn of the slab
    /// prefetch: the full tiles, direct or into the temporary (same loops, no work).</summary>
    private static int TileCount(int q, int mr, int nr, int mcBlock, bool diagonalTiles)
    {
        int mc = mcBlock / mr * mr, tiles = 0, panels = (q + nr - 1) / nr;
        for (int ic = 0, iEnd; ic < q; ic = iEnd)
        {
            iEnd = RowBlockEnd(ic, mc, q);
            int jbEnd = Math.Min(panels, (iEnd + nr - 1) / nr);
            for (int jb = 0; jb < jbEnd; jb++)
            {
                int j0 = jb * nr, first = ic;
                if (diagonalTiles && j0 >= ic && j0 + nr <= iEnd)
                {
                    first = j0 + nr;
                }
                else if (first + mr - 1 < j0)
                {
                    first += (j0 - mr + 1 - ic + mr - 1) / mr * mr;
                }

                for (int i0 = first; i0 < iEnd; i0 += mr)
                {
                    tiles += 2 * Math.Min(mr, iEnd - i0) > mr ? 1 : 0;
                }
            }
        }

        return tiles;
    }

    private static int FirstNonFinite(double* sums, int q)
    {
        for (int c = 0; c < q; c++)
        {
            if (!double.IsFinite(sums[c]))
            {
                return c;
            }
        }

        return -1;
    }

    /// <summary>Writes root·m as packed downdate row <paramref name="k"/>; columns past q stay zero.</summary>
    private static void AddDowndateRow<T>(GramWorkspace<T> ws, int k, double* m, double root, int q)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int nr = ws.NR;
        for (int c = 0; c < ws.PaddedQ; c++)
        {
            T v = c < q ? T.CreateTruncating(root * m[c]) : T.Zero;
            ws.Downdates[((c / nr) * ws.DowndateStride) + (k * nr) + (c % nr)] = v;
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

            MacroKernel<T, TKernel>(ws, ws.Pack, ws.PanelStride, kc, m, c, ldc, subtract, upperIsScratch: false);
        }
    }

    /// <summary>C ±= ZᵀZ on the lower triangle of the leading q × q block, for the kc rows of Z packed at
    /// <paramref name="pack"/> (micro-panels <paramref name="stride"/> elements apart).</summary>
    private static void MacroKernel<T, TKernel>(GramWorkspace<T> ws, T* pack, long stride, int kc, int q, T* c, nint ldc, bool subtract, bool upperIsScratch, Prefetcher next = default)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IGramTileKernel<T>
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        int mc = ws.Blocking.MC / mr * mr;
        nint* a = stackalloc nint[16];
        T* tile = stackalloc T[8 * 64];
        T* zero = ws.ZeroPanel;
        bool diagonalTiles = DiagonalTiles<T, TKernel>(upperIsScratch);
        for (int ic = 0, iEnd; ic < q; ic = iEnd)
        {
            iEnd = RowBlockEnd(ic, mc, q);
            int jbEnd = Math.Min(ws.Panels, (iEnd + nr - 1) / nr);
            for (int jb = 0; jb < jbEnd; jb++)
            {
                int j0 = jb * nr;
                T* b = pack + (jb * stride);

                // Skip the tiles strictly above the diagonal: the first useful row tile has i0 + MR - 1 >= j0. With
                // the AVX2 double diagonal tile, the panel's own eight rows take one tile and the row tiles start
                // under it (so the last one of the row block may be partial).
                int first = ic;
                if (diagonalTiles && j0 >= ic && j0 + nr <= iEnd)
                {
                    GramTileV256<double>.RunDiagonal(kc, (double*)b, (double*)(c + (j0 * ldc) + j0), ldc, subtract);
                    first = j0 + nr;
                }
                else if (first + mr - 1 < j0)
                {
                    first += (j0 - mr + 1 - ic + mr - 1) / mr * mr;
                }

                // Row i of the tile sits in micro-panel i / nr at column i % nr; both are stepped, not divided (nr is
                // not a JIT constant here, and two integer divisions per row cost ~10 % of a small tile's time).
                int panel0 = first / nr, column0 = first % nr;
                for (int i0 = first; i0 < iEnd; i0 += mr)
                {
                    // Kernels whose MR divides NR (the AVX-512 tile) read row r at a[0] + r; the others use a[r], and
                    // rows past q point at the all-zero micro-panel.
                    int panel = panel0, column = column0;
                    for (int r = 0; r < mr; r++)
                    {
                        a[r] = i0 + r < q ? (nint)(pack + (panel * stride) + column) : (nint)zero;
                        if (++column == nr)
                        {
                            column = 0;
                            panel++;
                        }
                    }

                    panel0 = panel;
                    column0 = column;

                    // The AVX-512 tile's rows left of the middle of the micro-panel need its left half only.
                    if (typeof(TKernel) == typeof(GramTileV512<T>) && upperIsScratch && i0 + mr <= j0 + (nr / 2) && i0 + mr <= q && j0 + (nr / 2) <= q)
                    {
                        if (next.Active)
                        {
                            byte* half = next.Take(kc, 1, out nint halfStep);
                            GramTileV512<T>.RunHalfPrefetching(kc, (T**)a, b, c + (i0 * ldc) + j0, ldc, subtract, half, halfStep);
                        }
                        else
                        {
                            GramTileV512<T>.RunHalf(kc, (T**)a, b, c + (i0 * ldc) + j0, ldc, subtract);
                        }

                        continue;
                    }

                    // A tile inside the q × q block runs straight into C when it lies on or below the diagonal, or
                    // when it crosses the diagonal and the caller keeps nothing above it (the Gram state: every
                    // reader takes the lower triangle only), so its upper entries may collect the mirrored sums.
                    if ((upperIsScratch || i0 >= j0 + nr - 1) && i0 + mr <= iEnd && j0 + nr <= q)
                    {
                        // With exactly one row left after this tile (the y row when p is a multiple of 8), the AVX-512
                        // tile takes it as a ninth row; the edge tile would cost ~3× as much per entry.
                        if (typeof(TKernel) == typeof(GramTileV512<T>) && i0 + mr == q - 1 && iEnd == q)
                        {
                            a[mr] = (nint)(pack + (panel0 * stride) + column0);
                            if (next.Active)
                            {
                                byte* both = next.Take(kc, 2, out nint bothStep); // its turn and the edge tile's
                                GramTileV512<T>.RunWithExtraRowPrefetching(kc, (T**)a, b, c + (i0 * ldc) + j0, ldc, subtract, both, bothStep);
                            }
                            else
                            {
                                GramTileV512<T>.RunWithExtraRow(kc, (T**)a, b, c + (i0 * ldc) + j0, ldc, subtract);
                            }

                            break;
                        }

                        RunTile<T, TKernel>(ref next, kc, (T**)a, b, c + (i0 * ldc) + j0, ldc, subtract);
                        continue;
                    }

                    // A tile that crosses the diagonal or the edge: compute it into a temporary, add the lower part. A
                    // tile with at most MR/2 real rows (the last one, when q is just past a multiple of MR) runs the
                    // edge kernel on its real rows only.
                    new Span<T>(tile, mr * nr).Clear();
                    int rEnd = Math.Min(mr, iEnd - i0);
                    if (2 * rEnd <= mr)
                    {
                        TKernel.RunPartial(kc, rEnd, (T**)a, b, tile, nr);
                    }
                    else
                    {
                        RunTile<T, TKernel>(ref next, kc, (T**)a, b, tile, nr, subtract: false);
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

    /// <summary>One full tile, taking its turn of the prefetches while any are left (the plain kernel otherwise, so the
    /// Cholesky update and the last slab run without prefetch instructions).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RunTile<T, TKernel>(ref Prefetcher next, nint kc, T** a, T* b, T* c, nint ldc, bool subtract)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IGramTileKernel<T>
    {
        if (next.Active)
        {
            byte* first = next.Take(kc, 1, out nint step);
            TKernel.RunPrefetching(kc, a, b, c, ldc, subtract, first, step);
        }
        else
        {
            TKernel.Run(kc, a, b, c, ldc, subtract);
        }
    }

    private static void MergeFloatProducts(float* products, double* c, int q, double root, double* m)
    {
        // C[i, 0..i] += (double)P[i, 0..i] − (root·mᵢ)·(root·m[0..i]): widened and fused eight at a time.
        for (int i = 0; i < q; i++)
        {
            double gi = -(root * m[i]) * root;
            float* src = products + ((long)i * q);
            double* dst = c + ((long)i * q);
            int j = 0;
            if (Vector256.IsHardwareAccelerated && Tier.Family >= KernelFamily.Vector256)
            {
                Vector256<double> vg = Vector256.Create(gi);
                for (; j + 8 <= i + 1; j += 8)
                {
                    Vector256<float> v = Vector256.Load(src + j);
                    Vector256<double> lo = Vector256.WidenLower(v);
                    Vector256<double> hi = Vector256.WidenUpper(v);
                    (Vector256.Load(dst + j) + SimdOps.MulAdd(vg, Vector256.Load(m + j), lo)).Store(dst + j);
                    (Vector256.Load(dst + j + 4) + SimdOps.MulAdd(vg, Vector256.Load(m + j + 4), hi)).Store(dst + j + 4);
                }
            }

            for (; j <= i; j++)
            {
                dst[j] += src[j] + (gi * m[j]);
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

/// <summary>
/// The software prefetches (into L2) of the next slab of X, spread over the k loops of one macro-kernel's tiles: each tile
/// that takes a turn requests one address per k step, <see cref="Step"/> bytes apart, continuing where the previous
/// tile stopped, so the requests leave at the pace of the arithmetic. Requesting the lines between tiles instead, a few
/// dozen at once, filled the miss buffers and stalled the next tile (at p = 64 the macro-kernel's own code took 16 % of
/// an Add's samples in perf, nearly all of it the burst of prefetch instructions; moving them into the tiles made the
/// Add 7–10 % faster at p = 64 and 128, Zen 5). A default instance requests nothing.
/// </summary>
internal unsafe struct Prefetcher
{
    private readonly byte* _end;
    private byte* _cursor;

    /// <summary>Prefetches the <paramref name="bytes"/> from <paramref name="first"/> over tiles of about
    /// <paramref name="kSteps"/> k steps in all.</summary>
    public Prefetcher(byte* first, long bytes, long kSteps)
    {
        _cursor = first;
        _end = first + bytes;

        // Rounded up to whole doubles: a line may be requested twice, never skipped; at most a line per k step.
        Step = (nint)Math.Min(64, ((bytes + kSteps - 1) / Math.Max(1, kSteps) + 7) & ~7L);
    }

    /// <summary>Bytes between consecutive requests.</summary>
    public nint Step { get; }

    /// <summary>Whether lines are left to request (false for a default instance).</summary>
    public readonly bool Active => _cursor < _end;

    /// <summary>The first address for a tile of <paramref name="kc"/> k steps that takes <paramref name="turns"/>
    /// tiles' share of the requests (its step is <paramref name="turns"/> × <see cref="Step"/>); only while
    /// <see cref="Active"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte* Take(nint kc, int turns, out nint step)
    {
        byte* first = _cursor;
        step = turns * Step;
        _cursor += kc * step;
        return first;
    }
}
