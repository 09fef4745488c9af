using System;
using Xunit;

namespace RidgeCore.Tests.Gram;

/// <summary>
/// Bad input: shape mismatches name the argument; bad values name the argument and the first offending row and
/// column; and a failed Add leaves the accumulator exactly as it was (its serialized bytes do not change).
/// </summary>
public class GramBadInputTests
{
    private const int P = 5, T = 2;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Shape_mismatches_throw_ArgumentException_naming_the_argument(bool isFloat)
    {
        using var acc = Prefilled(GramMode.Centered, isFloat);
        byte[] before = GramPropertyTests.Serialized(acc);
        const int n = 10;
        Assert.Equal("x", AddShapes(acc, isFloat, n, P + 1, n, T, n).ParamName);
        Assert.Equal("x", AddShapes(acc, isFloat, n, P - 1, n, T, -1).ParamName);
        Assert.Equal("y", AddShapes(acc, isFloat, n, P, n, T + 1, -1).ParamName);
        Assert.Equal("y", AddShapes(acc, isFloat, n, P, n, T - 1, n).ParamName);
        Assert.Equal("y", AddShapes(acc, isFloat, n, P, n - 1, T, -1).ParamName);
        Assert.Equal("y", AddShapes(acc, isFloat, n, P, n + 1, T, n).ParamName);
        Assert.Equal("weights", AddShapes(acc, isFloat, n, P, n, T, n - 1).ParamName);
        Assert.Equal("weights", AddShapes(acc, isFloat, n, P, n, T, n + 1).ParamName);
        Assert.Equal("weights", AddShapes(acc, isFloat, n, P, n, T, 0).ParamName);
        GramAssert.SameBytes(before, GramPropertyTests.Serialized(acc), "acc changed");
    }

    /// <summary>A bad weight: InvalidValueException("weights"), Row = its index (the first one), Column = −1.</summary>
    [Theory]
    [InlineData(false, 10, 0, -1.0)]
    [InlineData(false, 10, 9, double.NaN)]
    [InlineData(false, 1000, 700, double.PositiveInfinity)]
    [InlineData(false, 1000, 999, double.NegativeInfinity)]
    [InlineData(false, 40000, 39999, -1e-300)]
    [InlineData(true, 10, 3, -1.0)]
    [InlineData(true, 5000, 4097, double.NaN)]
    [InlineData(true, 5000, 2048, double.PositiveInfinity)]
    [InlineData(true, 40000, 20000, -0.5)]
    public void Negative_or_non_finite_weights_throw_InvalidValueException_with_the_row(bool isFloat, int n, int row, double bad)
    {
        GramProblem pr = GramProblem.Random(new GramCase(n, P, T, 0, 0, WeightKind.Positive, GramMode.Centered, 10, row), isFloat);
        pr.SetWeight(row, bad);
        if (row + 1 < n)
        {
            pr.SetWeight(row + 1, -2); // a later offender must not be the one reported
        }

        using GramAccumulator acc = Prefilled(GramMode.Centered, isFloat);
        byte[] before = GramPropertyTests.Serialized(acc);
        var e = Assert.Throws<InvalidValueException>(() => pr.AddTo(acc));
        Assert.Equal("weights", e.ParamName);
        Assert.Equal(row, e.Row);
        Assert.Equal(-1, e.Column);
        GramAssert.SameBytes(before, GramPropertyTests.Serialized(acc), "acc changed");
    }

