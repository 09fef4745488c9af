using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Numerics;
using FsCheck;
using FsCheck.Fluent;

namespace RidgeCore.Tests.Harness;

/// <summary>The value distributions test data is drawn from. All are finite.</summary>
public enum ValueKind
{
    /// <summary>U(−1, 1): the benign case.</summary>
    Uniform,

    /// <summary>±10^U(−8, 8): sixteen decades in one vector, so small terms are lost next to large ones.</summary>
    MixedMagnitude,

    /// <summary>10⁶ + U(−1, 1): a large common offset with a small spread, the classic cancellation trap for
    /// one-pass variance and uncentred Gram matrices.</summary>
    LargeOffset,

    /// <summary>All +0.</summary>
    Zeros,

    /// <summary>U(−1, 1) with about half the elements exactly zero.</summary>
    SparseZeros,

    /// <summary>Subnormals of the element type (integers times the smallest subnormal), with some zeros. Float data
    /// gets float subnormals, double data double subnormals.</summary>
    Subnormal,

    /// <summary>Non-zero integers in [−8, 8]. For n ≤ 2¹⁸ every partial sum of sums, dot products and sums of squares
    /// is exact even in float, so results must match the reference bit for bit: a lost or double-counted element
    /// cannot hide inside a tolerance.</summary>
    SmallIntegers,

    /// <summary>U(−1, 1) mirrored with opposite sign (vᵢ = −vₙ₋₁₋ᵢ), so Σv = 0 and, for a pair, Σxᵢyᵢ = 0 exactly while
    /// Σ|xᵢyᵢ| is not: the result is pure rounding error and only a bound scaled by the magnitudes can judge it.</summary>
    Cancelling,

    /// <summary>For pairs and matrix columns: the second vector (every column after the first) equals the first times
    /// 1 + 10⁻⁷·U(−1, 1). Near-collinear columns make XᵀX nearly singular.</summary>
    NearCollinear,
}

/// <summary>
/// A reproducible vector test case: the data is a pure function of (kind, length, seed), so a failing case prints as
/// three numbers and shrinks by length alone while the values keep their character. Generating from a seed rather
/// than element by element through FsCheck also keeps 100 000-element cases cheap.
/// </summary>
public sealed record VectorCase(ValueKind Kind, int Length, int Seed)
{
    /// <summary>The first operand, rounded to <typeparamref name="T"/>.</summary>
    public T[] X<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
        => Generators.Values<T>(Kind, Length, Seed, stream: 0);

    /// <summary>The second operand of a pair (Dot, Axpy, ScaleAdd). For <see cref="ValueKind.Cancelling"/> and
    /// <see cref="ValueKind.NearCollinear"/> it is built from <see cref="X{T}"/>; otherwise it is independent.</summary>
    public T[] Y<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = X<T>();
        switch (Kind)
        {
            case ValueKind.Cancelling:
            {
                // x is antisymmetric about the middle; y symmetric, so the products cancel in pairs.
                var y = new T[Length];
                for (int i = 0; i < Length; i++)
                {
                    y[i] = T.Abs(x[Math.Min(i, Length - 1 - i)]);
                }

                return y;
            }

            case ValueKind.NearCollinear:
                return Generators.Perturb(x, Seed);
            default:
                return Generators.Values<T>(Kind, Length, Seed, stream: 1);
        }
    }

    /// <summary>A scalar coefficient for the update operations; <paramref name="which"/> picks an independent one.</summary>
    public T Scalar<T>(int which)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(HashCode.Combine(Seed, 7919, which));
        double[] special = [0.0, 1.0, -1.0, 0.5, -2.75, 1e-3, 1024.0];
        double a = rng.Next(3) == 0 ? (rng.NextDouble() * 8) - 4 : special[rng.Next(special.Length)];
        return T.CreateTruncating(a);
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"VectorCase({Kind}, n={Length}, seed={Seed})");
}

/// <summary>
/// A row-major matrix of <see cref="Rows"/> × <see cref="Cols"/> doubles, row r starting at <c>r·Stride</c>.
/// Stride may exceed Cols: the padding between rows holds NaN, so a kernel that reads it produces NaN.
/// </summary>
public sealed record MatrixCase(int Rows, int Cols, int Stride, double[] Data)
{
    /// <summary>The distribution the values were drawn from.</summary>
    public ValueKind Kind { get; init; }

    /// <summary>The seed the values were drawn with.</summary>
    public int Seed { get; init; }

    /// <summary>Element (r, c).</summary>
    public double this[int row, int col] => Data[(row * Stride) + col];

    /// <summary>The Cols elements of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<double> Row(int row) => Data.AsSpan(row * Stride, Cols);

    /// <summary>A copy of column <paramref name="col"/>.</summary>
    public double[] Column(int col)
    {
        var column = new double[Rows];
        for (int r = 0; r < Rows; r++)
        {
            column[r] = this[r, col];
        }

        return column;
    }

