using System;
using System.Linq;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using Xunit;

namespace RidgeCore.Tests.Dispatch;

/// <summary>
/// How RIDGECORE_KERNEL is parsed (<see cref="KernelSelection.Resolve"/>, tested directly so every family can play
/// "best"), and whether the process-wide report agrees with the runtime's own hardware flags.
/// </summary>
public class KernelSelectionTests
{
    public static TheoryData<KernelFamily> AllFamilies => [.. Enum.GetValues<KernelFamily>()];

    [Theory]
    [MemberData(nameof(AllFamilies))]
    public void No_request_means_the_best_family(KernelFamily best)
    {
        Assert.Equal(best, KernelSelection.Resolve(null, best));
        Assert.Equal(best, KernelSelection.Resolve("", best));
        Assert.Equal(best, KernelSelection.Resolve("  ", best));
    }

    [Theory]
    [InlineData("scalar", KernelFamily.Scalar)]
    [InlineData("SCALAR", KernelFamily.Scalar)]
    [InlineData("Scalar", KernelFamily.Scalar)]
    [InlineData("v128", KernelFamily.Vector128)]
    [InlineData("V128", KernelFamily.Vector128)]
    [InlineData(" v128 ", KernelFamily.Vector128)]
    [InlineData("v256", KernelFamily.Vector256)]
    [InlineData("V256", KernelFamily.Vector256)]
    [InlineData("v512", KernelFamily.Vector512)]
    [InlineData("V512\n", KernelFamily.Vector512)]
    public void Family_names_are_case_insensitive_and_trimmed(string request, KernelFamily expected)
    {
        Assert.Equal(expected, KernelSelection.Resolve(request, KernelFamily.Vector512));
    }

    [Theory]
    [InlineData("avx2")]
    [InlineData("v1024")]
    [InlineData("vector256")]
    [InlineData("128")]
    [InlineData("sse")]
    [InlineData("v 128")]
    public void Unknown_names_throw_and_say_what_is_allowed(string request)
    {
        var e = Assert.Throws<InvalidOperationException>(() => KernelSelection.Resolve(request, KernelFamily.Vector512));
        Assert.Contains(KernelSelection.OverrideVariable, e.Message, StringComparison.Ordinal);
        Assert.Contains(request, e.Message, StringComparison.Ordinal);
        Assert.Contains("scalar, v128, v256 or v512", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllFamilies))]
    public void Asking_for_a_family_wider_than_the_best_throws_and_narrower_is_granted(KernelFamily best)
    {
        string[] names = ["scalar", "v128", "v256", "v512"];
        foreach (KernelFamily requested in Enum.GetValues<KernelFamily>())
        {
            string name = names[(int)requested];
            if (requested > best)
            {
                var e = Assert.Throws<InvalidOperationException>(() => KernelSelection.Resolve(name, best));
                Assert.Contains(best.ToString(), e.Message, StringComparison.Ordinal);
                Assert.Contains(KernelSelection.OverrideVariable, e.Message, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(requested, KernelSelection.Resolve(name, best));
            }
        }
    }

    [Fact]
    public void Best_supported_follows_the_runtime_hardware_flags()
    {
        // Written out independently of the library: 512 needs AVX-512F, 256 needs FMA, else 128 if accelerated.
        KernelFamily expected =
            Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? KernelFamily.Vector512
            : Vector256.IsHardwareAccelerated && Fma.IsSupported ? KernelFamily.Vector256
            : Vector128.IsHardwareAccelerated ? KernelFamily.Vector128
            : KernelFamily.Scalar;
        Assert.Equal(expected, KernelSelection.BestSupported);
        Assert.Equal(expected, KernelSelection.Report.BestSupported);
    }

    [Fact]
    public void Report_is_consistent_with_the_active_family_the_override_and_the_hardware()
    {
        KernelSelectionReport report = KernelSelection.Report;
        string? request = Environment.GetEnvironmentVariable(KernelSelection.OverrideVariable);
        bool overridden = !string.IsNullOrWhiteSpace(request);

        Assert.Equal(KernelSelection.Active, report.Family);
        Assert.Equal(overridden ? request : null, report.OverrideRequest);
        Assert.Equal(overridden ? KernelSelection.Resolve(request, report.BestSupported) : report.BestSupported, report.Family);
        Assert.True(report.Family <= report.BestSupported);

        // The family can only be one the hardware accelerates.
        if (report.Family >= KernelFamily.Vector128)
        {
            Assert.True(Vector128.IsHardwareAccelerated);
        }

        if (report.Family >= KernelFamily.Vector256)
        {
            Assert.True(Vector256.IsHardwareAccelerated && Fma.IsSupported);
        }

        if (report.Family == KernelFamily.Vector512)
        {
            Assert.True(Vector512.IsHardwareAccelerated && Avx512F.IsSupported);
        }

        bool fma = report.Family != KernelFamily.Scalar && (Fma.IsSupported || AdvSimd.Arm64.IsSupported);
        Assert.Equal(fma, report.FusedMultiplyAdd);

        string tier = report.Family switch
        {
            KernelFamily.Scalar => "scalar",
            KernelFamily.Vector128 => fma ? "v128fma" : "v128",
            KernelFamily.Vector256 => "v256",
            _ => "v512",
        };
        Assert.Equal(tier, report.TierName);
        Assert.False(string.IsNullOrWhiteSpace(report.Reason));
    }

    [Fact]
    public void Reported_cpu_features_match_the_runtime_flags()
    {
        var features = KernelSelection.Report.CpuFeatures;
        Assert.Equal(Vector128.IsHardwareAccelerated, features.Contains("Vector128"));
        Assert.Equal(Vector256.IsHardwareAccelerated, features.Contains("Vector256"));
        Assert.Equal(Vector512.IsHardwareAccelerated, features.Contains("Vector512"));
        Assert.Equal(Avx2.IsSupported, features.Contains("Avx2"));
        Assert.Equal(Fma.IsSupported, features.Contains("Fma"));
        Assert.Equal(Avx512F.IsSupported, features.Contains("Avx512F"));
        Assert.Equal(AdvSimd.IsSupported, features.Contains("AdvSimd"));
    }

    [Fact]
    public void Report_text_names_the_tier_and_the_override_variable()
    {
        string text = KernelSelection.Report.ToString();
        Assert.Contains(KernelSelection.Report.TierName, text, StringComparison.Ordinal);
        Assert.Contains(KernelSelection.Report.Family.ToString(), text, StringComparison.Ordinal);
        Assert.Contains(KernelSelection.OverrideVariable, text, StringComparison.Ordinal);
    }
}
