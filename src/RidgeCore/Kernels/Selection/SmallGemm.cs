using System.Runtime.CompilerServices;
using RidgeCore.Kernels.Lanes;

namespace RidgeCore.Kernels.Selection;

/// <summary>
/// C = A·B for a block of rows: A is rows × k (row stride lda), B is k × n (row stride ldb) with n a multiple
/// of <see cref="PanelWidth"/>, C rows × n (row stride ldc). The λ-selection passes use it three times per block of
/// data rows: U = (X − 1x̄ᵀ)·(S·V), then (U∘U)·D and U·B for every λ at once, while the block is hot in L1/L2.
/// </summary>
/// <remarks>
/// The register tile is 8 rows × 2 registers with AVX-512, else 6 rows × 2 registers (twelve accumulators, two B
/// loads and one broadcast live: 15 of the 16 registers of AVX2 and SSE; see the comments in the body); rows left
/// over run as a 4 × 2 tile, then one at a time. Measured on Zen 3 (256 × 64 by 64 × 64, in L1/L2, one process,
/// alternating): 35.6 GFLOP/s with the 4 × 2 tile, 41.9 with the 6 × 2. B (at most p × p, 32 KiB at p = 64) stays
/// in L1 while the row tiles pass.
/// </remarks>
internal static unsafe class SmallGemm
{
    /// <summary>The column granularity n must be a multiple of: two registers of the active family.</summary>
    public static int PanelWidth
        => Tier.UseV512 ? 2 * V512Lanes.Count
         : Tier.UseV256 ? 2 * V256Lanes.Count
         : Tier.UseV128 ? 2 * V128Lanes.Count
         : 2;

    /// <summary>C = A·B.</summary>
    public static void Multiply(double* a, nint lda, double* b, nint ldb, double* c, nint ldc, int rows, int k, int n)
        => Run<PlainOperand>(a, lda, b, ldb, c, ldc, rows, k, n);

    /// <summary>C = (A∘A)·B: each A element squared as it is broadcast (the leverages Σₖ u²ᵢₖ/(Λₖ + λ) without
    /// materializing U∘U).</summary>
    public static void MultiplySquared(double* a, nint lda, double* b, nint ldb, double* c, nint ldc, int rows, int k, int n)
        => Run<SquaredOperand>(a, lda, b, ldb, c, ldc, rows, k, n);

    private static void Run<TOperand>(double* a, nint lda, double* b, nint ldb, double* c, nint ldc, int rows, int k, int n)
        where TOperand : struct, IGemmOperand
    {
        if (Tier.UseV512)
        {
            SmallGemm<V512Lanes, TOperand>.Multiply(a, lda, b, ldb, c, ldc, rows, k, n);
        }
        else if (Tier.UseV256)
        {
            SmallGemm<V256Lanes, TOperand>.Multiply(a, lda, b, ldb, c, ldc, rows, k, n);
        }
        else if (Tier.UseV128)
        {
            SmallGemm<V128Lanes, TOperand>.Multiply(a, lda, b, ldb, c, ldc, rows, k, n);
        }
        else
        {
            SmallGemm<ScalarLanes, TOperand>.Multiply(a, lda, b, ldb, c, ldc, rows, k, n);
        }
    }
}

/// <summary>How an A element enters the product (a JIT-time choice: each operand kind compiles its own kernel).</summary>
internal unsafe interface IGemmOperand
{
    static abstract double Load(double* a);
}

/// <summary>a as stored.</summary>
internal readonly unsafe struct PlainOperand : IGemmOperand
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Load(double* a) => *a;
}

/// <summary>a².</summary>
internal readonly unsafe struct SquaredOperand : IGemmOperand
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Load(double* a) => *a * *a;
}

