using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;

namespace RidgeCore.Tests.Gram;

/// <summary>
/// FsCheck generators for Gram problems. A case is a shape plus a seed (the data are drawn from the seed), so a
/// failure prints a small record that reproduces it exactly.
/// </summary>
public static class GramGenerators
{
    /// <summary>
    /// Feature counts around every blocking edge of every tier: MR = 8 (V512), 6 (V256, V128) and 4 (scalar); NR
    /// (float/double) = 32/16 (V512), 16/8 (V256), 8/4 (V128), 4/4 (scalar); MC = 64 (V512, scalar) and 72 (V256,
    /// V128), and their multiples; plus the 300 upper end. With t = 1..4 added, q = p + t sweeps each edge from several
    /// sides.
    /// </summary>
    public static readonly int[] FeatureEdges =
    [
        1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 15, 16, 17, 23, 24, 25, 31, 32, 33, 35, 36, 37, 47, 48, 49,
        63, 64, 65, 71, 72, 73, 95, 96, 97, 127, 128, 129, 143, 144, 145, 191, 192, 193, 215, 216, 217, 299, 300,
    ];

    /// <summary>Row counts around KC = 256 (double chunk), the 2048-row float merge block and their multiples.</summary>
    public static readonly int[] RowEdges =
    [
        0, 1, 2, 3, 5, 6, 7, 8, 9, 17, 255, 256, 257, 511, 512, 513, 767, 768, 769, 1023, 1024, 1025,
        2047, 2048, 2049, 2303, 2304, 2305, 4095, 4096, 4097, 6143, 6144, 6145,
    ];

    /// <summary>n·q² stays at or under this, so the O(n·q²) reference keeps each case to a few milliseconds.</summary>
    public const long WorkBudget = 1_200_000;

    public static Gen<int> Features =>
        Gen.Frequency((3, Gen.Elements(FeatureEdges)), (1, Gen.Choose(1, 300)));

    public static Gen<int> RowsFor(int q, long budget)
    {
        int max = (int)Math.Max(1, budget / ((long)q * q));
        int[] edges = [.. RowEdges.Where(n => n <= max)];
        return Gen.Frequency(
            (3, Gen.Elements(edges)),
            (2, Gen.Choose(0, Math.Min(max, 600))),
            (1, Gen.Choose(0, max)));
    }

    public static Gen<WeightKind> Weights =>
        Gen.Frequency(
            (4, Gen.Constant(WeightKind.None)),
            (1, Gen.Constant(WeightKind.Ones)),
            (3, Gen.Constant(WeightKind.Positive)),
            (3, Gen.Constant(WeightKind.WithZeros)),
            (1, Gen.Constant(WeightKind.Integers)),
            (1, Gen.Constant(WeightKind.ZeroPrefix)),
            (1, Gen.Constant(WeightKind.ZeroRuns)),
            (1, Gen.Constant(WeightKind.AllZero)));

    public static Gen<int> Padding => Gen.Frequency((2, Gen.Constant(0)), (1, Gen.Choose(1, 9)));

    public static Gen<GramCase> Cases(long budget = WorkBudget) =>
        from p in Features
        from t in Gen.Choose(1, 4)
        from n in RowsFor(p + t, budget)
        from xPad in Padding
        from yPad in Padding
        from weights in Weights
        from mode in Gen.Elements(GramMode.Centered, GramMode.Uncentered)
        from offset in Gen.Elements(0.0, 1.0, 10.0, 100.0)
        from seed in Gen.Choose(0, int.MaxValue)
        select new GramCase(n, p, t, xPad, yPad, weights, mode, offset, seed);

    /// <summary>A case plus how to cut it into batches and combine them.</summary>
    public static Gen<SplitCase> Splits(long budget = WorkBudget / 2) =>
        from c in Cases(budget)
        from batches in Gen.Choose(1, 8)
        from groups in Gen.Choose(1, batches)
        from seed in Gen.Choose(0, int.MaxValue)
        select new SplitCase(c, batches, groups, seed);
}

/// <summary>
/// Cut a case's rows into <paramref name="Batches"/> contiguous batches (empty ones allowed), deal them out to
/// <paramref name="Groups"/> accumulators in a shuffled order, then merge the accumulators in a random tree.
/// </summary>
public sealed record SplitCase(GramCase Case, int Batches, int Groups, int Seed);