    /// <summary>The matrix as a contiguous row-major array (stride = Cols).</summary>
    public double[] Dense()
    {
        var dense = new double[Rows * Cols];
        for (int r = 0; r < Rows; r++)
        {
            Row(r).CopyTo(dense.AsSpan(r * Cols, Cols));
        }

        return dense;
    }

    /// <summary>The data rounded to float, same layout and stride (padding stays NaN). Build the case with
    /// <c>forSingle: true</c> when the values must be adversarial for float (subnormals, for instance).</summary>
    public float[] ToSingle() => Array.ConvertAll(Data, v => (float)v);

    /// <summary>The same matrix with each row widened to <paramref name="stride"/> (NaN padding).</summary>
    public MatrixCase WithStride(int stride)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, Cols);
        var data = new double[Rows * stride];
        Array.Fill(data, double.NaN);
        for (int r = 0; r < Rows; r++)
        {
            Row(r).CopyTo(data.AsSpan(r * stride, Cols));
        }

        return this with { Stride = stride, Data = data };
    }

    /// <inheritdoc/>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"MatrixCase({Rows}x{Cols}, stride {Stride}, {Kind}, seed {Seed})");
}

/// <summary>FsCheck generators and deterministic value sources for vectors and matrices.</summary>
public static class Generators
{
    /// <summary>Every value kind.</summary>
    public static readonly ValueKind[] AllKinds = Enum.GetValues<ValueKind>();

    /// <summary>Any value kind, uniformly.</summary>
    public static Gen<ValueKind> Kinds => Gen.Elements(AllKinds);

    /// <summary>A seed.</summary>
    public static Gen<int> Seeds => Gen.Choose(0, int.MaxValue);

    /// <summary>Lengths in [min, max], half of them log-uniform so short and long lengths both come up often.</summary>
    public static Gen<int> Lengths(int min, int max)
        => Gen.OneOf(
            Gen.Choose(min, max),
            Gen.Choose(0, 1_000_000).Select(u => min + (int)Math.Round(Math.Pow(max - min + 1, u / 1_000_000.0)) - 1));

    /// <summary>Vector cases with lengths in [min, max] and any value kind.</summary>
    public static Gen<VectorCase> Vectors(int minLength, int maxLength)
        => from kind in Kinds
           from length in Lengths(minLength, maxLength)
           from seed in Seeds
           select new VectorCase(kind, length, seed);

    /// <summary>Vector cases whose length grows with FsCheck's size parameter: lengths in [0, size].</summary>
    public static Gen<VectorCase> SizedVectors
        => Gen.Sized(size =>
            from kind in Kinds
            from length in Gen.Choose(0, Math.Max(0, size))
            from seed in Seeds
            select new VectorCase(kind, length, seed));

    /// <summary>Vector cases of exactly <paramref name="length"/> elements, any kind.</summary>
    public static Gen<VectorCase> VectorsOfLength(int length)
        => from kind in Kinds
           from seed in Seeds
           select new VectorCase(kind, length, seed);

    /// <summary>Shrinks a vector case by length only (halving, then one at a time), keeping kind and seed.</summary>
    public static IEnumerable<VectorCase> ShrinkVector(VectorCase c)
    {
        if (c.Length > 0)
        {
            yield return c with { Length = c.Length / 2 };
        }

        if (c.Length > 1)
        {
            yield return c with { Length = c.Length - 1 };
        }
    }

    /// <summary>Matrix cases of a fixed shape, any kind, stride padding 0..9 elements.</summary>
    public static Gen<MatrixCase> Matrices(int rows, int cols, bool forSingle = false)
        => from kind in Kinds
           from pad in Gen.Frequency((2, Gen.Constant(0)), (3, Gen.Choose(1, 9)))
           from seed in Seeds
           select Matrix(rows, cols, cols + pad, kind, seed, forSingle);

    /// <summary>Matrix cases whose shape grows with FsCheck's size: rows and cols in [1, max(1, size)].</summary>
    public static Gen<MatrixCase> SizedMatrices(bool forSingle = false)
        => Gen.Sized(size =>
            from rows in Gen.Choose(1, Math.Max(1, size))
            from cols in Gen.Choose(1, Math.Max(1, size))
            from m in Matrices(rows, cols, forSingle)
            select m);

    /// <summary>Shrinks a matrix case by dropping the last row or column, keeping kind, seed and padding.</summary>
    public static IEnumerable<MatrixCase> ShrinkMatrix(MatrixCase m)
    {
        int pad = m.Stride - m.Cols;
        if (m.Rows > 1)
        {
            yield return Matrix(m.Rows - 1, m.Cols, m.Cols + pad, m.Kind, m.Seed);
        }

        if (m.Cols > 1)
        {
            yield return Matrix(m.Rows, m.Cols - 1, m.Cols - 1 + pad, m.Kind, m.Seed);
        }
    }

