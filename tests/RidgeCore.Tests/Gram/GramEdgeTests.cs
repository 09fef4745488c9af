using System;
using Xunit;

namespace RidgeCore.Tests.Gram;

/// <summary>
/// Exhaustive tables around the blocking edges, beside the random properties: every feature count of
/// <see cref="GramGenerators.FeatureEdges"/> with every t = 1..4 (so q crosses each MR, NR and MC edge of every tier),
/// and every row count of <see cref="GramGenerators.RowEdges"/> (KC and float merge-block edges and their multiples).
/// </summary>
public class GramEdgeTests
{
    public static TheoryData<int> FeatureEdgeData => new(GramGenerators.FeatureEdges);

    public static TheoryData<int> RowEdgeData => new([.. GramGenerators.RowEdges, 8191, 8192, 8193, 16383]);

    [Theory]
    [MemberData(nameof(FeatureEdgeData))]
    public void Every_tile_edge_shape_equals_the_reference(int p)
    {
        // Row counts do not interact with the tile edges: each (t, mode, type) combination gets one small row count,
        // alternating odd and even, which keeps the O(n·q²) reference cheap at p = 300.
        int seed = p * 7919;
        for (int t = 1; t <= 4; t++)
        {
            foreach (GramMode mode in new[] { GramMode.Centered, GramMode.Uncentered })
            {
                foreach (bool isFloat in new[] { false, true })
                {
                    int n = (seed & 1) == 0 ? (p > 100 ? 1 : 3) : (p > 100 ? 13 : 29);
                    WeightKind w = (seed & 2) == 0 ? WeightKind.None : WeightKind.WithZeros;
                    var c = new GramCase(n, p, t, seed % 3, (seed / 3) % 2, w, mode, 10, seed++);
                    GramPropertyTests.Check(c, isFloat);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(RowEdgeData))]
    public void Every_chunk_edge_row_count_equals_the_reference(int n)
    {
        int seed = n * 31;
        WeightKind[] kinds = [WeightKind.None, WeightKind.WithZeros, WeightKind.ZeroRuns];
        foreach ((int p, int t) in new[] { (1, 1), (5, 2) })
        {
            foreach (GramMode mode in new[] { GramMode.Centered, GramMode.Uncentered })
            {
                foreach (bool isFloat in new[] { false, true })
                {
                    var c = new GramCase(n, p, t, 1, 0, kinds[seed % 3], mode, 100, seed++);
                    GramPropertyTests.Check(c, isFloat);
                }
            }
        }
    }

    /// <summary>
    /// Several chunks of rows with q beyond one MC block of C: the random cases cannot reach this corner within their
    /// work budget (n > 256 forces q ≤ 68), yet it is where the double kernel's extra Chan row meets row blocks of C
    /// other than the first, and where the float product block spans several MC blocks.
    /// </summary>
    [Theory]
    [InlineData(false, 513, 73, 1)]
    [InlineData(false, 300, 145, 4)]
    [InlineData(false, 260, 299, 2)]
    [InlineData(true, 2100, 71, 3)]
    [InlineData(true, 4097, 40, 1)]
    [InlineData(false, 1000, 32, 1)] // q = 8m + 1: the AVX-512 tile takes the y row as a ninth row, also in the downdates
    [InlineData(false, 700, 64, 1)]
    [InlineData(true, 2300, 24, 1)]
    public void Multi_chunk_batches_wider_than_one_block_of_C_equal_the_reference(bool isFloat, int n, int p, int t)
    {
        foreach (GramMode mode in new[] { GramMode.Centered, GramMode.Uncentered })
        {
            GramPropertyTests.Check(new GramCase(n, p, t, 1, 1, WeightKind.WithZeros, mode, 100, n + p + t), isFloat);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Adding_no_rows_changes_nothing(bool isFloat)
    {
        using var acc = new GramAccumulator(5, 2);
        GramProblem.Random(new GramCase(300, 5, 2, 0, 0, WeightKind.Positive, GramMode.Centered, 10, 1), isFloat).AddTo(acc);
        byte[] before = GramPropertyTests.Serialized(acc);
        GramProblem empty = GramProblem.Random(new GramCase(0, 5, 2, 0, 0, WeightKind.Positive, GramMode.Centered, 10, 2), isFloat);
        empty.AddTo(acc);
        GramProblem.Random(new GramCase(0, 5, 2, 0, 0, WeightKind.None, GramMode.Centered, 10, 2), isFloat).AddTo(acc);
        GramAssert.SameBytes(before, GramPropertyTests.Serialized(acc), "acc changed");

        using var fresh = new GramAccumulator(5, 2);
        empty.AddTo(fresh);
        Assert.Equal(0, fresh.RowCount);
        Assert.Equal(0, fresh.WeightSum);
        GramStats s = GramStats.Of(fresh);
        Assert.All(s.Cxx, v => Assert.Equal(0, v));
        Assert.All(s.MeanX, v => Assert.Equal(0, v));
    }

    /// <summary>All-zero weights: rows are counted, Σw = 0, and means and co-moments stay exactly 0 (not NaN from 0/0).</summary>
    [Theory]
    [InlineData(false, 10)]
    [InlineData(false, 700)]
    [InlineData(true, 10)]
    [InlineData(true, 5000)]
    public void Zero_total_weight_gives_zero_statistics_and_counts_rows(bool isFloat, int n)
    {
        var c = new GramCase(n, 3, 2, 0, 0, WeightKind.AllZero, GramMode.Centered, 10, n);
        using var acc = new GramAccumulator(3, 2);
        GramProblem.Random(c, isFloat).AddTo(acc);
        GramStats s = GramStats.Of(acc);
        Assert.Equal(n, s.Rows);
        Assert.Equal(0, s.WeightSum);
        foreach (double[] a in new[] { s.MeanX, s.MeanY, s.Cxx, s.Cxy, s.Cyy })
        {
            Assert.All(a, v => Assert.Equal(0, v));
        }
    }

    /// <summary>
    /// A single-row batch has zero co-moments; a constant column has zero variance. Both stress the centering: the
    /// chunk mean Σwx/Σw need not round back to x, and the bound allows only the rounding noise of that mean.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Constant_columns_have_zero_variance_within_rounding(bool isFloat)
    {
        const int n = 600, p = 4, t = 1;
        var x = new double[n * p];
        var y = new double[n];
        var rng = new Random(5);
        for (int i = 0; i < n; i++)
        {
            x[i * p] = 123456.789; // constant
            x[(i * p) + 1] = rng.NextDouble();
            x[(i * p) + 2] = -0.1; // constant
            x[(i * p) + 3] = 1e-3 * rng.NextDouble();
            y[i] = 7;
        }

        double[] w = GramProblem.MakeWeights(WeightKind.Positive, n, rng)!;
        GramProblem pr = GramProblem.From(x, y, n, p, t, w, isFloat);
        using var acc = new GramAccumulator(p, t);
        pr.AddTo(acc);
        GramAssert.Close(GramReference.Compute(pr, GramMode.Centered), GramStats.Of(acc), isFloat, "constant columns");
    }
}
