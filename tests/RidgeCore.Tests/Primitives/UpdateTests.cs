using System;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FsCheck.Xunit;
using RidgeCore.Tests.Harness;
using Xunit;
using Xunit.Sdk;

namespace RidgeCore.Tests.Primitives;

/// <summary>Axpy and ScaleAdd in double precision.</summary>
public sealed class DoubleUpdateTests : UpdateTests<double>;

/// <summary>Axpy and ScaleAdd in single precision.</summary>
public sealed class SingleUpdateTests : UpdateTests<float>;

/// <summary>
/// Specification of the in-place updates y ← a·x + y (Axpy) and x ← a·x + b·y (ScaleAdd), for both precisions:
/// <list type="bullet">
/// <item>every element is within a few roundings of an accurate reference (<see cref="Tolerance.Axpy{T}"/>,
/// <see cref="Tolerance.ScaleAdd{T}"/>), for every length 0..300 and random lengths up to 100 000;</item>
/// <item>the read-only operand is never written, and nothing outside the written span changes;</item>
/// <item>the two operands may be the same buffer, and the result is still right;</item>
/// <item>partially overlapping operands and different lengths are rejected before anything is written, with an
/// <see cref="ArgumentException"/> that names a parameter.</item>
/// </list>
/// </summary>
public abstract class UpdateTests<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int ExhaustiveMaxLength = 300;

    private static readonly int OffsetsPerCacheLine = 64 / Unsafe.SizeOf<T>();

    private static string Tier => KernelSelection.Report.TierName;

    [Theory]
    [InlineData(Update.Axpy)]
    [InlineData(Update.ScaleAdd)]
    public void Matches_reference_elementwise_for_every_length_0_to_300_and_every_kind(Update op)
    {
        foreach (ValueKind kind in Generators.AllKinds)
        {
            for (int n = 0; n <= ExhaustiveMaxLength; n++)
            {
                CheckAgainstReference(op, new VectorCase(kind, n, Seed: (n * 17) + (int)kind), offset: n % OffsetsPerCacheLine);
            }
        }
    }

    [Property(Arbitrary = [typeof(LargeVectorArbitrary)], MaxTest = 16, QuietOnSuccess = true)]
    public void Matches_reference_elementwise_for_random_lengths_up_to_100k(VectorCase c)
    {
        CheckAgainstReference(Update.Axpy, c, offset: c.Seed % OffsetsPerCacheLine);
        CheckAgainstReference(Update.ScaleAdd, c, offset: (c.Seed / 7) % OffsetsPerCacheLine);
    }

    [Theory]
    [InlineData(Update.Axpy)]
    [InlineData(Update.ScaleAdd)]
    public void Same_buffer_for_both_operands_is_allowed_and_correct(Update op)
    {
        int[] lengths = [.. System.Linq.Enumerable.Range(0, ExhaustiveMaxLength + 1), 1000, 4099];
        foreach (int n in lengths)
        {
            var c = new VectorCase(ValueKind.Uniform, n, Seed: n);
            T[] x = c.X<T>();
            T a = c.Scalar<T>(0), b = c.Scalar<T>(1);
            using var buffer = GuardedBuffer<T>.CopyOf(x, offset: n % OffsetsPerCacheLine);

            Ops.Apply(op, a, b, buffer.ReadOnlySpan, buffer.Span);

            string context = Describe(op, c, buffer.Offset) + " (aliased)";
            buffer.AssertGuardsIntact(context);
            AssertElementwise(op, a, b, source: x, destBefore: x, destAfter: buffer.ReadOnlySpan, context);
        }
    }

    [Theory]
    [InlineData(Update.Axpy)]
    [InlineData(Update.ScaleAdd)]
    public void Each_element_is_rounded_the_same_way_whatever_the_span_length(Update op)
    {
        // Values where a fused and an unfused a·x + y round differently: with a = x = 1 + 2^-k (k = 30 for double,
        // 12 for float) and y = -1, a·x = 1 + 2^(1-k) + 2^-2k; the fused result keeps the 2^-2k term, the unfused one
        // loses it when a·x is rounded first. ScaleAdd computes a·x + (b·y), so b = 1 and y = -1 give the same case.
        //
        // The doc of Axpy promises "a fused multiply-add per element where the tier has one". UpdateDriver.Update
        // sends spans shorter than Vector128<T>.Count (1 double, 1..3 floats) to its scalar loop, and
        // SimdOps.MulAdd<T>(T, T, T) is deliberately unfused, even in the v128fma, v256 and v512 tiers. So
        // Axpy(a, [x], [y]) and Axpy(a, [x, x, ...], [y, y, ...]) give different values for the same element.
        T nearOne = T.One + T.ScaleB(T.One, typeof(T) == typeof(double) ? -30 : -12);
        T? reference = null;
        for (int n = 24; n >= 1; n--)
        {
            T[] source = new T[n], dest = new T[n];
            Array.Fill(source, op == Update.Axpy ? nearOne : -T.One);
            Array.Fill(dest, op == Update.Axpy ? -T.One : nearOne);
            Ops.Apply(op, nearOne, T.One, source, dest);
            reference ??= dest[0];
            for (int i = 0; i < n; i++)
            {
                if (!GuardedBuffer<T>.BitwiseEqual(dest[i], reference.Value))
                {
                    throw new XunitException($"{typeof(T).Name} {op} [{Tier}]: element {i} of a length-{n} span is {R(dest[i])}, " +
                        $"but the same inputs give {R(reference.Value)} in a length-24 span.");
                }
            }
        }
    }

    [Theory]
    [InlineData(Update.Axpy)]
    [InlineData(Update.ScaleAdd)]
    public void Partial_overlap_throws_naming_the_written_operand_and_writes_nothing(Update op)
    {
        (string sourceName, string destName) = Ops.ParameterNames(op);
        for (int n = 2; n <= 40; n++)
        {
            for (int shift = -(n - 1); shift <= n - 1; shift++)
            {
                if (shift == 0)
                {
                    continue;
                }

                var c = new VectorCase(ValueKind.Uniform, 2 * n, Seed: n);
                T[] original = c.X<T>();
                using var buffer = GuardedBuffer<T>.CopyOf(original);
                int sourceStart = shift > 0 ? shift : 0, destStart = shift > 0 ? 0 : -shift;

                var e = Assert.Throws<ArgumentException>(() => Ops.Apply(
                    op, T.One, T.One, buffer.ReadOnlySpan.Slice(sourceStart, n), buffer.Span.Slice(destStart, n)));

                Assert.Equal(destName, e.ParamName);
                Assert.Contains(sourceName, e.Message, StringComparison.Ordinal);
                buffer.AssertContentUnchanged(original, $"{op} n={n} shift={shift}");
                buffer.AssertGuardsIntact();
            }
        }
    }

    [Theory]
    [InlineData(Update.Axpy)]
    [InlineData(Update.ScaleAdd)]
    public void Partial_overlap_by_a_fraction_of_an_element_throws_naming_the_written_operand(Update op)
    {
        // Two T spans reinterpreted from one byte buffer one byte apart overlap, but not by a whole element.
        // VectorPrimitives.CheckUpdateOperands calls source.Overlaps(dest, out int offset), which throws
        // ArgumentException("Overlapping spans have mismatching alignment.") with no parameter name in this case,
        // instead of the library's own PartialOverlap error naming the written operand.
        (_, string destName) = Ops.ParameterNames(op);
        int n = 16, size = Unsafe.SizeOf<T>();
        byte[] bytes = new byte[(n + 1) * size];
        Span<T> dest = MemoryMarshal.Cast<byte, T>(bytes.AsSpan(0, n * size));
        ReadOnlySpan<T> source = MemoryMarshal.Cast<byte, T>(bytes.AsSpan(1, n * size));

        ArgumentException? e = null;
        try
        {
            Ops.Apply(op, T.One, T.One, source, dest);
        }
        catch (ArgumentException caught)
        {
            e = caught;
        }

        Assert.NotNull(e);
        Assert.Equal(destName, e.ParamName);
    }

    [Theory]
    [InlineData(Update.Axpy)]
    [InlineData(Update.ScaleAdd)]
    public void Different_lengths_throw_naming_a_parameter_and_write_nothing(Update op)
    {
        (string sourceName, string destName) = Ops.ParameterNames(op);
        foreach ((int ns, int nd) in new[] { (0, 1), (1, 0), (7, 8), (9, 8), (300, 299) })
        {
            T[] source = new VectorCase(ValueKind.Uniform, ns, 1).X<T>();
            T[] dest = new VectorCase(ValueKind.Uniform, nd, 2).X<T>();
            using var d = GuardedBuffer<T>.CopyOf(dest);

            ArgumentException e = Assert.Throws<ArgumentException>(() => Ops.Apply(op, T.One, T.One, source, d.Span));

            Assert.Contains(e.ParamName, new[] { sourceName, destName });
            Assert.Contains(ns.ToString(CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
            Assert.Contains(nd.ToString(CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
            d.AssertContentUnchanged(dest);
            d.AssertGuardsIntact();
        }
    }

    /// <summary>Runs one update on guarded copies (source and destination at different alignments) and checks every
    /// element, the guards, and that the source is unchanged.</summary>
    private static void CheckAgainstReference(Update op, VectorCase c, int offset)
    {
        T[] source = c.Y<T>();
        T[] dest = c.X<T>();
        T a = c.Scalar<T>(0), b = c.Scalar<T>(1);
        using var bs = GuardedBuffer<T>.CopyOf(source, (offset + 5) % OffsetsPerCacheLine);
        using var bd = GuardedBuffer<T>.CopyOf(dest, offset);

        Ops.Apply(op, a, b, bs.ReadOnlySpan, bd.Span);

        string context = Describe(op, c, offset) + $" a={R(a)} b={R(b)}";
        bs.AssertGuardsIntact(context);
        bs.AssertContentUnchanged(source, context);
        bd.AssertGuardsIntact(context);
        AssertElementwise(op, a, b, source, dest, bd.ReadOnlySpan, context);
    }

    private static void AssertElementwise(Update op, T a, T b, ReadOnlySpan<T> source, ReadOnlySpan<T> destBefore, ReadOnlySpan<T> destAfter, string context)
    {
        double da = double.CreateTruncating(a), db = double.CreateTruncating(b);
        for (int i = 0; i < destAfter.Length; i++)
        {
            double s = double.CreateTruncating(source[i]), d = double.CreateTruncating(destBefore[i]);
            (double reference, double bound) = op == Update.Axpy
                ? (Reference.Axpy(da, s, d), Tolerance.Axpy<T>(da, s, d))
                : (Reference.ScaleAdd(da, d, db, s), Tolerance.ScaleAdd<T>(da, d, db, s));
            double got = double.CreateTruncating(destAfter[i]);
            if (!(Math.Abs(got - reference) <= bound))
            {
                throw new XunitException(string.Create(CultureInfo.InvariantCulture,
                    $"{context}: element {i} is {got:R}, reference {reference:R}, |error| {Math.Abs(got - reference):E3} exceeds bound {bound:E3}."));
            }
        }
    }

    private static string R(T value) => double.CreateTruncating(value).ToString("R", CultureInfo.InvariantCulture);

    private static string Describe(Update op, VectorCase c, int offset) => $"{typeof(T).Name} {op} [{Tier}] {c} offset {offset}";
}