    /// <summary>A deterministic matrix: (kind, seed) fix the values, stride ≥ cols sets the padding (NaN).</summary>
    public static MatrixCase Matrix(int rows, int cols, int stride, ValueKind kind, int seed, bool forSingle = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, cols);
        var data = new double[rows * stride];
        Array.Fill(data, double.NaN);
        var rng = new Random(seed);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                data[(r * stride) + c] = kind switch
                {
                    // Column 0 is free; every other column is column 0 times (1 + 1e-7·U).
                    ValueKind.NearCollinear when c > 0 => data[r * stride] * (1 + (1e-7 * ((2 * rng.NextDouble()) - 1))),
                    ValueKind.NearCollinear => (2 * rng.NextDouble()) - 1,
                    // Antisymmetric rows: row r is minus row rows-1-r, so every column sums to zero.
                    ValueKind.Cancelling when r >= (rows + 1) / 2 => -data[((rows - 1 - r) * stride) + c],
                    ValueKind.Cancelling when r == rows / 2 && rows % 2 == 1 => 0,
                    _ => Sample(kind, rng, forSingle),
                };
            }
        }

        return new MatrixCase(rows, cols, stride, data) { Kind = kind, Seed = seed };
    }

    /// <summary>The values of a vector case in precision <typeparamref name="T"/>; <paramref name="stream"/> gives
    /// independent vectors from one seed.</summary>
    public static T[] Values<T>(ValueKind kind, int length, int seed, int stream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool forSingle = typeof(T) == typeof(float);
        var rng = new Random(HashCode.Combine(seed, stream));
        var values = new T[length];
        switch (kind)
        {
            case ValueKind.Cancelling:
                for (int i = 0; i < length / 2; i++)
                {
                    T v = T.CreateTruncating((2 * rng.NextDouble()) - 1);
                    values[i] = v;
                    values[length - 1 - i] = -v;
                }

                break;
            case ValueKind.NearCollinear:
                for (int i = 0; i < length; i++)
                {
                    values[i] = T.CreateTruncating((2 * rng.NextDouble()) - 1);
                }

                break;
            default:
                for (int i = 0; i < length; i++)
                {
                    values[i] = T.CreateTruncating(Sample(kind, rng, forSingle));
                }

                break;
        }

        return values;
    }

    /// <summary>x scaled elementwise by 1 + 10⁻⁷·U(−1, 1).</summary>
    public static T[] Perturb<T>(T[] x, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(HashCode.Combine(seed, 104729));
        var y = new T[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = T.CreateTruncating(double.CreateTruncating(x[i]) * (1 + (1e-7 * ((2 * rng.NextDouble()) - 1))));
        }

        return y;
    }

    /// <summary>Non-zero integers in [−bound, bound], for tests that need exact arithmetic.</summary>
    public static T[] Integers<T>(int length, int bound, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        var values = new T[length];
        for (int i = 0; i < length; i++)
        {
            int v = rng.Next(1, bound + 1);
            values[i] = T.CreateTruncating(rng.Next(2) == 0 ? v : -v);
        }

        return values;
    }

    /// <summary>One value of an element-wise kind. <paramref name="forSingle"/> selects float subnormals.</summary>
    public static double Sample(ValueKind kind, Random rng, bool forSingle)
    {
        double u = (2 * rng.NextDouble()) - 1;
        switch (kind)
        {
            case ValueKind.MixedMagnitude:
                return Math.CopySign(Math.Pow(10, 16 * rng.NextDouble() - 8), u);
            case ValueKind.LargeOffset:
                return 1e6 + u;
            case ValueKind.Zeros:
                return 0;
            case ValueKind.SparseZeros:
                return rng.Next(2) == 0 ? 0 : u;
            case ValueKind.Subnormal:
            {
                double smallest = forSingle ? float.Epsilon : double.Epsilon;
                return rng.Next(8) == 0 ? 0 : rng.Next(-(1 << 20), 1 << 20) * smallest;
            }

            case ValueKind.SmallIntegers:
            {
                int v = rng.Next(1, 9);
                return rng.Next(2) == 0 ? v : -v;
            }

            default:
                return u;
        }
    }
}

/// <summary>FsCheck arbitraries for <see cref="VectorCase"/> with lengths up to about 100 000 (the exhaustive tests
/// cover 0..300, so these start just above).</summary>
public static class LargeVectorArbitrary
{
    /// <summary>Lengths 301..100 000, any kind, shrinking by length.</summary>
    public static Arbitrary<VectorCase> VectorCase()
        => Arb.From(Generators.Vectors(301, 100_000), Generators.ShrinkVector);
}

/// <summary>FsCheck arbitraries for <see cref="MatrixCase"/> whose shape follows the size parameter.</summary>
public static class MatrixArbitrary
{
    /// <summary>Rows and cols in [1, size], padding 0..9, any kind, shrinking by dropping rows and columns.</summary>
    public static Arbitrary<MatrixCase> MatrixCase()
        => Arb.From(Generators.SizedMatrices(), Generators.ShrinkMatrix);
}
