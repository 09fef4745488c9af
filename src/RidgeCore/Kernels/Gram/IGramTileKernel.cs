namespace RidgeCore.Kernels.Gram;

/// <summary>
/// The one micro-kernel contract of the Gram engine, per kernel family: <c>C[MR×NR] += A·B</c> on packed data.
/// </summary>
/// <remarks>
/// The packed panel holds Z (rows of the centered, √w-scaled data) in micro-panels NR columns wide: element (k, c) of a
/// micro-panel sits at <c>k·NR + c</c>. B is one such micro-panel, loaded as vectors. Because XᵀX is symmetric, the
/// A operand is the same packed data: row r of the tile is column i₀ + r of Z, read with stride NR from whichever
/// micro-panel holds it, and broadcast. One packing therefore feeds both operands (BLIS packs twice for GEMM).
/// <para>Implementations must not call anything non-inlined in the k loop: on Linux every vector register is
/// caller-saved, so a call would spill every accumulator.</para>
/// </remarks>
internal unsafe interface IGramTileKernel<T>
    where T : unmanaged
{
    /// <summary>Rows of the C tile (broadcast A operands).</summary>
    static abstract int MR { get; }

    /// <summary>Columns of the C tile, equal to the packed micro-panel width.</summary>
    static abstract int NR { get; }

    /// <summary>C[r, 0..NR) ±= Σₖ a[r][k·NR] · b[k·NR .. k·NR+NR) for r &lt; MR (minus for Cholesky's trailing update).</summary>
    /// <param name="kc">The number of packed rows (k steps).</param>
    /// <param name="a">MR pointers, each to the k = 0 element of one A row inside the packed data.</param>
    /// <param name="b">The B micro-panel.</param>
    /// <param name="c">The top-left element of the C tile.</param>
    /// <param name="ldc">The row stride of C, in elements.</param>
    /// <param name="subtract">Subtract the products from C instead of adding them.</param>
    static abstract void Run(nint kc, T** a, T* b, T* c, nint ldc, bool subtract);

    /// <summary><see cref="Run"/> that also requests one cache line into L2 per k step, at <paramref name="prefetch"/>,
    /// <paramref name="prefetch"/> + <paramref name="prefetchStep"/>, and so on (kc requests in all): the engine spreads
    /// the prefetches of the next slab of X over the tiles this way, so they leave at the pace of the arithmetic. A
    /// prefetch never faults, whatever the address; kernels without a prefetch instruction (no x86 SSE) run
    /// <see cref="Run"/>.</summary>
    /// <param name="kc">The number of packed rows (k steps).</param>
    /// <param name="a">MR pointers, each to the k = 0 element of one A row inside the packed data.</param>
    /// <param name="b">The B micro-panel.</param>
    /// <param name="c">The top-left element of the C tile.</param>
    /// <param name="ldc">The row stride of C, in elements.</param>
    /// <param name="subtract">Subtract the products from C instead of adding them.</param>
    /// <param name="prefetch">The first address to request.</param>
    /// <param name="prefetchStep">Bytes between consecutive requests.</param>
    static abstract void RunPrefetching(nint kc, T** a, T* b, T* c, nint ldc, bool subtract, byte* prefetch, nint prefetchStep);

    /// <summary>C[r, 0..NR) += Σₖ a[r][k·NR] · b[k·NR .. k·NR+NR) for r &lt; rows: the edge tile for the last,
    /// partly filled row tile of the lower triangle.</summary>
    /// <param name="kc">The number of packed rows (k steps).</param>
    /// <param name="rows">Rows to compute (1..MR).</param>
    /// <param name="a">At least <paramref name="rows"/> pointers to A rows.</param>
    /// <param name="b">The B micro-panel.</param>
    /// <param name="c">The top-left element of the C tile.</param>
    /// <param name="ldc">The row stride of C, in elements.</param>
    static abstract void RunPartial(nint kc, int rows, T** a, T* b, T* c, nint ldc);
}
