namespace RidgeCore.Factorizations;

/// <summary>
/// Blocking parameters of the packed Cholesky factorization, one row per kernel family (the micro-tile shape MR × NR
/// comes from the family's Gram tile). See <see cref="BlockedCholesky"/> for the algorithm they steer.
/// </summary>
/// <param name="LeftLookingWidth">Column blocks at most this wide (a multiple of MR) are factored left-looking, leaf
/// by leaf; wider blocks split in two (recursive, right-looking).</param>
/// <param name="KC">The most packed rows (k depth) one pass of the trailing update multiplies: a B micro-panel of
/// KC × NR values stays in L1.</param>
/// <param name="MC">Matrix columns (C rows of the tile) per block of the trailing update, a multiple of MR: their KC-deep
/// A operands stay in L2 while every micro-panel below passes.</param>
internal readonly record struct CholeskyBlocking(int LeftLookingWidth, int KC, int MC)
{
    /// <summary>
    /// The table. KC = 256 keeps a B micro-panel at 32 KiB (AVX-512 double) or 16 KiB (AVX2), inside the 48/32 KiB L1d;
    /// MC × KC × 8 B = 256 KiB (MC = 128) or 240 KiB (MC = 120) of A operands stays in the 1 MiB / 512 KiB L2.
    /// LeftLookingWidth = 4·MR: narrower blocks make the recursion's updates short (k = MR) for a tile call; wider
    /// ones stream the whole column block once per leaf.
    /// Where measured: AMD EPYC (Zen 5, family 26, AVX-512), 2 vCPU KVM shared with other jobs, .NET 10.0.12, interleaved
    /// best-of-9. With AVX-512 every variant tried (LeftLookingWidth 16/32/64, MC 64/128/256, KC 128…512) came within
    /// ±2 % of the others at p = 1024 and 2048 (91–94 GFLOP/s, about 85 % of the 110 GFLOP/s FMA probe) and within the
    /// noise (±3 %) at p = 128 and 512; the values kept are the Gram engine's. AVX2 (DOTNET_EnableAVX512=0) was equally
    /// flat except LeftLookingWidth 48 and MC 48, which lost 15–20 % at p = 1024.
    /// The scalar and 128-bit rows exist for portability, not peak speed.
    /// </summary>
    public static CholeskyBlocking For(KernelFamily family) => family switch
    {
        KernelFamily.Vector512 => new CholeskyBlocking(LeftLookingWidth: 32, KC: 256, MC: 128),
        KernelFamily.Vector256 => new CholeskyBlocking(LeftLookingWidth: 24, KC: 256, MC: 120),
        KernelFamily.Vector128 => new CholeskyBlocking(LeftLookingWidth: 24, KC: 256, MC: 120),
        _ => new CholeskyBlocking(LeftLookingWidth: 16, KC: 256, MC: 64),
    };
}
