using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RidgeCore.Kernels.Iterative;
using Xunit;

namespace RidgeCore.Tests.Iterative;

/// <summary>
/// The one-pass column moments behind the iterative solvers' passes over X (the means that center the matrix-free
/// products, the Jacobi preconditioner's diagonal Σ wᵢ(xᵢⱼ − x̄ⱼ)², and the finiteness check of X), against the naive
/// two-pass formulas in double, on whatever tier this process runs. Shapes cross the vector widths (p around 2, 4, 8
/// and 16 lanes) and the blocks of rows (16 KiB of X per block: 256 rows at p = 4 in float, 2 at p = 1000 clamped to 4),
/// with strides past p, with and without weights (some of them zero), double and float, centered and not.
/// </summary>
public class ColumnMomentsTests
{
    private static readonly Gen<(int N, int P, int Pad, int Seed, int Weights, bool Centered, bool Single)> Cases =
        from n in Gen.Elements(0, 1, 2, 3, 4, 5, 31, 32, 33, 63, 64, 65, 255, 256, 257, 600, 1025)
        from p in Gen.Elements(1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 65, 130, 300)
        from pad in Gen.Elements(0, 0, 1, 3)
        from seed in Gen.Choose(0, int.MaxValue)
        from weights in Gen.Choose(0, 2) // none, positive, positive with zeros
        from centered in Gen.Elements(true, false)
        from single in Gen.Elements(false, true)
        select (n, p, pad, seed, weights, centered, single);

    [Property(MaxTest = 300)]
    public Property Moments_equal_the_two_pass_formulas() => Prop.ForAll(Arb.From(Cases), c =>
    {
        var rng = new Random(c.Seed);
        int stride = c.P + c.Pad;
        double[] values = [.. Enumerable.Range(0, Math.Max(0, (c.N * stride) - c.Pad)).Select(_ => 3 + (rng.NextDouble() * 4) - 2)];
        double[] weights = c.Weights == 0 ? [] : [.. Enumerable.Range(0, c.N).Select(_ => c.Weights == 2 && rng.Next(4) == 0 ? 0 : 0.1 + (rng.NextDouble() * 2))];
        if (c.Single)
        {
            // The reference sees the same float-rounded values.
            values = [.. values.Select(v => (double)(float)v)];
            weights = [.. weights.Select(v => (double)(float)v)];
        }

        var mean = new double[c.P];
        var squares = new double[c.P];
        bool finite = c.Single
            ? ColumnMoments.Compute(new MatrixView<float>([.. values.Select(v => (float)v)], c.N, c.P, stride), [.. weights.Select(v => (float)v)], c.Centered, mean, squares)
            : ColumnMoments.Compute(new MatrixView<double>(values, c.N, c.P, stride), weights, c.Centered, mean, squares);
        if (!finite)
        {
            return false.Label("reported a non-finite value");
        }

        double total = 0;
        for (int i = 0; i < c.N; i++)
        {
            total += weights.Length == 0 ? 1 : weights[i];
        }

        for (int j = 0; j < c.P; j++)
        {
            double m = 0;
            if (c.Centered && total > 0)
            {
                for (int i = 0; i < c.N; i++)
                {
                    m += (weights.Length == 0 ? 1 : weights[i]) * values[(i * stride) + j];
                }

                m /= total;
            }

            double s = 0, scale = 0;
            for (int i = 0; i < c.N; i++)
            {
                double wi = weights.Length == 0 ? 1 : weights[i], d = values[(i * stride) + j] - m;
                s += wi * d * d;
                scale += wi * values[(i * stride) + j] * values[(i * stride) + j];
            }

            // Each sum carries about n roundings of terms no larger than those of Σ w·x²; the blocked merge adds a few
            // more per block.
            double u = Math.Pow(2, -52);
            double meanTolerance = 8 * (c.N + 4) * u * Math.Sqrt(scale / Math.Max(total, 1e-300));
            double squaresTolerance = 8 * (c.N + 4) * u * scale;
            if (!(Math.Abs(mean[j] - m) <= meanTolerance + 1e-300))
            {
                return false.Label($"column {j}: mean {mean[j]:R} vs {m:R}");
            }

            if (!(Math.Abs(squares[j] - s) <= squaresTolerance + 1e-300))
            {
                return false.Label($"column {j}: squares {squares[j]:R} vs {s:R}");
            }
        }

        return true.ToProperty();
    });

