using System;
using System.Collections.Generic;
using Xunit;

namespace RidgeCore.Tests.Harness;

/// <summary>
/// Asserts that a piece of work allocates nothing on the calling thread. A background tier-up can charge a one-off
/// runtime allocation to the thread (seen in CI: 1 360 B in one window, 0 in every other), so up to four windows of
/// <c>calls</c> calls are measured and one clean window passes; an allocation per call spoils every window.
/// </summary>
public static class AllocationAssert
{
    public static void None(Action work, int calls = 10, int warmup = 5)
    {
        for (int i = 0; i < warmup; i++)
        {
            work();
        }

        var windows = new List<long>(4);
        for (int attempt = 0; attempt < 4; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < calls; i++)
            {
                work();
            }

            windows.Add(GC.GetAllocatedBytesForCurrentThread() - before);
            if (windows[^1] == 0)
            {
                return;
            }
        }

        Assert.Fail($"bytes allocated per window of {calls} calls: {string.Join(", ", windows)}");
    }
}
