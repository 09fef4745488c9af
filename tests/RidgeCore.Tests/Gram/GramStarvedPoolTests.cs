using System;
using System.Threading;
using Xunit;

namespace RidgeCore.Tests.Gram;

/// <summary>Tests that take over the whole thread pool: they run alone, after the parallel collections.</summary>
[CollectionDefinition(nameof(WholeThreadPool), DisableParallelization = true)]
public sealed class WholeThreadPool
{
}

/// <summary>A striped Add and the accumulator's Dispose must not depend on the thread pool starting its helpers.</summary>
[Collection(nameof(WholeThreadPool))]
public class GramStarvedPoolTests
{
    /// <summary>
    /// Every pool thread is held (the pool capped at the processor count, that many work items blocked), so the helper a
    /// two-thread Add queues never starts. The Add must still finish on the calling thread with the one-thread bytes,
    /// and Dispose must return while the helper is still queued (it used to wait for the pool to start it).
    /// </summary>
    [Fact]
    public void A_striped_Add_and_Dispose_finish_while_the_pool_starts_nothing()
    {
        const int n = 40_000, p = 12;
        Assert.True(GramAccumulator.StripeCount(n, p + 1) >= 2, "a single stripe would queue no helper");
        GramProblem problem = GramProblem.Random(new GramCase(n, p, 1, 1, 0, WeightKind.Positive, GramMode.Centered, 10, 71), isFloat: false);
        byte[] expected;
        using (var single = new GramAccumulator(p, 1))
        {
            problem.AddTo(single);
            expected = GramPropertyTests.Serialized(single);
        }

        // The pool is capped a little above the threads it has (some may be busy with the test runner's own work) and
        // given more blockers than it can start: once it runs at its cap with blockers still waiting in its queue, no
        // thread is free, and any thread that frees up takes a waiting blocker before the helper queued after them.
        ThreadPool.GetMaxThreads(out int maxWorkers, out int maxIo);
        int cap = Math.Max(Environment.ProcessorCount, ThreadPool.ThreadCount + 2);
        Assert.True(ThreadPool.SetMaxThreads(cap, maxIo), $"the pool refused a cap of {cap} worker threads");

        // Not disposed: blockers the pool starts only after the test still wait on it.
        var release = new ManualResetEventSlim(false);
        int holding = 0;
        try
        {
            for (int i = 0; i < cap + 4; i++)
            {
                ThreadPool.UnsafeQueueUserWorkItem(
                    _ =>
                    {
                        Interlocked.Increment(ref holding);
                        release.Wait();
                    },
                    null);
            }

            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!(ThreadPool.ThreadCount >= cap && Volatile.Read(ref holding) >= 1 && ThreadPool.PendingWorkItemCount >= 2)
                && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                Thread.Sleep(10);
            }

            Assert.True(
                ThreadPool.ThreadCount >= cap && ThreadPool.PendingWorkItemCount >= 2,
                $"the pool was not saturated: {ThreadPool.ThreadCount} of {cap} threads, {holding} held, {ThreadPool.PendingWorkItemCount} waiting");

            byte[]? actual = null;
            Exception? error = null;
            var caller = new Thread(() =>
            {
                try
                {
                    var acc = new GramAccumulator(p, 1) { DegreeOfParallelism = 2 };
                    problem.AddTo(acc);
                    actual = GramPropertyTests.Serialized(acc);
                    acc.Dispose();
                }
                catch (Exception e)
                {
                    error = e;
                }
            });
            caller.Start();
            bool finished = caller.Join(TimeSpan.FromSeconds(20));

            // Free the pool before asserting, so a failure does not leave the caller waiting forever.
            release.Set();
            Assert.True(finished, "Add or Dispose waited for a helper the thread pool never started");
            caller.Join();
            Assert.Null(error);
            Assert.Equal(expected, actual);
        }
        finally
        {
            release.Set();
            ThreadPool.SetMaxThreads(maxWorkers, maxIo);
        }
    }
}
