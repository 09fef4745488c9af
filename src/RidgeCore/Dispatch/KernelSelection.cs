using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace RidgeCore;

/// <summary>
/// The one place where RidgeCore decides which SIMD kernel family runs. The decision is made once per process from
/// the runtime's JIT-constant <c>IsHardwareAccelerated</c> / <c>IsSupported</c> flags and the optional
/// <c>RIDGECORE_KERNEL</c> environment variable (<c>scalar</c>, <c>v128</c>, <c>v256</c> or <c>v512</c>), which forces a
/// narrower family for tests and benchmarks. Asking for a family the CPU cannot run is an error, never a silent fallback.
/// </summary>
public static class KernelSelection
{
    /// <summary>The name of the environment variable that forces a kernel family.</summary>
    public const string OverrideVariable = "RIDGECORE_KERNEL";

    /// <summary>The kernel family every RidgeCore kernel uses in this process.</summary>
    /// <exception cref="InvalidOperationException"><c>RIDGECORE_KERNEL</c> names an unknown family or one this CPU cannot run.</exception>
    public static KernelFamily Active => Unwrap(static () => Tier.Family);

    /// <summary>What was seen and chosen, and why.</summary>
    /// <exception cref="InvalidOperationException"><c>RIDGECORE_KERNEL</c> names an unknown family or one this CPU cannot run.</exception>
    public static KernelSelectionReport Report => Unwrap(static () => Tier.Report);

    // The choice is made in a static constructor, so a bad override surfaces as TypeInitializationException; callers of
    // the public API get the meaningful inner exception instead.
    private static TResult Unwrap<TResult>(Func<TResult> read)
    {
        try
        {
            return read();
        }
        catch (TypeInitializationException e) when (e.InnerException is InvalidOperationException inner)
        {
            throw new InvalidOperationException(inner.Message, e);
        }
    }

    /// <summary>The widest family the CPU and runtime configuration can run, ignoring any override.</summary>
    public static KernelFamily BestSupported
    {
        get
        {
            if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
            {
                return KernelFamily.Vector512;
            }

            // Vector256 without FMA (AVX without AVX2, for example) would halve the Gram kernel's throughput and change
            // its rounding; such CPUs run the 128-bit family instead.
            if (Vector256.IsHardwareAccelerated && Fma.IsSupported)
            {
                return KernelFamily.Vector256;
            }

            return Vector128.IsHardwareAccelerated ? KernelFamily.Vector128 : KernelFamily.Scalar;
        }
    }

    /// <summary>Parses a <c>RIDGECORE_KERNEL</c> value and checks it against what the CPU can run.</summary>
    /// <param name="request">The requested family name (case-insensitive), or <see langword="null"/> or empty for "best".</param>
    /// <param name="best">The widest family available.</param>
    /// <returns>The family to use.</returns>
    /// <exception cref="InvalidOperationException">The name is unknown, or names a family wider than <paramref name="best"/>.</exception>
    internal static KernelFamily Resolve(string? request, KernelFamily best)
    {
        if (string.IsNullOrWhiteSpace(request))
        {
            return best;
        }

        KernelFamily requested = request.Trim().ToUpperInvariant() switch
        {
            "SCALAR" => KernelFamily.Scalar,
            "V128" => KernelFamily.Vector128,
            "V256" => KernelFamily.Vector256,
            "V512" => KernelFamily.Vector512,
            _ => throw new InvalidOperationException(
                $"{OverrideVariable}='{request}' is not a kernel family; use scalar, v128, v256 or v512."),
        };

        if (requested > best)
        {
            throw new InvalidOperationException(
                $"{OverrideVariable}='{request}' asks for {requested}, but this CPU and runtime can run at most {best} " +
                $"({TierName(best, FusedMultiplyAddFor(best))}). RidgeCore never falls back silently: unset the variable or choose a narrower family.");
        }

        return requested;
    }

    /// <summary>Whether the vector code of <paramref name="family"/> uses hardware FMA on this machine.</summary>
    internal static bool FusedMultiplyAddFor(KernelFamily family) => family switch
    {
        KernelFamily.Scalar => false,
        KernelFamily.Vector128 => Fma.IsSupported || AdvSimd.IsSupported,
        _ => true,
    };

    internal static string TierName(KernelFamily family, bool fma) => family switch
    {
        KernelFamily.Scalar => "scalar",
        KernelFamily.Vector128 => fma ? "v128fma" : "v128",
        KernelFamily.Vector256 => "v256",
        _ => "v512",
    };

    internal static IReadOnlyList<string> DetectFeatures()
    {
        var features = new List<string>();
        void Add(bool supported, string name)
        {
            if (supported)
            {
                features.Add(name);
            }
        }

        Add(Sse2.IsSupported, "Sse2");
        Add(Sse42.IsSupported, "Sse42");
        Add(Avx.IsSupported, "Avx");
        Add(Avx2.IsSupported, "Avx2");
        Add(Fma.IsSupported, "Fma");
        Add(Avx512F.IsSupported, "Avx512F");
        Add(Avx512DQ.IsSupported, "Avx512DQ");
        Add(AdvSimd.IsSupported, "AdvSimd");
        Add(AdvSimd.Arm64.IsSupported, "AdvSimd.Arm64");
        Add(Vector128.IsHardwareAccelerated, "Vector128");
        Add(Vector256.IsHardwareAccelerated, "Vector256");
        Add(Vector512.IsHardwareAccelerated, "Vector512");
        return features;
    }
}
