using System;
using System.Collections.Generic;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace RidgeCore.Tests.Gram;

/// <summary>
/// Gram statistics equal the naive reference within the bound of <see cref="GramAssert"/>, for random shapes that
/// cluster on every blocking edge (n from 0, p from 1 to 300, t from 1 to 4, padded strides, weights with zeros,
/// centered and uncentered, double and float).
/// </summary>
public class GramPropertyTests
{
    [Property(MaxTest = 100)]
    public Property Double_statistics_equal_the_naive_reference() =>
        Prop.ForAll(Arb.From(GramGenerators.Cases()), c => Check(c, isFloat: false));

    [Property(MaxTest = 100)]
    public Property Float_statistics_equal_the_double_reference_of_the_float_rounded_values() =>
        Prop.ForAll(Arb.From(GramGenerators.Cases()), c => Check(c, isFloat: true));

    [Property(MaxTest = 40)]
    public Property Any_split_into_batches_in_any_order_and_any_merge_tree_gives_the_same_statistics() =>
        Prop.ForAll(Arb.From(GramGenerators.Splits()), s => CheckSplit(s, isFloat: false));

    [Property(MaxTest = 40)]
    public Property Float_batches_in_any_order_and_any_merge_tree_give_the_same_statistics() =>
        Prop.ForAll(Arb.From(GramGenerators.Splits()), s => CheckSplit(s, isFloat: true));

    /// <summary>
    /// The tolerance is not vacuous: statistics of the same data with its most influential row left out (the row with
    /// the largest w·(z_a − μ_a)²/C_aa, which moves some C_aa by at least C_aa/n) are rejected, for double and float,
    /// even with Σw, the row count and the means copied from the full data so only the co-moments can give it away.
    /// Float cases stop at <see cref="MaxFloatRowsForOneRowDetection"/> rows: one row moves C_aa by about C_aa/n, and
    /// past some 10⁴ rows that is below float's own tolerance (4u_f·(264 + n/2048) ≈ 7e-5 relative), so no honest bound
    /// can tell the two apart (a generated case with n = 141 664 showed it).
    /// </summary>
    private const int MaxFloatRowsForOneRowDetection = 8192;

    [Property(MaxTest = 60)]
    public Property Comparison_rejects_statistics_with_one_row_missing() =>
        Prop.ForAll(
            Arb.From(from c in GramGenerators.Cases(GramGenerators.WorkBudget / 2).Where(c => c.N >= 2)
                     from isFloat in Gen.Elements(false, true)
                     where !isFloat || c.N <= MaxFloatRowsForOneRowDetection
                     select (c, isFloat)),
            ci =>
            {
                (GramCase c, bool isFloat) = ci;
                GramProblem pr = GramProblem.Random(c, isFloat);
                GramExpected full = GramReference.Compute(pr, c.Mode);
                int drop = MostInfluentialRow(pr, full);
                if (drop < 0)
                {
                    return; // every weight is 0: no row carries any statistic
                }

                GramProblem rest = GramProblem.Concat(pr.Slice(0, drop), pr.Slice(drop + 1, pr.N - drop - 1));
                GramStats partial = GramReference.Compute(rest, c.Mode).Stats;
                Assert.NotNull(GramAssert.FirstViolation(full, partial, isFloat));

                partial.Rows = full.Stats.Rows;
                partial.WeightSum = full.Stats.WeightSum;
                for (int a = 0; a < c.P + c.T; a++)
                {
                    partial.SetMean(a, full.Stats.Mean(a));
                }

                string? violation = GramAssert.FirstViolation(full, partial, isFloat);
                Assert.True(violation is not null && violation.StartsWith('C'), $"{c} float={isFloat}: {violation ?? "accepted"}");
            });

    internal static void Check(GramCase c, bool isFloat)
    {
        GramProblem pr = GramProblem.Random(c, isFloat);
        using var acc = new GramAccumulator(c.P, c.T, c.Mode);
        pr.AddTo(acc);
        GramStats got = GramStats.Of(acc);
        GramAssert.Symmetric(got);
        GramAssert.Close(GramReference.Compute(pr, c.Mode), got, isFloat, $"{c} float={isFloat}");
    }