    /// <summary>
    /// NaN or ±∞ in X or Y: InvalidValueException naming "x" or "y" and the exact row and column of the first offender
    /// in row order, with decoys after it (same row later column, next row, other argument, later chunk or stripe).
    /// Covers rows of weight 0, later chunks (beyond 256 double rows, 2048 float rows), later stripes (n ≥ 16 384)
    /// and several threads. <paramref name="row"/> counts from the first row of stripe <paramref name="stripe"/>
    /// (stripe 0: from row 0; a negative row counts back from the end of that stripe), so the stripe boundaries are
    /// hit whatever layout <see cref="GramAccumulator.StripeStart"/> chooses.
    /// </summary>
    [Theory]
    [InlineData(false, 10, false, 0, 0, 0, false, 1)]
    [InlineData(false, 10, false, 0, 9, 4, false, 1)]
    [InlineData(false, 10, true, 0, 4, 1, false, 1)]
    [InlineData(false, 10, true, 0, 3, 0, true, 1)] // the row weighs 0
    [InlineData(false, 300, false, 0, 256, 2, false, 1)] // second chunk, first row
    [InlineData(false, 300, true, 0, 299, 1, false, 1)]
    [InlineData(false, 1000, false, 0, 700, 3, true, 1)]
    [InlineData(false, 40000, false, 3, 5000, 4, false, 1)] // inside the fourth stripe
    [InlineData(false, 40000, true, 1, 0, 1, false, 3)] // first row of the second stripe, three threads
    [InlineData(false, 40000, false, 1, -1, 0, true, 8)] // last row of the second stripe, weight 0
    [InlineData(true, 10, false, 0, 2, 3, false, 1)]
    [InlineData(true, 10, true, 0, 7, 0, true, 1)]
    [InlineData(true, 5000, false, 0, 2048, 0, false, 1)] // second float merge block, first row
    [InlineData(true, 5000, true, 0, 4097, 1, true, 1)]
    [InlineData(true, 40000, false, 3, -1, 4, false, 2)] // the very last row
    [InlineData(true, 40000, true, 2, 0, 0, false, 8)]
    public void Non_finite_values_throw_InvalidValueException_naming_the_first_offender(
        bool isFloat, int n, bool inY, int stripe, int offset, int col, bool zeroWeight, int dop)
    {
        int row = RowInStripe(isFloat, n, stripe, offset);
        double[] kinds = [double.NaN, double.PositiveInfinity, double.NegativeInfinity];
        foreach (double bad in kinds)
        {
            GramProblem pr = GramProblem.Random(new GramCase(n, P, T, 2, 1, WeightKind.Positive, GramMode.Centered, 10, row + col), isFloat);
            int width = inY ? T : P;
            pr.Poison(inY, row, col, bad);
            if (col + 1 < width)
            {
                pr.Poison(inY, row, col + 1, double.NaN);
            }

            if (row + 1 < n)
            {
                pr.Poison(inY, row + 1, 0, double.PositiveInfinity);
                pr.Poison(!inY, row + 1, 0, double.NaN);
            }

            if (row + 5000 < n)
            {
                pr.Poison(!inY, row + 5000, 1, double.NaN);
            }

            if (zeroWeight)
            {
                pr.SetWeight(row, 0);
            }

            using GramAccumulator acc = Prefilled(GramMode.Uncentered, isFloat);
            acc.DegreeOfParallelism = dop;
            var e = Assert.Throws<InvalidValueException>(() => pr.AddTo(acc));
            Assert.Equal((inY ? "y" : "x", (long)row, col), (e.ParamName, e.Row, e.Column));
        }
    }

    /// <summary>
    /// A failed Add leaves the accumulator exactly as it was, for a failure found in the only chunk, in a later chunk
    /// (after earlier chunks of the same batch were folded into the totals), and in a later stripe; the accumulator
    /// holds earlier data with non-zero means, so a partial restore cannot go unnoticed.
    /// </summary>
    [Theory]
    [InlineData(false, GramMode.Centered, 200, 150, 1)]
    [InlineData(false, GramMode.Uncentered, 200, 150, 1)]
    [InlineData(false, GramMode.Centered, 1000, 900, 1)]
    [InlineData(false, GramMode.Uncentered, 1000, 900, 1)]
    [InlineData(false, GramMode.Centered, 40000, 35000, 1)]
    [InlineData(false, GramMode.Centered, 40000, 35000, 3)]
    [InlineData(false, GramMode.Uncentered, 40000, 12000, 2)]
    [InlineData(true, GramMode.Centered, 1500, 1400, 1)]
    [InlineData(true, GramMode.Centered, 5000, 4500, 1)]
    [InlineData(true, GramMode.Uncentered, 5000, 4500, 1)]
    [InlineData(true, GramMode.Centered, 40000, 39000, 2)]
    public void A_failed_Add_leaves_the_accumulator_exactly_as_it_was(bool isFloat, GramMode mode, int n, int badRow, int dop)
    {
        GramProblem pr = GramProblem.Random(new GramCase(n, P, T, 0, 0, WeightKind.WithZeros, mode, 10, n), isFloat);
        double saved = pr.XAt(badRow, 3);
        pr.Poison(false, badRow, 3, double.NaN);
        using GramAccumulator acc = Prefilled(mode, isFloat);
        acc.DegreeOfParallelism = dop;
        byte[] before = GramPropertyTests.Serialized(acc);
        Assert.Throws<InvalidValueException>(() => pr.AddTo(acc));
        byte[] after = GramPropertyTests.Serialized(acc);
        Assert.True(before.AsSpan().SequenceEqual(after), $"{Describe(before, after, P + T)} [{KernelSelection.Active}]");

        // Still usable: the repaired batch lands as if the failure never happened.
        pr.Poison(false, badRow, 3, saved);
        pr.AddTo(acc);
        GramAssert.Close(
            GramReference.Compute(GramProblem.Concat(PrefillData(mode, isFloat), pr), mode), GramStats.Of(acc), isFloat,
            $"after a failed Add (n={n}, bad row {badRow})", extraMerges: 10);
    }

