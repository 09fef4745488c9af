using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace RidgeCore;

/// <summary>
/// What <see cref="KernelSelection"/> saw and chose: the CPU features the runtime reports, the widest family they allow,
/// the override in force (if any) and the family actually used. Print it in benchmark headers and bug reports.
/// </summary>
public sealed class KernelSelectionReport
{
    internal KernelSelectionReport(
        KernelFamily family,
        KernelFamily bestSupported,
        string? overrideRequest,
        bool fusedMultiplyAdd,
        IReadOnlyList<string> cpuFeatures,
        string reason)
    {
        Family = family;
        BestSupported = bestSupported;
        OverrideRequest = overrideRequest;
        FusedMultiplyAdd = fusedMultiplyAdd;
        CpuFeatures = cpuFeatures;
        Reason = reason;
    }

    /// <summary>The kernel family every RidgeCore kernel uses in this process.</summary>
    public KernelFamily Family { get; }

    /// <summary>The widest family this CPU and runtime configuration can run.</summary>
    public KernelFamily BestSupported { get; }

    /// <summary>The value of the <c>RIDGECORE_KERNEL</c> environment variable, or <see langword="null"/> when it is unset.</summary>
    public string? OverrideRequest { get; }

    /// <summary>Whether the chosen family's vector code uses hardware fused multiply-add (one rounding per a·b + c).</summary>
    public bool FusedMultiplyAdd { get; }

    /// <summary>The instruction-set features the runtime reports as usable (for example <c>Avx2</c>, <c>Fma</c>, <c>AdvSimd</c>).</summary>
    public IReadOnlyList<string> CpuFeatures { get; }

    /// <summary>One sentence saying why <see cref="Family"/> was chosen.</summary>
    public string Reason { get; }

    /// <summary>A short name for the chosen family and FMA state: <c>scalar</c>, <c>v128</c>, <c>v128fma</c>, <c>v256</c> or <c>v512</c>.</summary>
    public string TierName => KernelSelection.TierName(Family, FusedMultiplyAdd);

    /// <summary>A multi-line, human-readable report suitable for logs, benchmark headers and bug reports.</summary>
    /// <returns>The report text.</returns>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"RidgeCore kernel family: {Family} ({TierName})\n");
        sb.Append(CultureInfo.InvariantCulture, $"  best supported: {BestSupported}\n");
        sb.Append(CultureInfo.InvariantCulture, $"  RIDGECORE_KERNEL: {OverrideRequest ?? "(unset)"}\n");
        sb.Append(CultureInfo.InvariantCulture, $"  fused multiply-add: {(FusedMultiplyAdd ? "yes" : "no")}\n");
        sb.Append(CultureInfo.InvariantCulture, $"  cpu features: {(CpuFeatures.Count == 0 ? "(none)" : string.Join(' ', CpuFeatures))}\n");
        sb.Append(CultureInfo.InvariantCulture, $"  reason: {Reason}");
        return sb.ToString();
    }
}