    private static void CheckSplit(SplitCase s, bool isFloat)
    {
        GramCase c = s.Case;
        GramProblem pr = GramProblem.Random(c, isFloat);
        var rng = new Random(s.Seed);

        var cuts = new List<int> { 0, c.N };
        for (int i = 1; i < s.Batches; i++)
        {
            cuts.Add(rng.Next(c.N + 1));
        }

        cuts.Sort();
        int[] order = Shuffled(s.Batches, rng);
        var accs = new List<GramAccumulator>();
        try
        {
            for (int g = 0; g < s.Groups; g++)
            {
                accs.Add(new GramAccumulator(c.P, c.T, c.Mode));
            }

            var log = new List<string>();
            foreach (int b in order)
            {
                int g = rng.Next(s.Groups);
                pr.AddTo(accs[g], cuts[b], cuts[b + 1] - cuts[b]);
                log.Add($"rows[{cuts[b]}..{cuts[b + 1]})->acc{g}");
            }

            // Some partial accumulators travel through their binary form before they are merged.
            for (int g = 0; g < accs.Count; g++)
            {
                if (rng.Next(3) == 0)
                {
                    byte[] bytes = new byte[accs[g].GetSerializedSize()];
                    accs[g].Serialize(bytes);
                    accs[g].Dispose();
                    accs[g] = GramAccumulator.Deserialize(bytes);
                    log.Add($"acc{g} round-tripped");
                }
            }

            // A random merge tree: any two accumulators, either one absorbing the other.
            var names = new List<string>();
            for (int g = 0; g < accs.Count; g++)
            {
                names.Add($"acc{g}");
            }

            while (accs.Count > 1)
            {
                int i = rng.Next(accs.Count), j = rng.Next(accs.Count - 1);
                j += j >= i ? 1 : 0;
                byte[] before = Serialized(accs[j]);
                accs[i].Merge(accs[j]);
                GramAssert.SameBytes(before, Serialized(accs[j]), "the merged-in accumulator changed");
                names[i] = $"({names[i]}+{names[j]})";
                accs[j].Dispose();
                accs.RemoveAt(j);
                names.RemoveAt(j);
            }

            log.Add(names[0]);
            GramStats got = GramStats.Of(accs[0]);
            GramAssert.Symmetric(got);
            GramAssert.Close(
                GramReference.Compute(pr, c.Mode), got, isFloat, $"{s} float={isFloat} {string.Join(", ", log)}",
                extraMerges: s.Batches + s.Groups);
        }
        finally
        {
            foreach (GramAccumulator a in accs)
            {
                a.Dispose();
            }
        }
    }

    internal static byte[] Serialized(GramAccumulator acc)
    {
        byte[] bytes = new byte[acc.GetSerializedSize()];
        Assert.Equal(bytes.Length, acc.Serialize(bytes));
        return bytes;
    }

    private static int[] Shuffled(int count, Random rng)
    {
        int[] a = new int[count];
        for (int i = 0; i < count; i++)
        {
            a[i] = i;
        }

        for (int i = count - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (a[i], a[j]) = (a[j], a[i]);
        }

        return a;
    }

    private static int MostInfluentialRow(GramProblem pr, GramExpected full)
    {
        int best = -1;
        double bestInfluence = 0;
        int q = pr.Q;
        for (int i = 0; i < pr.N; i++)
        {
            double w = pr.Weight(i);
            for (int a = 0; a < q && w > 0; a++)
            {
                double d = pr.Z(i, a) - full.Stats.Mean(a);
                double caa = full.Stats.C(a, a);
                double influence = caa > 0 ? w * d * d / caa : 0;
                if (influence > bestInfluence)
                {
                    bestInfluence = influence;
                    best = i;
                }
            }
        }

        return best;
    }
}
