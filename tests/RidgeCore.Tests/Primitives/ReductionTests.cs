using System;
using System.Globalization;
using System.Numerics;
using FsCheck.Xunit;
using RidgeCore.Tests.Harness;
using Xunit;
using Xunit.Sdk;

namespace RidgeCore.Tests.Primitives;

/// <summary>Dot, Sum, Mean and SumOfSquares in double precision.</summary>
public sealed class DoubleReductionTests : ReductionTests<double>;

/// <summary>Dot, Sum, Mean and SumOfSquares in single precision (accumulating in float, as documented).</summary>
public sealed class SingleReductionTests : ReductionTests<float>;

/// <summary>
/// Specification of the reductions, written once for both precisions and run in every CI tier:
/// <list type="bullet">
/// <item>every result is within the forward-error bound of <see cref="Tolerance.Reduction{T}"/> of an accurate
/// reference, for every length 0..300 (all register-block and tail edges of every width) and for random lengths up
/// to 100 000, over every <see cref="ValueKind"/>;</item>
/// <item>integer data, whose partial sums are all exact, gives exactly the reference;</item>
/// <item>the result does not depend on where the data lives (bit-identical at every alignment);</item>
/// <item>inputs are never written, memory around them is neither written nor read into the result;</item>
/// <item>an infinity or NaN anywhere reaches the result, wherever the masked last vector overlaps.</item>
/// </list>
/// </summary>
public abstract class ReductionTests<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Lengths up to this are tested exhaustively: 300 covers the 8-accumulator block (8 vectors) of the
    /// widest family (512-bit float: 128 elements) twice over, with every tail.</summary>
    private const int ExhaustiveMaxLength = 300;

    /// <summary>Integers in [−8, 8] keep every partial result exact in float up to this length (64·2¹⁸ = 2²⁴).</summary>
    private const int ExactIntegerMaxLength = 1 << 18;

    /// <summary>Element offsets that visit every element-aligned position of a 64-byte line.</summary>
    private static readonly int OffsetsPerCacheLine = 64 / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

    private static string Tier => KernelSelection.Report.TierName;

    [Theory]
    [InlineData(Reduction.Dot)]
    [InlineData(Reduction.Sum)]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.SumOfSquares)]
    public void Matches_reference_within_bound_for_every_length_0_to_300_and_every_kind(Reduction op)
    {
        foreach (ValueKind kind in Generators.AllKinds)
        {
            for (int n = op == Reduction.Mean ? 1 : 0; n <= ExhaustiveMaxLength; n++)
            {
                // Vary the seed with n and the offset with n, so alignment and data change along the sweep.
                CheckAgainstReference(op, new VectorCase(kind, n, Seed: (n * 31) + (int)kind), offset: n % OffsetsPerCacheLine);
            }
        }
    }

    [Property(Arbitrary = [typeof(LargeVectorArbitrary)], MaxTest = 24, QuietOnSuccess = true)]
    public void Matches_reference_within_bound_for_random_lengths_up_to_100k(VectorCase c)
    {
        foreach (Reduction op in Enum.GetValues<Reduction>())
        {
            CheckAgainstReference(op, c, offset: c.Seed % OffsetsPerCacheLine);
        }
    }

    [Theory]
    [InlineData(Reduction.Dot)]
    [InlineData(Reduction.Sum)]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.SumOfSquares)]
    public void Integer_data_gives_the_exact_result(Reduction op)
    {
        // Exhaustive short lengths, then a few long ones around block edges; SmallIntegers cases also come up in the
        // random property above. CheckAgainstReference demands bit equality for this kind.
        int[] longLengths = [1023, 1024, 1025, 4096 + 127, 65_536 + 5, ExactIntegerMaxLength];
        for (int n = op == Reduction.Mean ? 1 : 0; n <= ExhaustiveMaxLength; n++)
        {
            CheckAgainstReference(op, new VectorCase(ValueKind.SmallIntegers, n, Seed: n), offset: 0);
        }

        foreach (int n in longLengths)
        {
            CheckAgainstReference(op, new VectorCase(ValueKind.SmallIntegers, n, Seed: n), offset: 1);
        }
    }

    [Theory]
    [InlineData(Reduction.Dot)]
    [InlineData(Reduction.Sum)]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.SumOfSquares)]
    public void Result_is_bit_identical_at_every_alignment(Reduction op)
    {
        int[] lengths = [.. System.Linq.Enumerable.Range(1, ExhaustiveMaxLength), 1000, 4099];
        foreach (int n in lengths)
        {
            var c = new VectorCase(ValueKind.MixedMagnitude, n, Seed: n);
            T[] x = c.X<T>(), y = c.Y<T>();
            T expected = ReduceAt(op, x, y, 0, 0);
            for (int offset = 1; offset < OffsetsPerCacheLine; offset++)
            {
                // For Dot, also misalign x and y against each other.
                int yOffset = (offset * 5) % OffsetsPerCacheLine;
                T actual = ReduceAt(op, x, y, offset, yOffset);
                if (!GuardedBuffer<T>.BitwiseEqual(actual, expected))
                {
                    throw new XunitException(Describe(op, c, offset)
                        + $": at x offset {offset} / y offset {yOffset} the result is {R(actual)}, at offset 0 it is {R(expected)}; "
                        + "the summation order must not depend on alignment.");
                }
            }
        }
    }

    [Theory]
    [InlineData(Reduction.Dot)]
    [InlineData(Reduction.Sum)]
    [InlineData(Reduction.SumOfSquares)]
    public void An_infinity_or_NaN_at_any_position_reaches_the_result(Reduction op)
    {
        // The masked last vector re-reads lanes the main loop already counted. Masking only one operand of a product
        // would turn an infinity there into Inf·0 = NaN; masking neither would count it twice (still Inf, but a NaN
        // test catches a lane dropped entirely).
        for (int n = 1; n <= 160; n++)
        {
            T[] x = new T[n], y = new T[n];
            Array.Fill(x, T.One);
            Array.Fill(y, T.One);
            // For Dot the special value goes into x, then into y: each operand's masking is checked on its own.
            foreach (T[] target in op == Reduction.Dot ? new[] { x, y } : new[] { x })
            {
                string operand = ReferenceEquals(target, x) ? "x" : "y";
                for (int j = 0; j < n; j++)
                {
                    target[j] = T.PositiveInfinity;
                    T inf = Ops.Reduce<T>(op, x, y);
                    target[j] = T.NaN;
                    T nan = Ops.Reduce<T>(op, x, y);
                    target[j] = T.One;
                    if (!T.IsPositiveInfinity(inf) || !T.IsNaN(nan))
                    {
                        throw new XunitException($"{typeof(T).Name} {op} [{Tier}] n={n}: +Inf at {operand}[{j}] gave {R(inf)}, NaN at {operand}[{j}] gave {R(nan)}.");
                    }
                }
            }
        }
    }

    [Fact]
    public void Empty_inputs_give_zero_and_mean_of_empty_throws()
    {
        Assert.Equal(T.Zero, Ops.Reduce<T>(Reduction.Dot, [], []));
        Assert.Equal(T.Zero, Ops.Reduce<T>(Reduction.Sum, [], []));
        Assert.Equal(T.Zero, Ops.Reduce<T>(Reduction.SumOfSquares, [], []));
        var e = Assert.Throws<ArgumentException>(() => Ops.Reduce<T>(Reduction.Mean, [], []));
        Assert.Equal("x", e.ParamName);
    }

    [Fact]
    public void Dot_with_different_lengths_throws_naming_y()
    {
        foreach ((int nx, int ny) in new[] { (0, 1), (1, 0), (7, 8), (300, 299) })
        {
            var e = Assert.Throws<ArgumentException>(() => Ops.Reduce<T>(Reduction.Dot, new T[nx], new T[ny]));
            Assert.Equal("y", e.ParamName);
            Assert.Contains(nx.ToString(CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
            Assert.Contains(ny.ToString(CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>Runs one reduction on guarded copies and checks value, guards and inputs.</summary>
    private static void CheckAgainstReference(Reduction op, VectorCase c, int offset)
    {
        T[] x = c.X<T>();
        T[] y = op == Reduction.Dot ? c.Y<T>() : [];
        using var bx = GuardedBuffer<T>.CopyOf(x, offset);
        using var by = GuardedBuffer<T>.CopyOf(y, (offset + 3) % OffsetsPerCacheLine);

        T actual = Ops.Reduce(op, bx.ReadOnlySpan, op == Reduction.Dot ? by.ReadOnlySpan : bx.ReadOnlySpan);

        string context = Describe(op, c, offset);
        bx.AssertGuardsIntact(context);
        bx.AssertContentUnchanged(x, context);
        by.AssertGuardsIntact(context);
        by.AssertContentUnchanged(y, context);

        double[] wx = Widen(x);
        (double reference, double bound) = op switch
        {
            Reduction.Dot => Bound(c.Length, Reference.Dot(wx, Widen(y))),
            Reduction.Sum => Bound(c.Length, Reference.Sum(wx)),
            Reduction.SumOfSquares => Bound(c.Length, Reference.SumOfSquares(wx)),
            _ => MeanBound(c.Length, Reference.Mean(wx)),
        };

        double got = double.CreateTruncating(actual);
        if (!(Math.Abs(got - reference) <= bound))
        {
            throw new XunitException(string.Create(CultureInfo.InvariantCulture,
                $"{context}: got {got:R}, reference {reference:R}, |error| {Math.Abs(got - reference):E3} exceeds bound {bound:E3}."));
        }

        if (c.Kind == ValueKind.SmallIntegers && c.Length <= ExactIntegerMaxLength
            && !GuardedBuffer<T>.BitwiseEqual(actual, T.CreateTruncating(reference)))
        {
            throw new XunitException(string.Create(CultureInfo.InvariantCulture,
                $"{context}: integer data must give the exact result {reference:R}, got {got:R}."));
        }
    }

    private static (double, double) Bound(int n, (double Value, double AbsSum) r) => (r.Value, Tolerance.Reduction<T>(n, r.AbsSum, r.Value));

    private static (double, double) MeanBound(int n, (double Value, double AbsMean) r) => (r.Value, Tolerance.Mean<T>(n, r.AbsMean, r.Value));

    private static T ReduceAt(Reduction op, T[] x, T[] y, int xOffset, int yOffset)
    {
        using var bx = GuardedBuffer<T>.CopyOf(x, xOffset);
        using var by = GuardedBuffer<T>.CopyOf(y, yOffset);
        return Ops.Reduce(op, bx.ReadOnlySpan, op == Reduction.Dot ? by.ReadOnlySpan : bx.ReadOnlySpan);
    }

    private static double[] Widen(T[] values) => Array.ConvertAll(values, double.CreateTruncating);

    private static string R(T value) => double.CreateTruncating(value).ToString("R", CultureInfo.InvariantCulture);

    private static string Describe(Reduction op, VectorCase c, int offset) => $"{typeof(T).Name} {op} [{Tier}] {c} offset {offset}";
}