/// <summary>The body of <see cref="SmallGemm"/> for one register width.</summary>
/// <typeparam name="TLanes">The width.</typeparam>
/// <typeparam name="TOperand">How A elements are read.</typeparam>
internal static unsafe class SmallGemm<TLanes, TOperand>
    where TLanes : struct, IDoubleLanes<TLanes>
    where TOperand : struct, IGemmOperand
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(double* a, nint lda, double* b, nint ldb, double* c, nint ldc, int rows, int k, int n)
    {
        nint w = TLanes.Count, nr = 2 * w;
        int r = 0;

        // 512-bit registers: 32 of them, so an 8 × 2 tile (16 accumulators, 2 B loads, 1 broadcast) fits and issues ten
        // loads per sixteen FMAs (the 4 × 2 tile: six per eight), which keeps both FMA ports busy. Narrower families have
        // 16 registers, where 16 accumulators would spill.
        if (TLanes.Count == 8)
        {
            for (; r + 8 <= rows; r += 8)
            {
                double* a0 = a + (r * lda);
                double* c0 = c + (r * ldc);
                for (nint j = 0; j < n; j += nr)
                {
                    Tile8(a0, lda, b + j, ldb, c0 + j, ldc, k);
                }
            }
        }

        // 16 registers (AVX2, SSE): a 6 × 2 tile, twelve accumulators, two B loads and one broadcast, the BLIS Haswell/Zen
        // shape. The 4 × 2 tile's eight accumulators only just cover two FMA pipes of latency four, and any stall shows:
        // on Zen 3 the leave-one-out pass (10⁵ × 64, 13 λ) spent a third of its time here at ~40 % of the FMA peak.
        // Every element of C is the same k-ordered chain of FMAs in every tile shape, so the results are the same bits.
        if (TLanes.Count != 8)
        {
            for (; r + 6 <= rows; r += 6)
            {
                double* a0 = a + (r * lda);
                double* c0 = c + (r * ldc);
                for (nint j = 0; j < n; j += nr)
                {
                    Tile6(a0, lda, b + j, ldb, c0 + j, ldc, k);
                }
            }
        }

        for (; r + 4 <= rows; r += 4)
        {
            double* a0 = a + (r * lda), a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
            double* c0 = c + (r * ldc);
            for (nint j = 0; j < n; j += nr)
            {
                Tile4(a0, a1, a2, a3, b + j, ldb, c0 + j, ldc, k);
            }
        }

        for (; r < rows; r++)
        {
            double* ar = a + (r * lda), cr = c + (r * ldc);
            for (nint j = 0; j < n; j += nr)
            {
                Tile1(ar, b + j, ldb, cr + j, k);
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile8(double* a, nint lda, double* b, nint ldb, double* c, nint ldc, int k)
    {
        nint w = TLanes.Count;
        double* a0 = a, a1 = a + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda, a6 = a5 + lda, a7 = a6 + lda;
        TLanes c00 = TLanes.Zero, c01 = TLanes.Zero, c10 = TLanes.Zero, c11 = TLanes.Zero;
        TLanes c20 = TLanes.Zero, c21 = TLanes.Zero, c30 = TLanes.Zero, c31 = TLanes.Zero;
        TLanes c40 = TLanes.Zero, c41 = TLanes.Zero, c50 = TLanes.Zero, c51 = TLanes.Zero;
        TLanes c60 = TLanes.Zero, c61 = TLanes.Zero, c70 = TLanes.Zero, c71 = TLanes.Zero;
        for (nint kk = 0; kk < k; kk++)
        {
            double* bk = b + (kk * ldb);
            TLanes b0 = TLanes.Load(bk), b1 = TLanes.Load(bk + w);
            TLanes x = TLanes.Broadcast(TOperand.Load(a0 + kk));
            c00 = TLanes.MulAdd(x, b0, c00);
            c01 = TLanes.MulAdd(x, b1, c01);
            x = TLanes.Broadcast(TOperand.Load(a1 + kk));
            c10 = TLanes.MulAdd(x, b0, c10);
            c11 = TLanes.MulAdd(x, b1, c11);
            x = TLanes.Broadcast(TOperand.Load(a2 + kk));
            c20 = TLanes.MulAdd(x, b0, c20);
            c21 = TLanes.MulAdd(x, b1, c21);
            x = TLanes.Broadcast(TOperand.Load(a3 + kk));
            c30 = TLanes.MulAdd(x, b0, c30);
            c31 = TLanes.MulAdd(x, b1, c31);
            x = TLanes.Broadcast(TOperand.Load(a4 + kk));
            c40 = TLanes.MulAdd(x, b0, c40);
            c41 = TLanes.MulAdd(x, b1, c41);
            x = TLanes.Broadcast(TOperand.Load(a5 + kk));
            c50 = TLanes.MulAdd(x, b0, c50);
            c51 = TLanes.MulAdd(x, b1, c51);
            x = TLanes.Broadcast(TOperand.Load(a6 + kk));
            c60 = TLanes.MulAdd(x, b0, c60);
            c61 = TLanes.MulAdd(x, b1, c61);
            x = TLanes.Broadcast(TOperand.Load(a7 + kk));
            c70 = TLanes.MulAdd(x, b0, c70);
            c71 = TLanes.MulAdd(x, b1, c71);
        }

        TLanes.Store(c, c00);
        TLanes.Store(c + w, c01);
        c += ldc;
        TLanes.Store(c, c10);
        TLanes.Store(c + w, c11);
        c += ldc;
        TLanes.Store(c, c20);
        TLanes.Store(c + w, c21);
        c += ldc;
        TLanes.Store(c, c30);
        TLanes.Store(c + w, c31);
        c += ldc;
        TLanes.Store(c, c40);
        TLanes.Store(c + w, c41);
        c += ldc;
        TLanes.Store(c, c50);
        TLanes.Store(c + w, c51);
        c += ldc;
        TLanes.Store(c, c60);
        TLanes.Store(c + w, c61);
        c += ldc;
        TLanes.Store(c, c70);
        TLanes.Store(c + w, c71);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile6(double* a, nint lda, double* b, nint ldb, double* c, nint ldc, int k)
    {
        nint w = TLanes.Count;
        double* a0 = a, a1 = a + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda;
        TLanes c00 = TLanes.Zero, c01 = TLanes.Zero, c10 = TLanes.Zero, c11 = TLanes.Zero;
        TLanes c20 = TLanes.Zero, c21 = TLanes.Zero, c30 = TLanes.Zero, c31 = TLanes.Zero;
        TLanes c40 = TLanes.Zero, c41 = TLanes.Zero, c50 = TLanes.Zero, c51 = TLanes.Zero;
        for (nint kk = 0; kk < k; kk++)
        {
            double* bk = b + (kk * ldb);
            TLanes b0 = TLanes.Load(bk), b1 = TLanes.Load(bk + w);
            TLanes x = TLanes.Broadcast(TOperand.Load(a0 + kk));
            c00 = TLanes.MulAdd(x, b0, c00);
            c01 = TLanes.MulAdd(x, b1, c01);
            x = TLanes.Broadcast(TOperand.Load(a1 + kk));
            c10 = TLanes.MulAdd(x, b0, c10);
            c11 = TLanes.MulAdd(x, b1, c11);
            x = TLanes.Broadcast(TOperand.Load(a2 + kk));
            c20 = TLanes.MulAdd(x, b0, c20);
            c21 = TLanes.MulAdd(x, b1, c21);
            x = TLanes.Broadcast(TOperand.Load(a3 + kk));
            c30 = TLanes.MulAdd(x, b0, c30);
            c31 = TLanes.MulAdd(x, b1, c31);
            x = TLanes.Broadcast(TOperand.Load(a4 + kk));
            c40 = TLanes.MulAdd(x, b0, c40);
            c41 = TLanes.MulAdd(x, b1, c41);
            x = TLanes.Broadcast(TOperand.Load(a5 + kk));
            c50 = TLanes.MulAdd(x, b0, c50);
            c51 = TLanes.MulAdd(x, b1, c51);
        }

        TLanes.Store(c, c00);
        TLanes.Store(c + w, c01);
        c += ldc;
        TLanes.Store(c, c10);
        TLanes.Store(c + w, c11);
        c += ldc;
        TLanes.Store(c, c20);
        TLanes.Store(c + w, c21);
        c += ldc;
        TLanes.Store(c, c30);
        TLanes.Store(c + w, c31);
        c += ldc;
        TLanes.Store(c, c40);
        TLanes.Store(c + w, c41);
        c += ldc;
        TLanes.Store(c, c50);
        TLanes.Store(c + w, c51);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile4(double* a0, double* a1, double* a2, double* a3, double* b, nint ldb, double* c, nint ldc, int k)
    {
        nint w = TLanes.Count;
        TLanes c00 = TLanes.Zero, c01 = TLanes.Zero, c10 = TLanes.Zero, c11 = TLanes.Zero;
        TLanes c20 = TLanes.Zero, c21 = TLanes.Zero, c30 = TLanes.Zero, c31 = TLanes.Zero;
        for (nint kk = 0; kk < k; kk++)
        {
            double* bk = b + (kk * ldb);
            TLanes b0 = TLanes.Load(bk), b1 = TLanes.Load(bk + w);
            TLanes x = TLanes.Broadcast(TOperand.Load(a0 + kk));
            c00 = TLanes.MulAdd(x, b0, c00);
            c01 = TLanes.MulAdd(x, b1, c01);
            x = TLanes.Broadcast(TOperand.Load(a1 + kk));
            c10 = TLanes.MulAdd(x, b0, c10);
            c11 = TLanes.MulAdd(x, b1, c11);
            x = TLanes.Broadcast(TOperand.Load(a2 + kk));
            c20 = TLanes.MulAdd(x, b0, c20);
            c21 = TLanes.MulAdd(x, b1, c21);
            x = TLanes.Broadcast(TOperand.Load(a3 + kk));
            c30 = TLanes.MulAdd(x, b0, c30);
            c31 = TLanes.MulAdd(x, b1, c31);
        }


        TLanes.Store(c, c00);
        TLanes.Store(c + w, c01);
        TLanes.Store(c + ldc, c10);
        TLanes.Store(c + ldc + w, c11);
        TLanes.Store(c + (2 * ldc), c20);
        TLanes.Store(c + (2 * ldc) + w, c21);
        TLanes.Store(c + (3 * ldc), c30);
        TLanes.Store(c + (3 * ldc) + w, c31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile1(double* a0, double* b, nint ldb, double* c, int k)
    {
        nint w = TLanes.Count;
        TLanes c00 = TLanes.Zero, c01 = TLanes.Zero;
        for (nint kk = 0; kk < k; kk++)
        {
            double* bk = b + (kk * ldb);
            TLanes x = TLanes.Broadcast(TOperand.Load(a0 + kk));
            c00 = TLanes.MulAdd(x, TLanes.Load(bk), c00);
            c01 = TLanes.MulAdd(x, TLanes.Load(bk + w), c01);
        }


        TLanes.Store(c, c00);
        TLanes.Store(c + w, c01);
    }
}
