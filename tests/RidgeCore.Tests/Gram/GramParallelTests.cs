using System.Collections.Generic;
using System;
using Xunit;

namespace RidgeCore.Tests.Gram;

/// <summary>Stripes: the thread count never changes a bit of the result.</summary>
public class GramParallelTests
{
    /// <summary>The stripe count is the documented function of n and q only (remarks of GramAccumulator).</summary>
    [Theory]
    [InlineData(0, 21, 1)]
    [InlineData(16383, 21, 1)]
    [InlineData(16384, 21, 2)]
    [InlineData(24575, 21, 2)]
    [InlineData(24576, 21, 3)]
    [InlineData(40000, 22, 4)]
    [InlineData(65536, 4, 8)]
    [InlineData(66000, 4, 8)]
    [InlineData(10_000_000, 4, 8)]
    [InlineData(40000, 1500, 3)] // 64 MiB / (8 · 1500²) = 3.7 stripes' worth of partial statistics
    [InlineData(40000, 3000, 1)]
    public void Stripe_count_depends_on_rows_and_columns_as_documented(long n, int q, int expected) =>
        Assert.Equal(expected, GramAccumulator.StripeCount(n, q));

    /// <summary>Stripes tile the batch: contiguous, starting on a chunk boundary (256 double rows, 2048 float rows), and
    /// balanced. Each boundary s·n/S is rounded down by less than one chunk, so two stripes differ by less than two
    /// chunks (StripeStart's comment says "at most one chunk": n = 40 000 float gives 8 192, 10 240, 10 240 and 11 328
    /// rows, a spread of 3 136 > 2 048; harmless, but the comment overstates it).</summary>
    [Theory]
    [InlineData(16384, 256)]
    [InlineData(40000, 256)]
    [InlineData(40000, 2048)]
    [InlineData(66000, 2048)]
    [InlineData(1_000_003, 256)]
    public void Stripes_tile_the_batch_on_chunk_boundaries_and_are_balanced(int n, int alignment)
    {
        int stripes = GramAccumulator.StripeCount(n, 5);
        Assert.True(stripes >= 2);
        Assert.Equal(0, GramAccumulator.StripeStart(0, stripes, n, alignment));
        Assert.Equal(n, GramAccumulator.StripeStart(stripes, stripes, n, alignment));
        int min = int.MaxValue, max = 0;
        for (int s = 0; s < stripes; s++)
        {
            int start = GramAccumulator.StripeStart(s, stripes, n, alignment), end = GramAccumulator.StripeStart(s + 1, stripes, n, alignment);
            Assert.True(start % alignment == 0 && end > start, $"stripe {s}: [{start}, {end})");
            min = Math.Min(min, end - start);
            max = Math.Max(max, end - start);
        }

        Assert.True(max - min < 2 * alignment, $"stripe sizes {min}..{max} differ by two chunks of {alignment} or more");
    }

    /// <summary>
    /// DegreeOfParallelism 1, 2, 3 and 8 give the same bytes, on an accumulator that already holds a batch (so the
    /// stripe root joins non-empty totals), for batches of 4 and 8 stripes (3 threads over 4 or 8 stripes is uneven).
    /// The 40 000-row case is also checked against the reference, so identical-but-wrong cannot pass.
    /// </summary>
    [Theory]
    [InlineData(false, 40000, 20, 2, GramMode.Centered)]
    [InlineData(true, 40000, 20, 2, GramMode.Centered)]
    [InlineData(false, 40000, 20, 2, GramMode.Uncentered)]
    [InlineData(false, 66000, 3, 1, GramMode.Centered)]
    [InlineData(true, 66000, 3, 1, GramMode.Centered)]
    public void Results_are_bitwise_identical_for_any_degree_of_parallelism(bool isFloat, int n, int p, int t, GramMode mode)
    {
        int stripes = GramAccumulator.StripeCount(n, p + t);
        Assert.True(stripes >= 4, $"only {stripes} stripes: the test would not exercise parallel stripes");
        GramProblem head = GramProblem.Random(new GramCase(300, p, t, 1, 0, WeightKind.Positive, mode, 10, 1), isFloat);
        GramProblem big = GramProblem.Random(new GramCase(n, p, t, 1, 0, WeightKind.WithZeros, mode, 10, n + p), isFloat);

        byte[]? baseline = null;
        foreach (int dop in new[] { 1, 2, 3, 8 })
        {
            using var acc = new GramAccumulator(p, t, mode) { DegreeOfParallelism = dop };
            Assert.Equal(dop, acc.DegreeOfParallelism);
            head.AddTo(acc);
            big.AddTo(acc);
            byte[] bytes = GramPropertyTests.Serialized(acc);
            if (baseline is null)
            {
                baseline = bytes;
                if (n <= 40000)
                {
                    GramAssert.Close(
                        GramReference.Compute(GramProblem.Concat(head, big), mode), GramStats.Of(acc), isFloat,
                        $"n={n} p={p} t={t} {mode}", extraMerges: stripes + 1);
                }
            }
            else
            {
                Assert.True(baseline.AsSpan().SequenceEqual(bytes), $"DegreeOfParallelism={dop} differs from 1 ({mode}, float={isFloat})");
            }
        }
    }

    /// <summary>
    /// One accumulator, many parallel Adds in a row: each Add queues its helpers again (they must be idle by then, or
    /// the Add runs with fewer of them), and the merge tree, which runs as stripes finish on whichever thread
    /// completes a pair, must give bitwise what one thread gives after every Add. A failed Add in the middle leaves
    /// the helpers usable. Five Adds of 4 stripes each, for 1, 2, 3 and 8 threads.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Repeated_parallel_Adds_stay_bitwise_identical_to_one_thread(bool isFloat)
    {
        const int n = 33000, p = 7, t = 2;
        Assert.Equal(4, GramAccumulator.StripeCount(n, p + t));
        GramProblem big = GramProblem.Random(new GramCase(n, p, t, 1, 0, WeightKind.Positive, GramMode.Centered, 10, 5), isFloat);
        GramProblem bad = GramProblem.Random(new GramCase(n, p, t, 1, 0, WeightKind.Positive, GramMode.Centered, 10, 6), isFloat);
        bad.Poison(false, n - 5, 2, double.NaN); // in the last stripe
        List<byte[]>? baseline = null;
        foreach (int dop in new[] { 1, 2, 3, 8 })
        {
            using var acc = new GramAccumulator(p, t) { DegreeOfParallelism = dop };
            var states = new List<byte[]>();
            for (int k = 0; k < 5; k++)
            {
                big.AddTo(acc);
                if (k == 2)
                {
                    Assert.Throws<InvalidValueException>(() => bad.AddTo(acc));
                }

                states.Add(GramPropertyTests.Serialized(acc));
            }

            Assert.Equal(5L * n, acc.RowCount);
            if (baseline is null)
            {
                baseline = states;
                continue;
            }

            for (int k = 0; k < 5; k++)
            {
                Assert.True(baseline[k].AsSpan().SequenceEqual(states[k]), $"DegreeOfParallelism={dop}, Add {k + 1}: differs from one thread (float={isFloat})");
            }
        }
    }

    [Fact]
    public void DegreeOfParallelism_below_one_is_rejected()
    {
        using var acc = new GramAccumulator(2);
        Assert.Throws<ArgumentOutOfRangeException>(() => acc.DegreeOfParallelism = 0);
        Assert.Equal(1, acc.DegreeOfParallelism);
    }
}
