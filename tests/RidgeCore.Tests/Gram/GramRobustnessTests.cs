using System;
using System.Numerics;
using Xunit;
using Xunit.Abstractions;

namespace RidgeCore.Tests.Gram;

/// <summary>
/// Columns with mean 10⁶ and unit spread. Co-moments are checked against exact rational arithmetic: every value is a
/// multiple of 2⁻²⁰ (and, for the float case, a float), so with integer weights m = 2²⁰·z is an integer and
/// C_ab = (W·Σw m_a m_b − Σw m_a · Σw m_b) / (W · 2⁴⁰) exactly; the numerator is formed in Int128/BigInteger and only
/// the final quotient is rounded. Errors are measured as |ΔC_ab| / √(C_aa C_bb), the error relative to the scale of the
/// entry's row and column (co-moments of nearly uncorrelated columns are not themselves small-relative-error quantities).
/// </summary>
public class GramRobustnessTests
{
    private const double Scale = 1 << 20;
    private readonly ITestOutputHelper _output;

    public GramRobustnessTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData(3000, false, 1)]
    [InlineData(3000, true, 1)]
    [InlineData(40000, false, 2)] // several stripes, two threads
    public void Double_co_moments_at_mean_1e6_keep_relative_error_below_1e_9(int n, bool weighted, int dop)
    {
        GramProblem pr = OffsetData(n, weighted, isFloat: false, seed: n);
        GramStats exact = Exact(pr);
        using var acc = new GramAccumulator(pr.P, pr.T) { DegreeOfParallelism = dop };
        pr.AddTo(acc);
        GramStats got = GramStats.Of(acc);
        double err = GramAssert.MaxScaledError(exact, got, out string where);
        _output.WriteLine($"n={n} weighted={weighted}: max scaled error {err:E2} at {where}");
        Assert.True(err <= 1e-9, $"max scaled error {err:E3} at {where} exceeds 1e-9 [{KernelSelection.Active}]");
        AssertMeans(exact, got, 1e-13);
    }

    /// <summary>Cut into uneven batches, merged in a chain and a tree: the Chan merges keep the same bound.</summary>
    [Fact]
    public void Double_co_moments_at_mean_1e6_survive_batching_and_merging()
    {
        GramProblem pr = OffsetData(3000, weighted: true, isFloat: false, seed: 77);
        GramStats exact = Exact(pr);
        int[] cuts = [0, 1, 300, 301, 1100, 2047, 2999, 3000];
        var parts = new GramAccumulator[cuts.Length - 1];
        try
        {
            for (int i = 0; i < parts.Length; i++)
            {
                parts[i] = new GramAccumulator(pr.P, pr.T);
                pr.AddTo(parts[i], cuts[i], cuts[i + 1] - cuts[i]);
            }

            parts[6].Merge(parts[0]);
            parts[1].Merge(parts[5]);
            parts[2].Merge(parts[3]);
            parts[2].Merge(parts[4]);
            parts[1].Merge(parts[2]);
            parts[6].Merge(parts[1]);
            GramStats got = GramStats.Of(parts[6]);
            double err = GramAssert.MaxScaledError(exact, got, out string where);
            Assert.True(err <= 1e-9, $"max scaled error {err:E3} at {where} [{KernelSelection.Active}]");
            AssertMeans(exact, got, 1e-13);
        }
        finally
        {
            foreach (GramAccumulator a in parts)
            {
                a?.Dispose();
            }
        }
    }

    /// <summary>
    /// Float input of the same data (rounded to float, spacing 1/16 at 10⁶) against the exact statistics of the
    /// float-rounded values: within 10⁻⁴, because centering happens in double before the products are formed in float.
    /// </summary>
    [Theory]
    [InlineData(3000, false)]
    [InlineData(5000, true)]
    public void Float_co_moments_at_mean_1e6_stay_within_1e_4_of_the_exact_statistics(int n, bool weighted)
    {
        GramProblem pr = OffsetData(n, weighted, isFloat: true, seed: n + 1);
        GramStats exact = Exact(pr);
        using var acc = new GramAccumulator(pr.P, pr.T);
        pr.AddTo(acc);
        GramStats got = GramStats.Of(acc);
        double err = GramAssert.MaxScaledError(exact, got, out string where);
        _output.WriteLine($"float n={n}: max scaled error {err:E2} at {where}");
        Assert.True(err <= 1e-4, $"max scaled error {err:E3} at {where} exceeds 1e-4 [{KernelSelection.Active}]");
        AssertMeans(exact, got, 1e-13);
    }

    /// <summary>
    /// The textbook shortcut Σw z zᵀ − W μμᵀ, in plain double, on the same data fails the 10⁻⁹ bound by orders of
    /// magnitude (Σ z² ≈ n·10¹² carries an absolute error near 1 while C_aa ≈ n): the check above can fail, and the
    /// engine's centering is what passes it.
    /// </summary>
    [Fact]
    public void The_naive_raw_moment_formula_fails_the_same_bound()
    {
        GramProblem pr = OffsetData(3000, weighted: false, isFloat: false, seed: 3000);
        GramStats exact = Exact(pr);
        int q = pr.Q;
        var naive = new GramStats(pr.P, pr.T);
        var sum = new double[q];
        var raw = new double[q * q];
        double w = 0;
        for (int i = 0; i < pr.N; i++)
        {
            double wi = pr.Weight(i);
            w += wi;
            for (int a = 0; a < q; a++)
            {
                sum[a] += wi * pr.Z(i, a);
                for (int b = 0; b <= a; b++)
                {
                    raw[(a * q) + b] += wi * pr.Z(i, a) * pr.Z(i, b);
                }
            }
        }

        for (int a = 0; a < q; a++)
        {
            for (int b = 0; b <= a; b++)
            {
                naive.SetC(a, b, raw[(a * q) + b] - (w * (sum[a] / w) * (sum[b] / w)));
            }
        }

        double err = GramAssert.MaxScaledError(exact, naive, out string where);
        _output.WriteLine($"naive: max scaled error {err:E2} at {where}");
        Assert.True(err > 1e-6, $"the naive formula unexpectedly kept {err:E3}: the data no longer test cancellation");
    }

    /// <summary>
    /// p = 4, t = 1; z_a = 10⁶ + (u_a + 0.8 f)·√3/1.3 with u, f uniform in (−1, 1) (unit spread, correlated through f),
    /// rounded to a multiple of 2⁻²⁰ (exact in double) and for float to the nearest float. Weights are integers 0..3.
    /// </summary>
    private static GramProblem OffsetData(int n, bool weighted, bool isFloat, int seed)
    {
        const int p = 4, t = 1, q = p + t;
        var rng = new Random(seed);
        var x = new double[n * p];
        var y = new double[n * t];
        for (int i = 0; i < n; i++)
        {
            double f = (2 * rng.NextDouble()) - 1;
            for (int a = 0; a < q; a++)
            {
                double v = 1e6 + (a * 0.25) + (((2 * rng.NextDouble()) - 1 + (0.8 * f)) * Math.Sqrt(3) / 1.3);
                v = Math.Round(v * Scale) / Scale;
                if (isFloat)
                {
                    v = (float)v;
                }

                if (a < p)
                {
                    x[(i * p) + a] = v;
                }
                else
                {
                    y[(i * t) + a - p] = v;
                }
            }
        }

        double[]? w = weighted ? GramProblem.MakeWeights(WeightKind.Integers, n, rng) : null;
        return GramProblem.From(x, y, n, p, t, w, isFloat);
    }

    /// <summary>Exact statistics of <paramref name="pr"/>, whose values are multiples of 2⁻²⁰ and weights integers.</summary>
    private static GramStats Exact(GramProblem pr)
    {
        int q = pr.Q;
        var s = new Int128[q];
        var pp = new Int128[q * q];
        long w = 0;
        var m = new long[q];
        for (int i = 0; i < pr.N; i++)
        {
            long wi = checked((long)pr.Weight(i));
            if (wi != pr.Weight(i))
            {
                throw new InvalidOperationException($"weight {i} is not an integer");
            }

            w += wi;
            for (int a = 0; a < q; a++)
            {
                double scaled = pr.Z(i, a) * Scale;
                m[a] = checked((long)scaled);
                if (m[a] != scaled)
                {
                    throw new InvalidOperationException($"z[{i},{a}] is not a multiple of 2^-20");
                }

                s[a] += (Int128)wi * m[a];
            }

            for (int a = 0; a < q; a++)
            {
                for (int b = 0; b <= a; b++)
                {
                    pp[(a * q) + b] += (Int128)wi * m[a] * m[b];
                }
            }
        }

        var stats = new GramStats(pr.P, pr.T) { Rows = pr.N, WeightSum = w };
        double den = w * Scale * Scale;
        for (int a = 0; a < q; a++)
        {
            stats.SetMean(a, (double)(BigInteger)s[a] / (w * Scale));
            for (int b = 0; b <= a; b++)
            {
                BigInteger num = ((BigInteger)w * (BigInteger)pp[(a * q) + b]) - ((BigInteger)s[a] * (BigInteger)s[b]);
                stats.SetC(a, b, (double)num / den);
            }
        }

        return stats;
    }

    private static void AssertMeans(GramStats exact, GramStats got, double relative)
    {
        Assert.Equal(exact.WeightSum, got.WeightSum);
        Assert.Equal(exact.Rows, got.Rows);
        for (int a = 0; a < exact.P + exact.T; a++)
        {
            double err = Math.Abs(got.Mean(a) - exact.Mean(a)) / Math.Abs(exact.Mean(a));
            Assert.True(err <= relative, $"mean {a}: {got.Mean(a)} vs exact {exact.Mean(a)} (relative {err:E2})");
        }
    }
}
