using System;
using System.Linq;
using RidgeCore.Iterative;
using Xunit;

namespace RidgeCore.Tests.Iterative;

/// <summary>
/// The Lipschitz constant behind gradient descent's step (<see cref="RidgeIterations.LargestEigenvalue"/>): on
/// matrices H = V·diag(λ)·Vᵀ with a random orthonormal V and a prescribed spectrum it is within 0.1 % of λ_max (at
/// most 0.1 % below, at most 0.2 % above), and it needs few products with H: a clustered spectrum (every eigenvalue
/// within 10 % of λ_max, as on uniform data) took power iteration its full 100 passes over X. A start vector inside an
/// invariant subspace that misses λ_max (the all-ones vector as an eigenvector of the smallest eigenvalue) must not
/// hide it.
/// </summary>
public sealed class LipschitzEstimateTests
{
    [Theory]
    [InlineData(64, 1.0, 1.1, 1)]
    [InlineData(64, 1.0, 1.0001, 2)]
    [InlineData(50, 1.0, 1000.0, 3)]
    [InlineData(200, 1e-3, 1.0, 4)]
    [InlineData(3, 2.0, 5.0, 5)]
    [InlineData(1, 7.0, 7.0, 6)]
    public void Estimate_is_within_a_tenth_of_a_percent_in_few_products(int p, double smallest, double largest, int seed)
    {
        var rng = new Random(seed);
        double[] values = [.. Enumerable.Range(0, p).Select(i => p == 1 ? largest : smallest * Math.Pow(largest / smallest, i / (double)(p - 1)))];
        values = [.. values.OrderBy(_ => rng.Next())];
        var q = new DenseQuadratic(Spectral(values, RandomOrthonormal(p, rng)), p);
        double estimate = RidgeIterations.LargestEigenvalue(ref q, new double[p], new double[p]);
        Assert.InRange(estimate, largest * (1 - 1e-3), largest * (1 + 2e-3));
        Assert.True(q.Products <= 40, $"{q.Products} products with H");
    }

    [Fact]
    public void A_start_in_an_invariant_subspace_does_not_hide_the_largest_eigenvalue()
    {
        // H = I + 10·u·uᵀ with u ⟂ (1, …, 1): the all-ones start is an eigenvector of eigenvalue 1, so its Krylov space
        // closes after one step; λ_max = 11 lies along u.
        const int p = 9;
        double[] u = [.. Enumerable.Range(0, p).Select(j => j - ((p - 1) / 2.0))];
        double norm = Math.Sqrt(u.Sum(v => v * v));
        var h = new double[p * p];
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                h[(i * p) + j] = (i == j ? 1 : 0) + (10 * u[i] * u[j] / (norm * norm));
            }
        }

        var q = new DenseQuadratic(h, p);
        Assert.InRange(RidgeIterations.LargestEigenvalue(ref q, new double[p], new double[p]), 11 * (1 - 1e-3), 11 * (1 + 2e-3));
    }

    [Fact]
    public void Zero_matrix_gives_one()
    {
        var q = new DenseQuadratic(new double[16], 4);
        Assert.Equal(1, RidgeIterations.LargestEigenvalue(ref q, new double[4], new double[4]));
    }

    private static double[] RandomOrthonormal(int p, Random rng)
    {
        // Gram–Schmidt (twice) on random vectors: row k of the result is the k-th basis vector.
        var v = new double[p * p];
        for (int k = 0; k < p; k++)
        {
            for (int j = 0; j < p; j++)
            {
                v[(k * p) + j] = rng.NextDouble() - 0.5;
            }

            for (int pass = 0; pass < 2; pass++)
            {
                for (int i = 0; i < k; i++)
                {
                    double dot = 0;
                    for (int j = 0; j < p; j++)
                    {
                        dot += v[(i * p) + j] * v[(k * p) + j];
                    }

                    for (int j = 0; j < p; j++)
                    {
                        v[(k * p) + j] -= dot * v[(i * p) + j];
                    }
                }
            }

            double norm = 0;
            for (int j = 0; j < p; j++)
            {
                norm += v[(k * p) + j] * v[(k * p) + j];
            }

            for (int j = 0; j < p; j++)
            {
                v[(k * p) + j] /= Math.Sqrt(norm);
            }
        }

        return v;
    }

    private static double[] Spectral(double[] values, double[] basis)
    {
        int p = values.Length;
        var h = new double[p * p];
        for (int k = 0; k < p; k++)
        {
            for (int i = 0; i < p; i++)
            {
                for (int j = 0; j < p; j++)
                {
                    h[(i * p) + j] += values[k] * basis[(k * p) + i] * basis[(k * p) + j];
                }
            }
        }

        return h;
    }

    /// <summary>H as a dense matrix, counting the products.</summary>
    private struct DenseQuadratic(double[] h, int p) : IRidgeQuadratic
    {
        public int Products { get; private set; }

        public readonly int Features => p;

        public readonly double WeightSum => 1;

        public double Lambda { get; set; }

        public readonly ReadOnlySpan<double> RightHandSide => new double[p];

        public readonly double TargetSumOfSquares => 0;

        public readonly ReadOnlySpan<double> MeanX => new double[p];

        public readonly double MeanY => 0;

        public void Apply(ReadOnlySpan<double> v, Span<double> hv)
        {
            Products++;
            for (int i = 0; i < p; i++)
            {
                double s = 0;
                for (int j = 0; j < p; j++)
                {
                    s += h[(i * p) + j] * v[j];
                }

                hv[i] = s;
            }
        }

        public readonly void Gradient(ReadOnlySpan<double> theta, Span<double> g) => throw new NotSupportedException();

        public readonly void GramDiagonal(Span<double> d) => throw new NotSupportedException();
    }
}
