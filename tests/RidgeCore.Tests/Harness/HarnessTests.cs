using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;
using Xunit.Sdk;

namespace RidgeCore.Tests.Harness;

/// <summary>The harness is only worth something if it can fail: these tests check the references, guards and
/// generators themselves.</summary>
public class HarnessTests
{
    [Fact]
    public void Compensated_sum_keeps_a_term_that_plain_double_loses()
    {
        Assert.Equal(1.0, Reference.Sum([1e100, 1.0, -1e100]).Value);
        Assert.Equal(2e100 + 1.0, Reference.Sum([1e100, 1.0, -1e100]).AbsSum);
    }

    [Fact]
    public void Dot2_reference_is_exact_where_plain_double_is_not()
    {
        // (1e8 + 1)(1e8 − 1) − 1e8·1e8 = −1, but 1e16 − 1 is not a double.
        double[] x = [1e8 + 1, -1e8], y = [1e8 - 1, 1e8];
        Assert.Equal(0.0, (x[0] * y[0]) + (x[1] * y[1]));
        Assert.Equal(-1.0, Reference.Dot(x, y).Value);
    }

    [Fact]
    public void Axpy_and_ScaleAdd_references_carry_the_product_error()
    {
        // 3·(1/3) + (−1) in double: the product rounds to exactly 1, but the exact result is −2⁻⁵⁴... (1/3 is inexact).
        double third = 1.0 / 3;
        double exact = Math.FusedMultiplyAdd(3, third, -1);
        Assert.NotEqual(0.0, exact);
        Assert.Equal(exact, Reference.Axpy(3, third, -1));
        Assert.Equal(exact, Reference.ScaleAdd(3, third, -1, 1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(15)]
    public void Guarded_buffer_places_the_span_at_the_requested_alignment(int offset)
    {
        using var d = new GuardedBuffer<double>(10, offset);
        using var f = new GuardedBuffer<float>(10, offset);
        Assert.Equal(offset * sizeof(double) % 64, d.AlignmentInCacheLine);
        Assert.Equal(offset * sizeof(float) % 64, f.AlignmentInCacheLine);
        Assert.True(double.IsNaN(GuardedBuffer<double>.Sentinel));
        Assert.True(float.IsNaN(GuardedBuffer<float>.Sentinel));
        Assert.All(d.Span.ToArray(), v => Assert.Equal(0.0, v));
        d.AssertGuardsIntact();
        f.AssertGuardsIntact();
    }

    [Theory]
    [InlineData(0, -1)]
    [InlineData(0, 10)]
    [InlineData(3, -1)]
    [InlineData(3, -3)]
    [InlineData(3, 12)]
    [InlineData(7, 0)] // zero-length span: index 0 is the first trailing guard element
    public unsafe void Guarded_buffer_detects_a_write_just_outside_the_span(int offset, int index)
    {
        int length = offset == 7 ? 0 : 10;
        using var buffer = new GuardedBuffer<double>(length, offset);
        buffer.Start[index] = 1.0;

        Assert.Throws<XunitException>(() => buffer.AssertGuardsIntact());
    }

    [Fact]
    public void Guarded_buffer_detects_a_write_to_a_read_only_operand()
    {
        double[] data = [1, 2, 3];
        using var buffer = GuardedBuffer<double>.CopyOf(data, 2);
        buffer.AssertContentUnchanged(data);
        buffer.Span[1] = -0.0 + 2; // same value: still fine
        buffer.AssertContentUnchanged(data);
        buffer.Span[2] = 3.0000000000000004;
        Assert.Throws<XunitException>(() => buffer.AssertContentUnchanged(data));
    }

    [Fact]
    public void Vector_cases_are_reproducible_and_have_the_promised_character()
    {
        foreach (ValueKind kind in Generators.AllKinds)
        {
            var c = new VectorCase(kind, 101, 42);
            Assert.Equal(c.X<double>(), c.X<double>());
            Assert.Equal(c.Y<float>(), c.Y<float>());
            Assert.All(c.X<double>(), v => Assert.True(double.IsFinite(v)));
            Assert.All(c.Y<float>(), v => Assert.True(float.IsFinite(v)));
        }

        Assert.All(new VectorCase(ValueKind.Subnormal, 200, 1).X<float>(), v => Assert.True(v == 0 || float.IsSubnormal(v)));
        Assert.All(new VectorCase(ValueKind.Subnormal, 200, 1).X<double>(), v => Assert.True(v == 0 || double.IsSubnormal(v)));
        Assert.All(new VectorCase(ValueKind.SmallIntegers, 200, 1).X<double>(), v => Assert.True(v != 0 && Math.Abs(v) <= 8 && v == Math.Round(v)));
        Assert.All(new VectorCase(ValueKind.LargeOffset, 200, 1).X<double>(), v => Assert.InRange(v, 1e6 - 1, 1e6 + 1));
        Assert.All(new VectorCase(ValueKind.Zeros, 200, 1).X<double>(), v => Assert.Equal(0.0, v));
        double[] mixed = new VectorCase(ValueKind.MixedMagnitude, 2000, 1).X<double>();
        Assert.True(mixed.Max(Math.Abs) / mixed.Min(Math.Abs) > 1e12);

        // Cancelling data sums (and, as a pair, dots) to zero while the magnitudes do not; the compensated reference
        // gets within O(n·u²) of it.
        var cancel = new VectorCase(ValueKind.Cancelling, 257, 3);
        Assert.InRange(Reference.Sum(cancel.X<double>()).Value, -1e-28, 1e-28);
        Assert.InRange(Reference.Dot(cancel.X<double>(), cancel.Y<double>()).Value, -1e-28, 1e-28);
        Assert.True(Reference.Dot(cancel.X<double>(), cancel.Y<double>()).AbsSum > 10);
    }

    [Fact]
    public void Matrix_cases_pad_rows_with_NaN_and_keep_values_finite()
    {
        MatrixCase m = Generators.Matrix(5, 3, stride: 7, ValueKind.Uniform, seed: 9);
        Assert.Equal(35, m.Data.Length);
        for (int r = 0; r < 5; r++)
        {
            Assert.All(m.Row(r).ToArray(), v => Assert.True(double.IsFinite(v)));
            Assert.All(m.Data.AsSpan((r * 7) + 3, 4).ToArray(), v => Assert.True(double.IsNaN(v)));
        }

        Assert.Equal(m[4, 2], m.Dense()[(4 * 3) + 2]);
        Assert.Equal(m[3, 1], m.Column(1)[3]);
        Assert.Equal((float)m[2, 2], m.ToSingle()[(2 * 7) + 2]);
        MatrixCase wide = m.WithStride(11);
        Assert.Equal(m.Dense(), wide.Dense());
    }

    [Fact]
    public void Near_collinear_matrix_columns_differ_by_about_one_part_in_ten_million()
    {
        MatrixCase m = Generators.Matrix(50, 4, stride: 4, ValueKind.NearCollinear, seed: 5);
        for (int r = 0; r < m.Rows; r++)
        {
            for (int c = 1; c < m.Cols; c++)
            {
                Assert.True(Math.Abs(m[r, c] - m[r, 0]) <= 1.01e-7 * Math.Abs(m[r, 0]));
            }
        }

        MatrixCase cancel = Generators.Matrix(7, 3, stride: 5, ValueKind.Cancelling, seed: 5);
        for (int c = 0; c < 3; c++)
        {
            Assert.InRange(Reference.Sum(cancel.Column(c)).Value, -1e-28, 1e-28);
        }
    }

    [Property(Arbitrary = [typeof(MatrixArbitrary)], MaxTest = 30, EndSize = 20)]
    public bool Sized_matrices_have_a_consistent_shape(MatrixCase m)
        => m.Rows >= 1 && m.Cols >= 1 && m.Stride >= m.Cols && m.Data.Length == m.Rows * m.Stride
           && Enumerable.Range(0, m.Rows).All(r => m.Row(r).ToArray().All(double.IsFinite));

    [Property(MaxTest = 30)]
    public Property Fixed_shape_generator_gives_that_shape()
        => Prop.ForAll(Arb.From(Generators.Matrices(6, 3, forSingle: true)), m => m.Rows == 6 && m.Cols == 3 && m.ToSingle().Length == m.Data.Length);

    [Property(MaxTest = 30, EndSize = 50)]
    public Property Sized_and_fixed_length_vector_generators_respect_their_lengths()
        => Prop.ForAll(Arb.From(Generators.SizedVectors), c => c.Length is >= 0 and <= 50 && c.X<float>().Length == c.Length)
            .And(Prop.ForAll(Arb.From(Generators.VectorsOfLength(33)), c => c.Y<double>().Length == 33));

    [Fact]
    public void Shrinking_keeps_kind_and_seed_and_reduces_size()
    {
        var c = new VectorCase(ValueKind.MixedMagnitude, 1000, 77);
        Assert.All(Generators.ShrinkVector(c), s => Assert.True(s.Length < 1000 && s.Kind == c.Kind && s.Seed == c.Seed));
        MatrixCase m = Generators.Matrix(4, 4, 6, ValueKind.LargeOffset, 3);
        Assert.All(Generators.ShrinkMatrix(m), s => Assert.True(s.Rows * s.Cols < 16 && s.Kind == m.Kind && s.Stride - s.Cols == 2));
    }

    [Fact]
    public void Tolerance_grows_with_length_and_magnitude_and_is_tighter_for_double()
    {
        Assert.True(Tolerance.Reduction<double>(100, 1, 0) > Tolerance.Reduction<double>(10, 1, 0));
        Assert.True(Tolerance.Reduction<double>(10, 100, 0) > Tolerance.Reduction<double>(10, 1, 0));
        Assert.True(Tolerance.Reduction<float>(10, 1, 0) > Tolerance.Reduction<double>(10, 1, 0) * 1e8);
        Assert.Equal(Math.ScaleB(1.0, -53), Tolerance.UnitRoundoff<double>());
        Assert.Equal(Math.ScaleB(1.0, -24), Tolerance.UnitRoundoff<float>());
        // A relative error of one in 10^6 is far outside the double bound for a short vector of O(1) terms.
        Assert.True(Tolerance.Reduction<double>(100, 100, 1) < 1e-10);
    }
}