    /// <summary>A column with mean 10⁶ and unit spread: Σx² − n·x̄² would lose twelve of sixteen digits; the blocked
    /// update keeps the sum of squares to 1e-9 relative.</summary>
    [Theory]
    [InlineData(1000)]
    [InlineData(100_003)]
    public void Large_means_keep_the_digits_of_the_spread(int n)
    {
        const int p = 3;
        var rng = new Random(n);
        var x = new double[n * p];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = 1e6 + (rng.NextDouble() - 0.5);
        }

        var mean = new double[p];
        var squares = new double[p];
        Assert.True(ColumnMoments.Compute(new MatrixView<double>(x, n, p), ReadOnlySpan<double>.Empty, centered: true, mean, squares));
        for (int j = 0; j < p; j++)
        {
            // The reference: two passes in double with the shift removed exactly first (1e6 is a double).
            double m = 0;
            for (int i = 0; i < n; i++)
            {
                m += x[(i * p) + j] - 1e6;
            }

            m /= n;
            double s = 0;
            for (int i = 0; i < n; i++)
            {
                double d = x[(i * p) + j] - 1e6 - m;
                s += d * d;
            }

            Assert.True(Math.Abs(squares[j] - s) <= 1e-9 * s, $"column {j}: {squares[j]:R} vs {s:R}");
            Assert.True(Math.Abs(mean[j] - (1e6 + m)) <= 1e-15 * 1e6, $"column {j}: mean {mean[j]:R} vs {1e6 + m:R}");
        }
    }

    /// <summary>NaN or ±∞ anywhere in X is reported, also in a row of weight zero, centered or not; finite X with
    /// zero weights everywhere is not.</summary>
    [Theory]
    [InlineData(double.NaN, true)]
    [InlineData(double.NaN, false)]
    [InlineData(double.PositiveInfinity, true)]
    [InlineData(double.NegativeInfinity, false)]
    public void Non_finite_values_are_reported_whatever_their_weight(double bad, bool centered)
    {
        // p = 5: blocks of 256 rows; rows 0..299 weigh nothing, so the first block has no weight at all.
        const int n = 600, p = 5;
        foreach (int row in new[] { 0, 137, 420, n - 1 })
        {
            var x = Enumerable.Range(0, n * p).Select(i => (double)(i % 7)).ToArray();
            var w = Enumerable.Range(0, n).Select(i => i == row || i < 300 ? 0.0 : 1.0).ToArray();
            x[(row * p) + 2] = bad;
            Assert.False(ColumnMoments.Compute(new MatrixView<double>(x, n, p), w, centered, new double[p], new double[p]), $"row {row}");
            x[(row * p) + 2] = 1;
            Assert.True(ColumnMoments.Compute(new MatrixView<double>(x, n, p), w, centered, new double[p], new double[p]), $"row {row}, finite");
        }

        var zeros = new double[n];
        Assert.True(ColumnMoments.Compute(new MatrixView<double>(new double[n * p], n, p), zeros, centered, new double[p], new double[p]));
    }

    /// <summary>Through the public API: conjugate gradient from X names the first non-finite value of X by row and column.</summary>
    [Fact]
    public void Conjugate_gradient_from_x_names_a_non_finite_value()
    {
        const int n = 200, p = 6;
        var rng = new Random(5);
        var x = Enumerable.Range(0, n * p).Select(_ => rng.NextDouble()).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
        x[(117 * p) + 4] = double.PositiveInfinity;
        var e = Assert.ThrowsAny<ArgumentException>(() => IterativeRidge.ConjugateGradient(new MatrixView<double>(x, n, p), y, new IterativeRidgeOptions { Lambda = 0.1 }));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("117", e.Message, StringComparison.Ordinal);
    }
}
