using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RidgeCore;

/// <summary>
/// The process-wide kernel choice as <c>static readonly</c> state. Once this class is initialised, tier-1 JIT code
/// treats <see cref="Family"/> as a constant, so the <c>Use*</c> checks below fold away and each kernel compiles to the
/// one family that runs (together with the runtime's own <c>IsHardwareAccelerated</c> constants, which also remove code
/// paths the hardware cannot execute).
/// </summary>
internal static class Tier
{
    internal static readonly KernelFamily Family;
    internal static readonly KernelSelectionReport Report;

    static Tier()
    {
        KernelFamily best = KernelSelection.BestSupported;
        string? request = Environment.GetEnvironmentVariable(KernelSelection.OverrideVariable);
        Family = KernelSelection.Resolve(request, best);
        string reason = string.IsNullOrWhiteSpace(request)
            ? $"widest family the runtime accelerates ({best})"
            : $"forced by {KernelSelection.OverrideVariable}={request} (best supported: {best})";
        Report = new KernelSelectionReport(
            Family, best, string.IsNullOrWhiteSpace(request) ? null : request, KernelSelection.FusedMultiplyAddFor(Family),
            KernelSelection.DetectFeatures(), reason);
    }

    /// <summary>Use 512-bit kernels.</summary>
    internal static bool UseV512
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512.IsHardwareAccelerated && Family == KernelFamily.Vector512;
    }

    /// <summary>Use 256-bit kernels (with FMA).</summary>
    internal static bool UseV256
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.IsHardwareAccelerated && Family == KernelFamily.Vector256;
    }

    /// <summary>Use 128-bit kernels. True also in the wider tiers, for lengths too short for a wide vector.</summary>
    internal static bool UseV128
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128.IsHardwareAccelerated && Family >= KernelFamily.Vector128;
    }
}
