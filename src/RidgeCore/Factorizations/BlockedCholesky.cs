using System;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using RidgeCore.Kernels.Cholesky;
using RidgeCore.Kernels.Gram;

namespace RidgeCore.Factorizations;

/// <summary>
/// The blocked Cholesky factorization A + D = L·Lᵀ on <see cref="PackedLowerLayout"/> storage, run on the Gram tile
/// kernels (the register-tiled C ±= A·B micro-kernel of each family) and the family's panel kernels.
/// </summary>
/// <remarks>
/// <para><b>Algorithm.</b> Recursive and right-looking, as OpenBLAS's <c>potrf_L_single</c> and LAPACK's
/// <c>dpotrf2</c>: a column block [k₀, k₀ + kb) is split at h (a multiple of MR); the left part is factored, the right
/// part receives its update A[:, right] −= L[:, left]·L[right, left]ᵀ from the tile kernels, and is factored in turn.
/// Blocks no wider than <see cref="CholeskyBlocking.LeftLookingWidth"/> are factored leaf by leaf (MR columns each),
/// left-looking: each leaf first takes the update from the leaves before it in the block. The whole factorization is
/// <c>FactorBlock(0, p)</c>, so the top-level trailing update A₂₂ −= L₂₁L₂₁ᵀ is a k = p/2 update on the tile kernels.</para>
/// <para><b>Leaf.</b> The MR × MR diagonal block is factored in scalar code (it is MR³/3 flops); this is where the diagonal
/// load is added, on the fly (pivot = a_jj − Σ l_jk² + d_j), and where a pivot that is not positive and finite stops
/// the factorization. The rows below are then solved against the leaf, MR rows × NR lanes at a time, in registers
/// (<see cref="ICholeskyPanelKernel{T}.SolveLeaf"/>).</para>
/// <para><b>Why not <c>GramEngine.LowerRankKUpdate</c>.</b> That entry point works on row-major storage and packs L
/// (transposing, element by element) on every call, sets up each tile's A pointers with integer divisions, and routes
/// every tile that touches the diagonal through a temporary. At Cholesky's shapes that dominated: m = 96, k = 32 ran at
/// 14 GFLOP/s (20 µs, more than OpenBLAS's whole p = 128 factorization) where the tile kernel itself does ~65. Here
/// the matrix lives in the packed format the tiles read, so nothing is packed, a tile's C block is contiguous, and
/// tiles on the diagonal compute into scratch entries directly (see <see cref="PackedLowerLayout"/>).</para>
/// </remarks>
internal static unsafe class BlockedCholesky
{
    /// <summary>The storage layout the active kernel family factors.</summary>
    public static PackedLowerLayout LayoutFor<T>(int order)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Tier.UseV512)
        {
            return new PackedLowerLayout(order, GramTileV512<T>.NR, GramTileV512<T>.MR);
        }

        if (Tier.UseV256)
        {
            return new PackedLowerLayout(order, GramTileV256<T>.NR, GramTileV256<T>.MR);
        }

        return Tier.UseV128
            ? new PackedLowerLayout(order, GramTileV128<T>.NR, GramTileV128<T>.MR)
            : new PackedLowerLayout(order, GramTileScalar<T>.NR, GramTileScalar<T>.MR);
    }

    /// <summary>The number of zeros the factorization needs in <c>zeroPanel</c>: A operands of tile rows past the
    /// block being updated point there.</summary>
    public static int ZeroPanelLength(PackedLowerLayout layout, CholeskyBlocking blocking) => blocking.KC * layout.NR;

    /// <summary>
    /// Factors the packed matrix in place. The diagonal load is <paramref name="load"/>[j] when that is not null, else
    /// <paramref name="scalarLoad"/>; it is added to each pivot as the pivot is formed.
    /// </summary>
    /// <returns>-1 on success; otherwise the index of the first pivot that is not positive and finite, whose value is
    /// in <paramref name="pivotValue"/>. The storage is then partly factored.</returns>
    public static int Factor<T>(T* z, PackedLowerLayout layout, CholeskyBlocking blocking, T* load, T scalarLoad, T* zeroPanel, out T pivotValue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var ctx = new Context<T>(z, layout, blocking, load, scalarLoad, zeroPanel);
        int failed;
        if (Tier.UseV512)
        {
            failed = FactorBlock<T, GramTileV512<T>, CholeskyPanelV512<T>>(ref ctx, 0, layout.Order);
        }
        else if (Tier.UseV256)
        {
            failed = FactorBlock<T, GramTileV256<T>, CholeskyPanelV256<T>>(ref ctx, 0, layout.Order);
        }
        else if (Tier.UseV128)
        {
            failed = FactorBlock<T, GramTileV128<T>, CholeskyPanelV128<T>>(ref ctx, 0, layout.Order);
        }
        else
        {
            failed = FactorBlock<T, GramTileScalar<T>, CholeskyPanelScalar<T>>(ref ctx, 0, layout.Order);
        }

        pivotValue = ctx.PivotValue;
        return failed;
    }

    private static int FactorBlock<T, TTile, TPanel>(ref Context<T> ctx, int k0, int kb)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTile : struct, IGramTileKernel<T>
        where TPanel : struct, ICholeskyPanelKernel<T>
    {
        Debug.Assert(TTile.NR == TPanel.NR && TTile.MR == TPanel.MR && ctx.Layout.NR == TTile.NR, "one family throughout");
        int mr = TTile.MR;
        if (kb <= ctx.Blocking.LeftLookingWidth)
        {
            for (int s = k0; s < k0 + kb; s += mr)
            {
                int w = Math.Min(mr, k0 + kb - s);
                if (s > k0)
                {
                    Update<T, TTile>(ref ctx, k0, s, s, s + w);
                }

                int failed = Leaf<T, TPanel>(ref ctx, s, w);
                if (failed >= 0)
                {
                    return failed;
                }
            }

            return -1;
        }

        // Split points stay multiples of MR: the AVX-512 tile reads its MR A rows as adjacent lanes of one micro-panel,
        // and only the last leaf of the matrix may be narrower than MR.
        int h = ((kb / 2) + mr - 1) / mr * mr;
        int first = FactorBlock<T, TTile, TPanel>(ref ctx, k0, h);
        if (first >= 0)
        {
            return first;
        }

        Update<T, TTile>(ref ctx, k0, k0 + h, k0 + h, k0 + kb);
        return FactorBlock<T, TTile, TPanel>(ref ctx, k0 + h, kb - h);
    }

    /// <summary>
    /// A[i, j] −= Σ_{k ∈ [kFrom, kTo)} L[i, k]·L[j, k] for j ∈ [jFrom, jTo) and every i ≥ j: the update of a column
    /// block by the factored columns to its left, on the tile kernels. The tile's MR rows are matrix columns j (broadcast
    /// operands, read with stride NR), its NR columns are the lanes of one micro-panel (matrix rows i), and its C block is
    /// MR consecutive packed rows of that micro-panel. Tiles whose lanes reach above the diagonal write scratch entries.
    /// </summary>
    private static void Update<T, TTile>(ref Context<T> ctx, int kFrom, int kTo, int jFrom, int jTo)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTile : struct, IGramTileKernel<T>
    {
        int nr = TTile.NR, mr = TTile.MR;
        int p = ctx.Layout.Order, panels = ctx.Layout.Panels;
        int jEnd = Math.Min(jTo, p);
        int kcMax = ctx.Blocking.KC, mc = ctx.Blocking.MC;
        nint* rows = stackalloc nint[mc + mr];
        T* z = ctx.Z;
        for (int kc0 = kFrom; kc0 < kTo; kc0 += kcMax)
        {
            int kc = Math.Min(kcMax, kTo - kc0);
            for (int jc = jFrom; jc < jEnd; jc += mc)
            {
                int jcEnd = Math.Min(jc + mc, jEnd);

                // The A operand of tile row j is packed row kc0 of column j; rows past the block read zeros, so they
                // subtract nothing from the padding or scratch rows their C entries land in.
                int count = (jcEnd - jc + mr - 1) / mr * mr;
                for (int r = 0; r < count; r++)
                {
                    rows[r] = jc + r < jcEnd ? (nint)(z + ctx.Layout.IndexOf(jc + r, kc0)) : (nint)ctx.ZeroPanel;
                }

                for (int panel = jc / nr; panel < panels; panel++)
                {
                    T* zp = z + ctx.Layout.PanelOffset(panel);
                    T* b = zp + ((nint)kc0 * nr);
                    int jLast = Math.Min(jcEnd, (panel + 1) * nr);
                    for (int j = jc; j < jLast; j += mr)
                    {
                        TTile.Run(kc, (T**)(rows + (j - jc)), b, zp + ((nint)j * nr), nr, subtract: true);
                    }
                }
            }
        }
    }

    /// <summary>Factors the w × w diagonal block at column k (adding the load to each pivot), then solves the rows
    /// below it against the block.</summary>
    private static int Leaf<T, TPanel>(ref Context<T> ctx, int k, int w)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TPanel : struct, ICholeskyPanelKernel<T>
    {
        int nr = TPanel.NR, mr = TPanel.MR;
        int p = ctx.Layout.Order;

        // The w × w block is gathered into a small row-major array (one address computation per entry instead of
        // one per use), factored there, and written back. The leaf factor handed to the panel kernel holds −L[r, t]
        // below the diagonal and 1/L[r, r] on it.
        // Element (k + r, k + c) sits at lane[r] + c·NR, lane[r] being row k + r's lane in packed row k of its
        // micro-panel: one address computation per row, not per element (that cost a third of the leaf at p = 128).
        T* blk = stackalloc T[8 * 8];
        T* f = stackalloc T[8 * 8];
        T** lane = stackalloc T*[8];
        for (int r = 0; r < w; r++)
        {
            lane[r] = ctx.Element(k + r, k, nr);
        }

        for (int r = 0; r < w; r++)
        {
            for (int c = 0; c <= r; c++)
            {
                blk[(r * 8) + c] = lane[r][c * nr];
            }
        }

        for (int c = 0; c < w; c++)
        {
            T* rowC = blk + (c * 8);
            T d = rowC[c];
            for (int t = 0; t < c; t++)
            {
                d -= rowC[t] * rowC[t];
            }

            d += ctx.Load != null ? ctx.Load[k + c] : ctx.ScalarLoad;

            // NaN fails the first test, +∞ the second: neither may flow on into the factor.
            if (!(d > T.Zero) || !T.IsFinite(d))
            {
                ctx.PivotValue = d;
                return k + c;
            }

            T ljj = T.Sqrt(d);
            T inv = T.One / ljj;
            rowC[c] = ljj;
            f[(c * mr) + c] = inv;
            for (int r = c + 1; r < w; r++)
            {
                T* rowR = blk + (r * 8);
                T v = rowR[c];
                for (int t = 0; t < c; t++)
                {
                    v -= rowR[t] * rowC[t];
                }

                v *= inv;
                rowR[c] = v;
                f[(r * mr) + c] = -v;
            }
        }

        for (int r = 0; r < w; r++)
        {
            for (int c = 0; c <= r; c++)
            {
                lane[r][c * nr] = blk[(r * 8) + c];
            }
        }

        if (k + w < p)
        {
            Debug.Assert(w == mr, "only the last leaf of the matrix is narrower than MR");
            for (int panel = k / nr; panel < ctx.Layout.Panels; panel++)
            {
                // Lanes of rows above k + w hold the leaf itself or scratch: leave them alone.
                int skip = k + w - (panel * nr);
                if (skip < nr)
                {
                    TPanel.SolveLeaf(ctx.Z + ctx.Layout.PanelOffset(panel) + ((nint)k * nr), f, Math.Max(skip, 0));
                }
            }
        }

        return -1;
    }

    private struct Context<T>
        where T : unmanaged
    {
        public Context(T* z, PackedLowerLayout layout, CholeskyBlocking blocking, T* load, T scalarLoad, T* zeroPanel)
        {
            Z = z;
            Layout = layout;
            Blocking = blocking;
            Load = load;
            ScalarLoad = scalarLoad;
            ZeroPanel = zeroPanel;
            PivotValue = default;
        }

        public T* Z { get; }

        public PackedLowerLayout Layout { get; }

        public CholeskyBlocking Blocking { get; }

        public T* Load { get; }

        public T ScalarLoad { get; }

        public T* ZeroPanel { get; }

        public T PivotValue { get; set; }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly T* Element(int i, int k, int nr) => Z + Layout.PanelOffset(i / nr) + ((nint)k * nr) + (i % nr);
    }
}
