using System;
using Xunit;

namespace RidgeCore.Tests.Gram;

/// <summary>After warm-up, an Add allocates nothing on the managed heap (its buffers are native and sized once),
/// whatever the element type, weighting, mode or degree of parallelism.</summary>
public class GramAllocationTests
{
    [Theory]
    [InlineData(false, false, GramMode.Centered)]
    [InlineData(false, true, GramMode.Centered)]
    [InlineData(false, false, GramMode.Uncentered)]
    [InlineData(true, false, GramMode.Centered)]
    [InlineData(true, true, GramMode.Centered)]
    [InlineData(true, true, GramMode.Uncentered)]
    public void Add_of_a_1000_by_32_batch_allocates_nothing_after_warm_up(bool isFloat, bool weighted, GramMode mode)
        => AssertAddsAllocateNothing(1000, 32, isFloat, weighted, mode, degreeOfParallelism: 1);

    /// <summary>The same for a batch cut into stripes (40 000 × 20: four), on the calling thread, whether the stripes run
    /// on it alone or with thread-pool helpers (the helpers are work items made once; nothing per Add).</summary>
    [Theory]
    [InlineData(false, 1)]
    [InlineData(false, 3)]
    [InlineData(true, 2)]
    public void A_striped_Add_allocates_nothing_after_warm_up(bool isFloat, int degreeOfParallelism)
    {
        Assert.Equal(4, GramAccumulator.StripeCount(40000, 21));
        AssertAddsAllocateNothing(40000, 20, isFloat, weighted: true, GramMode.Centered, degreeOfParallelism);
    }

    private static void AssertAddsAllocateNothing(int n, int p, bool isFloat, bool weighted, GramMode mode, int degreeOfParallelism)
    {
        const int t = 1;
        GramProblem pr = GramProblem.Random(
            new GramCase(n, p, t, 0, 0, weighted ? WeightKind.Positive : WeightKind.None, mode, 10, 1), isFloat);
        using var acc = new GramAccumulator(p, t, mode) { DegreeOfParallelism = degreeOfParallelism };
        for (int i = 0; i < 3; i++)
        {
            pr.AddTo(acc); // warm-up: workspaces, snapshot buffers, JIT tiers
        }

        // A window of five Adds must allocate nothing. A one-off allocation on this thread that is not Add's own (seen
        // once in a full parallel run under load; runtime work such as a late JIT tier-up is the likely source) can
        // spoil one window, so up to four windows are tried; a per-call allocation spoils every one of them.
        var windows = new System.Collections.Generic.List<long>(4);
        for (int attempt = 0; attempt < 4; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 5; i++)
            {
                pr.AddTo(acc);
            }

            windows.Add(GC.GetAllocatedBytesForCurrentThread() - before);
            if (windows[^1] == 0)
            {
                break;
            }
        }

        Assert.True(windows[^1] == 0, $"bytes allocated by 5 Adds, per window: {string.Join(", ", windows)}");
        Assert.Equal((3 + (5 * windows.Count)) * n, acc.RowCount); // the loops really added the rows
    }
}
