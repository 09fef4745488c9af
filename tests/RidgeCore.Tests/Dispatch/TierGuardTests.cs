using System;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Xunit;

namespace RidgeCore.Tests;

/// <summary>
/// Each CI tier run sets RIDGE_EXPECT_TIER to the tier its DOTNET_* knob should produce. .NET 10 silently ignores
/// some knobs (DOTNET_EnableFMA=0, for one), so without this guard a run could claim to test a tier it never ran.
/// </summary>
/// <remarks>Two checks, so a mistake in the library's own tier naming cannot hide a knob the runtime ignored: the
/// library's report, and the runtime's hardware flags read directly.</remarks>
public class TierGuardTests
{
    private static string? Expected
    {
        get
        {
            string? expected = Environment.GetEnvironmentVariable("RIDGE_EXPECT_TIER");
            return string.IsNullOrEmpty(expected) || expected == "any" ? null : expected;
        }
    }

    [Fact]
    public void Runtime_tier_matches_the_requested_tier()
    {
        if (Expected is null)
        {
            return;
        }

        AssertTier(KernelSelection.Report.TierName, "the library reports");
    }

    [Fact]
    public void Runtime_hardware_flags_match_the_requested_tier()
    {
        // Only meaningful when RIDGECORE_KERNEL does not narrow the family on purpose.
        if (Expected is null || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(KernelSelection.OverrideVariable)))
        {
            return;
        }

        string fromFlags =
            Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? "v512"
            : Vector256.IsHardwareAccelerated && Fma.IsSupported ? "v256"
            : Vector128.IsHardwareAccelerated ? (Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported ? "v128fma" : "v128")
            : "scalar";
        AssertTier(fromFlags, "the runtime's hardware flags give");
    }

    private static void AssertTier(string actual, string source)
    {
        if (actual != Expected)
        {
            throw new Xunit.Sdk.XunitException(
                $"Tier guard: RIDGE_EXPECT_TIER={Expected} but {source} '{actual}'. A DOTNET_* switch of this run was " +
                "ignored or means something else on this runtime, so this run does not test the tier it claims to.");
        }
    }
}