    /// <summary>Finite values whose weighted sum overflows double are rejected too, naming the argument and column, and
    /// (like any failed Add) leave the accumulator as it was; rows 400 and 401 sit in the second 256-row chunk.</summary>
    [Fact]
    public void A_column_whose_sum_overflows_is_rejected_and_changes_nothing()
    {
        GramProblem pr = GramProblem.Random(new GramCase(600, P, T, 0, 0, WeightKind.None, GramMode.Centered, 1, 3), false);
        pr.Poison(false, 400, 2, 1e308);
        pr.Poison(false, 401, 2, 1e308);
        using GramAccumulator acc = Prefilled(GramMode.Centered, false);
        byte[] before = GramPropertyTests.Serialized(acc);
        var e = Assert.Throws<InvalidValueException>(() => pr.AddTo(acc));
        Assert.Equal(("x", 2), (e.ParamName, e.Column));
        byte[] after = GramPropertyTests.Serialized(acc);
        Assert.True(before.AsSpan().SequenceEqual(after), $"{Describe(before, after, P + T)} [{KernelSelection.Active}]");
    }

    [Fact]
    public void Constructor_rejects_counts_below_one_and_unknown_modes()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GramAccumulator(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GramAccumulator(3, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GramAccumulator(3, 1, (GramMode)7));
    }

    [Fact]
    public void A_disposed_accumulator_throws_ObjectDisposedException()
    {
        var acc = new GramAccumulator(2);
        acc.Dispose();
        acc.Dispose(); // idempotent
        Assert.Throws<ObjectDisposedException>(() => acc.Add(new MatrixView<double>(new double[2], 1, 2), new MatrixView<double>(new double[1], 1, 1)));
        Assert.Throws<ObjectDisposedException>(() => acc.CopyCxx(new double[4]));
        Assert.Throws<ObjectDisposedException>(() => acc.Serialize(new byte[1000]));
    }

    /// <summary>Row <paramref name="offset"/> of stripe <paramref name="stripe"/> (negative: counted back from the
    /// stripe's end) for a batch of <paramref name="n"/> rows, from the accumulator's own stripe layout.</summary>
    private static int RowInStripe(bool isFloat, int n, int stripe, int offset)
    {
        if (stripe == 0 && offset >= 0)
        {
            return offset;
        }

        int stripes = GramAccumulator.StripeCount(n, P + T);
        Assert.True(stripe < stripes, $"n={n} has only {stripes} stripes");
        int alignment = isFloat ? 2048 : 256;
        return offset >= 0
            ? GramAccumulator.StripeStart(stripe, stripes, n, alignment) + offset
            : GramAccumulator.StripeStart(stripe + 1, stripes, n, alignment) + offset;
    }

    private static GramProblem PrefillData(GramMode mode, bool isFloat) =>
        GramProblem.Random(new GramCase(300, P, T, 0, 0, WeightKind.Positive, mode, 100, 42), isFloat);

    private static GramAccumulator Prefilled(GramMode mode, bool isFloat)
    {
        var acc = new GramAccumulator(P, T, mode);
        PrefillData(mode, isFloat).AddTo(acc);
        return acc;
    }

    /// <summary>Adds an all-zero batch of the given shapes (weights of length <paramref name="w"/>, or unweighted if
    /// negative) and returns the ArgumentException it throws.</summary>
    private static ArgumentException AddShapes(GramAccumulator acc, bool isFloat, int xr, int xc, int yr, int yc, int w)
    {
        if (isFloat)
        {
            float[] x = new float[xr * xc], y = new float[yr * yc];
            return Assert.ThrowsAny<ArgumentException>(() =>
            {
                if (w < 0)
                {
                    acc.Add(new MatrixView<float>(x, xr, xc), new MatrixView<float>(y, yr, yc));
                }
                else
                {
                    acc.Add(new MatrixView<float>(x, xr, xc), new MatrixView<float>(y, yr, yc), new float[w]);
                }
            });
        }

        double[] xd = new double[xr * xc], yd = new double[yr * yc];
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(() =>
        {
            if (w < 0)
            {
                acc.Add(new MatrixView<double>(xd, xr, xc), new MatrixView<double>(yd, yr, yc));
            }
            else
            {
                acc.Add(new MatrixView<double>(xd, xr, xc), new MatrixView<double>(yd, yr, yc), new double[w]);
            }
        });
        Assert.IsNotType<InvalidValueException>(e);
        return e;
    }

    /// <summary>Which parts of two serialized records differ (header, means, co-moments), for failure messages.</summary>
    private static string Describe(byte[] before, byte[] after, int q)
    {
        int header = 32, means = header + (8 * q);
        var parts = new System.Collections.Generic.List<string>();
        for (int i = 0; i < before.Length; i += 8)
        {
            if (!before.AsSpan(i, 8).SequenceEqual(after.AsSpan(i, 8)))
            {
                string what = i < header ? $"header@{i}" : i < means ? $"mean[{(i - header) / 8}]" : $"C#{(i - means) / 8}";
                parts.Add($"{what}: {BitConverter.ToDouble(before, i)} -> {BitConverter.ToDouble(after, i)}");
            }
        }

        return "state changed by a failed Add: " + string.Join("; ", parts.GetRange(0, Math.Min(6, parts.Count)));
    }
}
