using System;

namespace RidgeCore.Benchmarks.Infrastructure;

/// <summary>
/// Makes sure a tier job really runs the tier it is named after. The runtime silently ignores a knob it does not know
/// (<c>DOTNET_EnableFMA=0</c> in .NET 10, a misspelled or lower-case name on Linux), and a benchmark that quietly ran
/// the best tier under the label "Scalar" would be worse than none. Each tier job sets
/// <see cref="ExpectedTierVariable"/>; every benchmark's <c>[GlobalSetup]</c> calls <see cref="Check"/>.
/// </summary>
public static class TierGuard
{
    /// <summary>The environment variable holding the expected <see cref="KernelSelectionReport.TierName"/>.</summary>
    public const string ExpectedTierVariable = "RIDGECORE_BENCH_EXPECT_TIER";

    /// <summary>Throws when the expected tier is set and differs from the one RidgeCore chose in this process.</summary>
    /// <exception cref="InvalidOperationException">The tiers differ.</exception>
    public static void Check()
    {
        string? expected = Environment.GetEnvironmentVariable(ExpectedTierVariable);
        if (string.IsNullOrEmpty(expected))
        {
            return;
        }

        KernelSelectionReport report = KernelSelection.Report;
        if (!string.Equals(expected, report.TierName, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"This job expects RidgeCore tier '{expected}' but the process runs '{report.TierName}': the runtime ignored a knob.\n{report}");
        }
    }
}
