namespace RidgeCore.Kernels.Gram;

/// <summary>
/// Cache-blocking parameters of the Gram engine, one row per kernel family (BLIS keeps the same kind of table in
/// <c>config/&lt;arch&gt;/bli_cntx_init_&lt;arch&gt;.c</c>). The micro-tile shape (MR×NR) lives with each kernel.
/// </summary>
internal readonly record struct GramBlocking(int KC, int MC, int FloatMergeRows)
{
    /// <summary>
    /// KC: rows of X packed per panel. 256 doubles × NR 8 = 16 KiB B micro-panel, half of Zen 3's 32 KiB L1d (BLIS zen3
    /// and OpenBLAS ZEN both use KC = 256). MC: rows of C per block, so that MC columns of the packed panel
    /// (72 × 256 × 8 B = 144 KiB) stay in the 512 KiB L2 while every B micro-panel passes (BLIS zen3: MC = 72).
    /// FloatMergeRows: rows whose float products are summed before merging into the double totals; 2048 keeps the
    /// float accumulation error near √2048 · 2⁻²⁴ ≈ 3e-6 relative while making the O(p²) merge about 0.1 % of the work.
    /// Measured on AMD EPYC Zen 3 (2 vCPU KVM, .NET 10.0.12); the other families reuse these values (not yet tuned on
    /// their own hardware).
    /// </summary>
    public static GramBlocking For(KernelFamily family) => family switch
    {
        KernelFamily.Scalar => new GramBlocking(KC: 256, MC: 64, FloatMergeRows: 2048),
        _ => new GramBlocking(KC: 256, MC: 72, FloatMergeRows: 2048),
    };
}
