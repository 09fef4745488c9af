using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using RidgeCore.Internal;

namespace RidgeCore.Kernels.Gram;

/// <summary>
/// The AVX-512 Gram tile: 8 rows × 2 Vector512 columns (8×16 double, 8×32 float), sixteen accumulators.
/// </summary>
/// <remarks>
/// AVX-512 has 32 vector registers, so the tile is taller than the AVX2 one: 16 accumulators + 2 B vectors + 1
/// broadcast leave room to spare, and eight independent accumulator pairs cover the FMA latency on two 512-bit pipes.
/// MR = 8 divides NR, and the macro-kernel starts row tiles at multiples of MR, so the eight A rows of a tile are
/// adjacent columns of one packed micro-panel: they are read as <c>a[0][o + r]</c> with a constant displacement,
/// which needs one address register instead of eight (rows past q read the zero padding of that micro-panel).
/// </remarks>
internal unsafe struct GramTileV512<T> : IGramTileKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int MR => 8;

    public static int NR => 2 * Vector512<T>.Count;

    // Not inlined: one copy of the loop with its own register allocation (see GramTileV256).
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Run(nint kc, T** a, T* b, T* c, nint ldc, bool subtract) => Tile(kc, a, b, c, ldc, subtract, extraRow: false, prefetching: false, null, 0);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void RunPrefetching(nint kc, T** a, T* b, T* c, nint ldc, bool subtract, byte* prefetch, nint prefetchStep)
        => Tile(kc, a, b, c, ldc, subtract, extraRow: false, prefetching: Sse.IsSupported, prefetch, prefetchStep);

    /// <summary>A tile with a ninth row: rows 0..7 as in <see cref="Run"/> (adjacent lanes of a[0]) and row 8 read
    /// through a[8]. The engine runs it where exactly one row would be left after an eight-row tile (q = 8m + 1: the y
    /// row of a fit whose p is a multiple of 8), so that row costs an eighth more of a full tile instead of a one-row
    /// edge tile, whose short FMA chains make it ~3× as expensive per entry. 18 accumulators, 2 B vectors and a
    /// broadcast fit the 32 registers.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void RunWithExtraRow(nint kc, T** a, T* b, T* c, nint ldc, bool subtract)
        => Tile(kc, a, b, c, ldc, subtract, extraRow: true, prefetching: false, null, 0);

    /// <summary><see cref="RunWithExtraRow"/> with one prefetch per k step, as <see cref="RunPrefetching"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void RunWithExtraRowPrefetching(nint kc, T** a, T* b, T* c, nint ldc, bool subtract, byte* prefetch, nint prefetchStep)
        => Tile(kc, a, b, c, ldc, subtract, extraRow: true, prefetching: Sse.IsSupported, prefetch, prefetchStep);

    // Inlined into the entry points with extraRow and prefetching constants, so Run keeps its 16-accumulator loop
    // unchanged.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile(nint kc, T** a, T* b, T* c, nint ldc, bool subtract, bool extraRow, bool prefetching, byte* prefetch, nint prefetchStep)
    {
        nint nr = 2 * Vector512<T>.Count;
        T* a0 = a[0];
        T* a8 = extraRow ? a[8] : null;
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<T> c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default;
        nint end = kc * nr;
        for (nint o = 0; o < end; o += nr)
        {
            Vector512<T> b0 = Vector512.Load(b + o);
            Vector512<T> b1 = Vector512.Load(b + o + Vector512<T>.Count);
            if (prefetching)
            {
                Sse.Prefetch1(prefetch);
                prefetch += prefetchStep;
            }

            T* ar = a0 + o;
            Vector512<T> x = Vector512.Create(ar[0]);
            c00 = SimdOps.MulAdd(x, b0, c00);
            c01 = SimdOps.MulAdd(x, b1, c01);
            x = Vector512.Create(ar[1]);
            c10 = SimdOps.MulAdd(x, b0, c10);
            c11 = SimdOps.MulAdd(x, b1, c11);
            x = Vector512.Create(ar[2]);
            c20 = SimdOps.MulAdd(x, b0, c20);
            c21 = SimdOps.MulAdd(x, b1, c21);
            x = Vector512.Create(ar[3]);
            c30 = SimdOps.MulAdd(x, b0, c30);
            c31 = SimdOps.MulAdd(x, b1, c31);
            x = Vector512.Create(ar[4]);
            c40 = SimdOps.MulAdd(x, b0, c40);
            c41 = SimdOps.MulAdd(x, b1, c41);
            x = Vector512.Create(ar[5]);
            c50 = SimdOps.MulAdd(x, b0, c50);
            c51 = SimdOps.MulAdd(x, b1, c51);
            x = Vector512.Create(ar[6]);
            c60 = SimdOps.MulAdd(x, b0, c60);
            c61 = SimdOps.MulAdd(x, b1, c61);
            x = Vector512.Create(ar[7]);
            c70 = SimdOps.MulAdd(x, b0, c70);
            c71 = SimdOps.MulAdd(x, b1, c71);
            if (extraRow)
            {
                x = Vector512.Create(a8[o]);
                c80 = SimdOps.MulAdd(x, b0, c80);
                c81 = SimdOps.MulAdd(x, b1, c81);
            }
        }

        Accumulate(c, c00, c01, subtract);
        Accumulate(c + ldc, c10, c11, subtract);
        Accumulate(c + (2 * ldc), c20, c21, subtract);
        Accumulate(c + (3 * ldc), c30, c31, subtract);
        Accumulate(c + (4 * ldc), c40, c41, subtract);
        Accumulate(c + (5 * ldc), c50, c51, subtract);
        Accumulate(c + (6 * ldc), c60, c61, subtract);
        Accumulate(c + (7 * ldc), c70, c71, subtract);
        if (extraRow)
        {
            Accumulate(c + (8 * ldc), c80, c81, subtract);
        }
    }

    /// <summary>The left half of a tile: C[r, 0..NR/2) ±= … for its eight rows. A tile whose rows all lie left of
    /// the middle of its micro-panel (the first row tile of each micro-panel in double, the first two in float) has
    /// only upper-triangle entries in its right half, so the engine runs this instead and skips half the work.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void RunHalf(nint kc, T** a, T* b, T* c, nint ldc, bool subtract) => Half(kc, a, b, c, ldc, subtract, prefetching: false, null, 0);

    /// <summary><see cref="RunHalf"/> with one prefetch per k step, as <see cref="RunPrefetching"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void RunHalfPrefetching(nint kc, T** a, T* b, T* c, nint ldc, bool subtract, byte* prefetch, nint prefetchStep)
        => Half(kc, a, b, c, ldc, subtract, prefetching: Sse.IsSupported, prefetch, prefetchStep);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Half(nint kc, T** a, T* b, T* c, nint ldc, bool subtract, bool prefetching, byte* prefetch, nint prefetchStep)
    {
        nint nr = 2 * Vector512<T>.Count;
        T* a0 = a[0];
        Vector512<T> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        nint end = kc * nr;
        for (nint o = 0; o < end; o += nr)
        {
            Vector512<T> b0 = Vector512.Load(b + o);
            if (prefetching)
            {
                Sse.Prefetch1(prefetch);
                prefetch += prefetchStep;
            }

            T* ar = a0 + o;
            c0 = SimdOps.MulAdd(Vector512.Create(ar[0]), b0, c0);
            c1 = SimdOps.MulAdd(Vector512.Create(ar[1]), b0, c1);
            c2 = SimdOps.MulAdd(Vector512.Create(ar[2]), b0, c2);
            c3 = SimdOps.MulAdd(Vector512.Create(ar[3]), b0, c3);
            c4 = SimdOps.MulAdd(Vector512.Create(ar[4]), b0, c4);
            c5 = SimdOps.MulAdd(Vector512.Create(ar[5]), b0, c5);
            c6 = SimdOps.MulAdd(Vector512.Create(ar[6]), b0, c6);
            c7 = SimdOps.MulAdd(Vector512.Create(ar[7]), b0, c7);
        }

        AccumulateHalf(c, c0, subtract);
        AccumulateHalf(c + ldc, c1, subtract);
        AccumulateHalf(c + (2 * ldc), c2, subtract);
        AccumulateHalf(c + (3 * ldc), c3, subtract);
        AccumulateHalf(c + (4 * ldc), c4, subtract);
        AccumulateHalf(c + (5 * ldc), c5, subtract);
        AccumulateHalf(c + (6 * ldc), c6, subtract);
        AccumulateHalf(c + (7 * ldc), c7, subtract);
    }

    /// <summary>The edge tile: the first <paramref name="rows"/> rows of a tile, accumulated into C. Used where a full
    /// tile would mostly compute padding (the y row just past a whole number of MR rows costs a full MR-row tile in
    /// every micro-panel otherwise). Four k steps are interleaved so eight independent FMA chains hide the latency;
    /// per row it costs about 1.5× a row of the full tile, so it pays for up to MR/2 rows.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void RunPartial(nint kc, int rows, T** a, T* b, T* c, nint ldc)
    {
        nint nr = 2 * Vector512<T>.Count;
        nint h = Vector512<T>.Count;
        nint end = kc * nr;
        for (int r = 0; r < rows; r++)
        {
            T* ar = a[r];
            Vector512<T> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            nint o = 0;
            for (; o + (4 * nr) <= end; o += 4 * nr)
            {
                Vector512<T> x0 = Vector512.Create(ar[o]), x1 = Vector512.Create(ar[o + nr]);
                Vector512<T> x2 = Vector512.Create(ar[o + (2 * nr)]), x3 = Vector512.Create(ar[o + (3 * nr)]);
                s0 = SimdOps.MulAdd(x0, Vector512.Load(b + o), s0);
                s1 = SimdOps.MulAdd(x0, Vector512.Load(b + o + h), s1);
                s2 = SimdOps.MulAdd(x1, Vector512.Load(b + o + nr), s2);
                s3 = SimdOps.MulAdd(x1, Vector512.Load(b + o + nr + h), s3);
                s4 = SimdOps.MulAdd(x2, Vector512.Load(b + o + (2 * nr)), s4);
                s5 = SimdOps.MulAdd(x2, Vector512.Load(b + o + (2 * nr) + h), s5);
                s6 = SimdOps.MulAdd(x3, Vector512.Load(b + o + (3 * nr)), s6);
                s7 = SimdOps.MulAdd(x3, Vector512.Load(b + o + (3 * nr) + h), s7);
            }

            for (; o < end; o += nr)
            {
                Vector512<T> x = Vector512.Create(ar[o]);
                s0 = SimdOps.MulAdd(x, Vector512.Load(b + o), s0);
                s1 = SimdOps.MulAdd(x, Vector512.Load(b + o + h), s1);
            }

            T* cr = c + (r * ldc);
            (Vector512.Load(cr) + ((s0 + s2) + (s4 + s6))).Store(cr);
            (Vector512.Load(cr + h) + ((s1 + s3) + (s5 + s7))).Store(cr + h);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AccumulateHalf(T* row, Vector512<T> v, bool subtract)
        => (subtract ? Vector512.Load(row) - v : Vector512.Load(row) + v).Store(row);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(T* row, Vector512<T> lo, Vector512<T> hi, bool subtract)
    {
        if (subtract)
        {
            (Vector512.Load(row) - lo).Store(row);
            (Vector512.Load(row + Vector512<T>.Count) - hi).Store(row + Vector512<T>.Count);
        }
        else
        {
            (Vector512.Load(row) + lo).Store(row);
            (Vector512.Load(row + Vector512<T>.Count) + hi).Store(row + Vector512<T>.Count);
        }
    }
}
