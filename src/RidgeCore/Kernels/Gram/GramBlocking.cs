namespace RidgeCore.Kernels.Gram;

/// <summary>
/// Cache-blocking parameters of the Gram engine, one row per kernel family (BLIS keeps the same kind of table in
/// <c>config/&lt;arch&gt;/bli_cntx_init_&lt;arch&gt;.c</c>). The micro-tile shape (MR×NR) lives with each kernel.
/// </summary>
/// <param name="KC">Rows of X packed per panel (the k depth of one macro-kernel call).</param>
/// <param name="MC">Rows of C per block: MC columns of the packed panel stay in L2 while every B micro-panel passes.</param>
/// <param name="FloatMergeRows">Rows whose float products are summed before they are merged into the double totals.</param>
internal readonly record struct GramBlocking(int KC, int MC, int FloatMergeRows)
{
    /// <summary>
    /// KC = 256: a B micro-panel of 256 × NR values is 16 KiB (AVX2 double) or 32 KiB (AVX-512 double), within L1d
    /// (BLIS zen3 and OpenBLAS ZEN use KC = 256). MC = 72 (AVX2, a multiple of MR = 6) or 64 (AVX-512, MR = 8):
    /// MC × 256 × 8 B ≈ 144 KiB stays in L2. FloatMergeRows = 2048 keeps float accumulation error near √2048 · 2⁻²⁴
    /// ≈ 3e-6 relative while the O(q²) merge into double stays about 0.1 % of the work.
    /// Where measured: AMD EPYC (Zen 5, family 26, AVX-512, 2 vCPU KVM), .NET 10.0.12; the AVX2 row again on AMD EPYC
    /// Milan (Zen 3, family 25, 2 vCPU KVM, 32 KiB L1d, 512 KiB L2): KC 128/160/192/256/320 with MC 48/72/144/288 all
    /// within the noise of one another at p = 256 and 1024 (alternating in one process), so the values stay.
    /// The scalar and 128-bit families reuse the AVX2 values; they exist for portability, not peak speed.
    /// </summary>
    public static GramBlocking For(KernelFamily family) => family switch
    {
        KernelFamily.Vector512 => new GramBlocking(KC: 256, MC: 64, FloatMergeRows: 2048),
        KernelFamily.Scalar => new GramBlocking(KC: 256, MC: 64, FloatMergeRows: 2048),
        _ => new GramBlocking(KC: 256, MC: 72, FloatMergeRows: 2048),
    };
}
