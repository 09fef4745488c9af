using System;
using Xunit;

namespace RidgeCore.Tests;

/// <summary>
/// Each CI tier run sets RIDGE_EXPECT_TIER to the tier its DOTNET_* knob should produce. .NET 10 silently ignores
/// some knobs (DOTNET_EnableFMA=0, for one), so without this guard a run could claim to test a tier it never ran.
/// </summary>
public class TierGuardTests
{
    [Fact]
    public void Runtime_tier_matches_the_requested_tier()
    {
        string? expected = Environment.GetEnvironmentVariable("RIDGE_EXPECT_TIER");
        if (string.IsNullOrEmpty(expected) || expected == "any")
        {
            return;
        }

        Assert.Equal(expected, KernelSelection.Report.TierName);
    }
}
