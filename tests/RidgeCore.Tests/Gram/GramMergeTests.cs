using System;
using Xunit;

namespace RidgeCore.Tests.Gram;

/// <summary>Merge: shape checks, the merged-in accumulator left alone, identities and self-merge.</summary>
public class GramMergeTests
{
    [Theory]
    [InlineData(4, 2, GramMode.Centered, 5, 2, GramMode.Centered)]
    [InlineData(4, 2, GramMode.Centered, 3, 2, GramMode.Centered)]
    [InlineData(4, 2, GramMode.Centered, 4, 1, GramMode.Centered)]
    [InlineData(4, 2, GramMode.Centered, 4, 3, GramMode.Centered)]
    [InlineData(4, 2, GramMode.Centered, 4, 2, GramMode.Uncentered)]
    [InlineData(4, 2, GramMode.Uncentered, 4, 2, GramMode.Centered)]
    [InlineData(5, 1, GramMode.Centered, 4, 2, GramMode.Centered)] // same q = p + t, different split
    public void Merging_a_different_shape_or_mode_throws_and_changes_nothing(int p1, int t1, GramMode m1, int p2, int t2, GramMode m2)
    {
        using var a = new GramAccumulator(p1, t1, m1);
        using var b = new GramAccumulator(p2, t2, m2);
        GramProblem.Random(new GramCase(30, p1, t1, 0, 0, WeightKind.None, m1, 5, 1), false).AddTo(a);
        GramProblem.Random(new GramCase(30, p2, t2, 0, 0, WeightKind.None, m2, 5, 2), false).AddTo(b);
        byte[] beforeA = GramPropertyTests.Serialized(a), beforeB = GramPropertyTests.Serialized(b);
        var e = Assert.Throws<ArgumentException>(() => a.Merge(b));
        Assert.Equal("other", e.ParamName);
        GramAssert.SameBytes(beforeA, GramPropertyTests.Serialized(a), "a changed");
        GramAssert.SameBytes(beforeB, GramPropertyTests.Serialized(b), "b changed");
    }

    [Fact]
    public void Merging_null_throws_ArgumentNullException()
    {
        using var a = new GramAccumulator(2);
        Assert.Equal("other", Assert.Throws<ArgumentNullException>(() => a.Merge(null!)).ParamName);
    }

    /// <summary>Merging an empty accumulator in (either direction) gives the other's statistics, bit for bit.</summary>
    [Theory]
    [InlineData(GramMode.Centered, false)]
    [InlineData(GramMode.Centered, true)]
    [InlineData(GramMode.Uncentered, false)]
    public void Merging_with_an_empty_accumulator_is_the_identity(GramMode mode, bool isFloat)
    {
        GramProblem pr = GramProblem.Random(new GramCase(700, 6, 2, 0, 0, WeightKind.Positive, mode, 50, 3), isFloat);
        using var full = new GramAccumulator(6, 2, mode);
        pr.AddTo(full);
        GramStats expected = GramStats.Of(full);

        using var empty = new GramAccumulator(6, 2, mode);
        full.Merge(empty);
        GramAssert.BitwiseEqual(expected, GramStats.Of(full), "full.Merge(empty)");

        using var target = new GramAccumulator(6, 2, mode);
        target.Merge(full);
        GramAssert.BitwiseEqual(expected, GramStats.Of(target), "empty.Merge(full)");
    }

    /// <summary>
    /// a.Merge(a) folds a's statistics into themselves: the result is the statistics of the data taken twice (Σw and
    /// the co-moments double, the means stay). Checked against the reference of the data concatenated with itself.
    /// </summary>
    [Theory]
    [InlineData(GramMode.Centered, false)]
    [InlineData(GramMode.Centered, true)]
    [InlineData(GramMode.Uncentered, false)]
    public void Merging_an_accumulator_into_itself_doubles_the_data(GramMode mode, bool isFloat)
    {
        GramProblem pr = GramProblem.Random(new GramCase(300, 4, 2, 0, 0, WeightKind.Positive, mode, 10, 9), isFloat);
        using var acc = new GramAccumulator(4, 2, mode);
        pr.AddTo(acc);
        acc.Merge(acc);
        GramAssert.Close(
            GramReference.Compute(GramProblem.Concat(pr, pr), mode), GramStats.Of(acc), isFloat, $"self-merge {mode}", extraMerges: 2);
    }

    /// <summary>Merging two halves gives the same statistics as one Add, for data far from the origin (the Chan update
    /// must use the difference of means, not raw sums).</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Two_halves_merged_equal_one_batch(bool isFloat)
    {
        GramProblem pr = GramProblem.Random(new GramCase(3000, 7, 3, 2, 1, WeightKind.WithZeros, GramMode.Centered, 100, 21), isFloat);
        using var whole = new GramAccumulator(7, 3);
        pr.AddTo(whole);
        using var left = new GramAccumulator(7, 3);
        using var right = new GramAccumulator(7, 3);
        pr.AddTo(left, 0, 1234);
        pr.AddTo(right, 1234, 3000 - 1234);
        right.Merge(left);
        GramExpected reference = GramReference.Compute(pr, GramMode.Centered);
        GramAssert.Close(reference, GramStats.Of(whole), isFloat, "one batch");
        GramAssert.Close(reference, GramStats.Of(right), isFloat, "right.Merge(left)", extraMerges: 2);
    }
}
