using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using RidgeCore.Internal;

namespace RidgeCore.Kernels.Gram;

/// <summary>
/// The AVX2 + FMA Gram tile: 6 rows × 2 Vector256 columns (6×8 double, 6×16 float).
/// </summary>
/// <remarks>
/// Register budget: 12 accumulators + 2 B vectors + 1 broadcast A = 15 of the 16 vector registers (ymm0–15). An 8-row tile
/// (16 accumulators) makes RyuJIT spill three accumulators and runs at ~57 % of peak (measured, see
/// shared/notes/performance-facts.md §4); 6×2 vectors is the BLIS Haswell/Zen shape.
/// </remarks>
internal unsafe struct GramTileV256<T> : IGramTileKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int MR => 6;

    public static int NR => 2 * Vector256<T>.Count;

    // Not inlined: the macro-kernel calls it from two sites, and inlining both made RyuJIT keep the six A pointers on
    // the stack and reload them every k step (measured: 25 instead of ~40 GFLOP/s on AVX2). The call costs nothing
    // against a 256-step loop.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Run(nint kc, T** a, T* b, T* c, nint ldc, bool subtract) => Tile(kc, a, b, c, ldc, subtract, prefetching: false, null, 0);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void RunPrefetching(nint kc, T** a, T* b, T* c, nint ldc, bool subtract, byte* prefetch, nint prefetchStep)
        => Tile(kc, a, b, c, ldc, subtract, prefetching: Sse.IsSupported, prefetch, prefetchStep);

    // Inlined into both entry points with prefetching a constant, so Run's loop has no prefetch in it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile(nint kc, T** a, T* b, T* c, nint ldc, bool subtract, bool prefetching, byte* prefetch, nint prefetchStep)
    {
        nint nr = 2 * Vector256<T>.Count;
        T* a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4], a5 = a[5];
        // The six rows of C this tile ends by adding to are requested before the k loop, so they arrive while it runs.
        // Without this, at p = 1024 (C is 8 MiB, far out of Zen 3's 512 KiB L2) each tile stalled on its twelve C
        // vectors at the end: the Add ran 1.20-1.25x slower (Zen 3, alternating processes).
        if (Sse.IsSupported)
        {
            PrefetchRow(c);
            PrefetchRow(c + ldc);
            PrefetchRow(c + (2 * ldc));
            PrefetchRow(c + (3 * ldc));
            PrefetchRow(c + (4 * ldc));
            PrefetchRow(c + (5 * ldc));
        }

        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        nint end = kc * nr;
        for (nint o = 0; o < end; o += nr)
        {
            Vector256<T> b0 = Vector256.Load(b + o);
            Vector256<T> b1 = Vector256.Load(b + o + Vector256<T>.Count);
            if (prefetching)
            {
                Sse.Prefetch1(prefetch);
                prefetch += prefetchStep;
            }

            Vector256<T> x = Vector256.Create(a0[o]);
            c00 = SimdOps.MulAdd(x, b0, c00);
            c01 = SimdOps.MulAdd(x, b1, c01);
            x = Vector256.Create(a1[o]);
            c10 = SimdOps.MulAdd(x, b0, c10);
            c11 = SimdOps.MulAdd(x, b1, c11);
            x = Vector256.Create(a2[o]);
            c20 = SimdOps.MulAdd(x, b0, c20);
            c21 = SimdOps.MulAdd(x, b1, c21);
            x = Vector256.Create(a3[o]);
            c30 = SimdOps.MulAdd(x, b0, c30);
            c31 = SimdOps.MulAdd(x, b1, c31);
            x = Vector256.Create(a4[o]);
            c40 = SimdOps.MulAdd(x, b0, c40);
            c41 = SimdOps.MulAdd(x, b1, c41);
            x = Vector256.Create(a5[o]);
            c50 = SimdOps.MulAdd(x, b0, c50);
            c51 = SimdOps.MulAdd(x, b1, c51);
        }

        Accumulate(c, c00, c01, subtract);
        Accumulate(c + ldc, c10, c11, subtract);
        Accumulate(c + (2 * ldc), c20, c21, subtract);
        Accumulate(c + (3 * ldc), c30, c31, subtract);
        Accumulate(c + (4 * ldc), c40, c41, subtract);
        Accumulate(c + (5 * ldc), c50, c51, subtract);
    }

    /// <summary>The edge tile: the first <paramref name="rows"/> rows of a tile, accumulated into C. Used where a full
    /// tile would mostly compute padding (the y row just past a whole number of MR rows costs a full MR-row tile in
    /// every micro-panel otherwise). Four k steps are interleaved so eight independent FMA chains hide the latency;
    /// per row it costs about 1.5× a row of the full tile, so it pays for up to MR/2 rows.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void RunPartial(nint kc, int rows, T** a, T* b, T* c, nint ldc)
    {
        nint nr = 2 * Vector256<T>.Count;
        nint h = Vector256<T>.Count;
        nint end = kc * nr;
        for (int r = 0; r < rows; r++)
        {
            T* ar = a[r];
            Vector256<T> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            nint o = 0;
            for (; o + (4 * nr) <= end; o += 4 * nr)
            {
                Vector256<T> x0 = Vector256.Create(ar[o]), x1 = Vector256.Create(ar[o + nr]);
                Vector256<T> x2 = Vector256.Create(ar[o + (2 * nr)]), x3 = Vector256.Create(ar[o + (3 * nr)]);
                s0 = SimdOps.MulAdd(x0, Vector256.Load(b + o), s0);
                s1 = SimdOps.MulAdd(x0, Vector256.Load(b + o + h), s1);
                s2 = SimdOps.MulAdd(x1, Vector256.Load(b + o + nr), s2);
                s3 = SimdOps.MulAdd(x1, Vector256.Load(b + o + nr + h), s3);
                s4 = SimdOps.MulAdd(x2, Vector256.Load(b + o + (2 * nr)), s4);
                s5 = SimdOps.MulAdd(x2, Vector256.Load(b + o + (2 * nr) + h), s5);
                s6 = SimdOps.MulAdd(x3, Vector256.Load(b + o + (3 * nr)), s6);
                s7 = SimdOps.MulAdd(x3, Vector256.Load(b + o + (3 * nr) + h), s7);
            }

            for (; o < end; o += nr)
            {
                Vector256<T> x = Vector256.Create(ar[o]);
                s0 = SimdOps.MulAdd(x, Vector256.Load(b + o), s0);
                s1 = SimdOps.MulAdd(x, Vector256.Load(b + o + h), s1);
            }

            T* cr = c + (r * ldc);
            (Vector256.Load(cr) + ((s0 + s2) + (s4 + s6))).Store(cr);
            (Vector256.Load(cr + h) + ((s1 + s3) + (s5 + s7))).Store(cr + h);
        }
    }

    /// <summary>
    /// The diagonal block of a double micro-panel: C[r, 0..8) += Σₖ b[k·8 + r] · b[k·8 .. k·8+8) for the eight rows
    /// r of the panel's own columns, computed as the lower triangle needs it: rows 0–3 only against the left vector
    /// (columns 0–3), rows 4–7 against both. That is 12 accumulators, the register budget of <see cref="Run"/>, for
    /// eight rows instead of six, and the A operands are the panel's own line (<paramref name="b"/>), so every load of
    /// a k step comes from one 64-byte line. Entries above the diagonal (r &lt; column) collect sums too: only for C
    /// whose upper triangle is scratch.
    /// </summary>
    /// <param name="kc">The number of packed rows (k steps).</param>
    /// <param name="b">The micro-panel, 8 doubles per k step.</param>
    /// <param name="c">C at the panel's diagonal element.</param>
    /// <param name="ldc">The row stride of C, in elements.</param>
    /// <param name="subtract">Subtract the products from C instead of adding them.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void RunDiagonal(nint kc, double* b, double* c, nint ldc, bool subtract)
    {
        if (Sse.IsSupported)
        {
            for (nint r = 0; r < 8; r++)
            {
                PrefetchDoubleRow(c + (r * ldc));
            }
        }

        Vector256<double> c00 = default, c10 = default, c20 = default, c30 = default;
        Vector256<double> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector256<double> c60 = default, c61 = default, c70 = default, c71 = default;
        nint end = kc * 8;
        for (nint o = 0; o < end; o += 8)
        {
            Vector256<double> b0 = Vector256.Load(b + o);
            Vector256<double> b1 = Vector256.Load(b + o + 4);
            c00 = SimdOps.MulAdd(Vector256.Create(b[o]), b0, c00);
            c10 = SimdOps.MulAdd(Vector256.Create(b[o + 1]), b0, c10);
            c20 = SimdOps.MulAdd(Vector256.Create(b[o + 2]), b0, c20);
            c30 = SimdOps.MulAdd(Vector256.Create(b[o + 3]), b0, c30);
            Vector256<double> x = Vector256.Create(b[o + 4]);
            c40 = SimdOps.MulAdd(x, b0, c40);
            c41 = SimdOps.MulAdd(x, b1, c41);
            x = Vector256.Create(b[o + 5]);
            c50 = SimdOps.MulAdd(x, b0, c50);
            c51 = SimdOps.MulAdd(x, b1, c51);
            x = Vector256.Create(b[o + 6]);
            c60 = SimdOps.MulAdd(x, b0, c60);
            c61 = SimdOps.MulAdd(x, b1, c61);
            x = Vector256.Create(b[o + 7]);
            c70 = SimdOps.MulAdd(x, b0, c70);
            c71 = SimdOps.MulAdd(x, b1, c71);
        }

        AccumulateLeft(c, c00, subtract);
        AccumulateLeft(c + ldc, c10, subtract);
        AccumulateLeft(c + (2 * ldc), c20, subtract);
        AccumulateLeft(c + (3 * ldc), c30, subtract);
        GramTileV256<double>.Accumulate(c + (4 * ldc), c40, c41, subtract);
        GramTileV256<double>.Accumulate(c + (5 * ldc), c50, c51, subtract);
        GramTileV256<double>.Accumulate(c + (6 * ldc), c60, c61, subtract);
        GramTileV256<double>.Accumulate(c + (7 * ldc), c70, c71, subtract);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchDoubleRow(double* row)
    {
        Sse.Prefetch0(row);
        Sse.Prefetch0(row + 7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AccumulateLeft(double* row, Vector256<double> v, bool subtract)
        => (subtract ? Vector256.Load(row) - v : Vector256.Load(row) + v).Store(row);

    /// <summary>Requests the line holding the first and the line holding the last of a C row's NR values (one line
    /// when the row segment is 64-byte aligned, two otherwise).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchRow(T* row)
    {
        Sse.Prefetch0(row);
        Sse.Prefetch0(row + (2 * Vector256<T>.Count) - 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(T* row, Vector256<T> lo, Vector256<T> hi, bool subtract)
    {
        if (subtract)
        {
            (Vector256.Load(row) - lo).Store(row);
            (Vector256.Load(row + Vector256<T>.Count) - hi).Store(row + Vector256<T>.Count);
        }
        else
        {
            (Vector256.Load(row) + lo).Store(row);
            (Vector256.Load(row + Vector256<T>.Count) + hi).Store(row + Vector256<T>.Count);
        }
    }
}
