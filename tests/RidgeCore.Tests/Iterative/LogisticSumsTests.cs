using System;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RidgeCore.Iterative;
using RidgeCore.Kernels.Iterative;

namespace RidgeCore.Tests.Iterative;

/// <summary>
/// The logistic fit's per-row sums over stored margins, against naive loops, on whatever tier this process runs (the
/// suite runs once per tier): the loss sum Σ wᵢ·ℓ(mᵢ, yᵢ) that the line search and the result's objective use, and the
/// IRLS weights wᵢ·σ(mᵢ)σ(−mᵢ) of a Hessian. Lengths 0 … 70 cross every vector width's tail (2, 4 and 8 lanes); the
/// margins span 10⁻²⁰ … 8 000 in size with both signs, where exp(−|m|) is 1, tiny, or subnormal.
/// </summary>
public class LogisticSumsTests
{
    private static readonly Gen<(int Length, int Seed, bool Weighted)> Cases =
        from length in Gen.Choose(0, 70)
        from seed in Gen.Choose(0, int.MaxValue)
        from weighted in Gen.Elements(false, true)
        select (length, seed, weighted);

    [Property(MaxTest = 200)]
    public Property Loss_sum_equals_the_naive_sum() => Prop.ForAll(Arb.From(Cases), c =>
    {
        (double[] m, double[] y, double[]? w) = Data(c);
        double expected = 0;
        for (int i = 0; i < m.Length; i++)
        {
            // ℓ = log(1 + exp(−|m|)) + max(m, 0) − y·m, each term ≥ 0, so the sum has no cancellation.
            expected += (w?[i] ?? 1) * (Log1P(Math.Exp(-Math.Abs(m[i]))) + Math.Max(m[i], 0) - (y[i] * m[i]));
        }

        double actual = LogisticLoss<double>.Sum(m, y, w);
        double tolerance = 16 * (m.Length + 1) * Unit * expected; // a few ulps per term, accumulated over n terms
        return (Math.Abs(actual - expected) <= tolerance).Label($"n={m.Length}: {actual:R} vs {expected:R}");
    });

    [Property(MaxTest = 200)]
    public Property Irls_weights_equal_the_naive_formula() => Prop.ForAll(Arb.From(Cases), c =>
    {
        (double[] m, _, double[]? w) = Data(c);
        var v = new double[m.Length + 1];
        v[^1] = 12345; // a guard past the end
        LogisticEngine.IrlsWeights(m, w, v.AsSpan(0, m.Length));
        for (int i = 0; i < m.Length; i++)
        {
            // σ(m)σ(−m) = 1/((1 + e^m)(1 + e^−m)), each factor exact to an ulp (1 − σ(m) would cancel); past |m| = 700,
            // where e^|m| overflows, it is e^−|m| to far below an ulp.
            double expected = (w?[i] ?? 1) * (Math.Abs(m[i]) > 700 ? Math.Exp(-Math.Abs(m[i])) : 1 / ((1 + Math.Exp(m[i])) * (1 + Math.Exp(-m[i]))));

            if (!(Math.Abs(v[i] - expected) <= 1e-13 * expected) && !(expected == 0 && v[i] == 0))
            {
                return false.Label($"n={m.Length} i={i} m={m[i]:R}: {v[i]:R} vs {expected:R}");
            }
        }

        return (v[^1] == 12345).Label("guard");
    });

    /// <summary>The line search's bound on F(x + t·d) − F(x), which accepts chord steps without summing the loss,
    /// never lies: on random problems, points and steps (margin changes up to and past the bound's cut-off at 2), it
    /// is at least the naive difference of the objectives. It is also tight enough to matter: for steps near the
    /// line's minimum with small margin changes it proves Armijo's decrease.</summary>
    [Property(MaxTest = 300)]
    public Property Trapezoid_bound_is_an_upper_bound_on_the_objective_change() => Prop.ForAll(Arb.From(
        from seed in Gen.Choose(0, int.MaxValue)
        from scale in Gen.Elements(0.001, 0.03, 0.3, 1.0, 3.0)
        from t in Gen.Elements(1.0, 0.5, 0.125)
        select (seed, scale, t)), c =>
    {
        var rng = new Random(c.seed);
        int n = 60, p = 4;
        var x = new double[n * p];
        var y = new double[n];
        var w = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < p; j++)
            {
                x[(i * p) + j] = (rng.NextDouble() * 2) - 1;
            }

            y[i] = rng.Next(2);
            w[i] = rng.NextDouble() * 2;
        }

        double lambda = rng.NextDouble() * 0.01;
        var beta = new double[p + 1];
        var dir = new double[p + 1];
        for (int j = 0; j <= p; j++)
        {
            beta[j] = (rng.NextDouble() * 2) - 1;
            dir[j] = c.scale * ((rng.NextDouble() * 2) - 1);
        }

        var moved = new double[p + 1];
        double maxChange = 0;
        for (int j = 0; j <= p; j++)
        {
            moved[j] = beta[j] + (c.t * dir[j]);
        }

        for (int i = 0; i < n; i++)
        {
            double dm = c.t * dir[p];
            for (int j = 0; j < p; j++)
            {
                dm += c.t * dir[j] * x[(i * p) + j];
            }

            maxChange = Math.Max(maxChange, Math.Abs(dm));
        }

        double[] g0 = LogisticReference.Gradient(x, y, w, n, p, lambda, beta, true);
        double[] g1 = LogisticReference.Gradient(x, y, w, n, p, lambda, moved, true);
        double slope = 0, trialSlope = 0;
        for (int j = 0; j <= p; j++)
        {
            slope += g0[j] * dir[j];
            trialSlope += g1[j] * dir[j];
        }

        double change = LogisticReference.Objective(x, y, w, n, p, lambda, moved, true) - LogisticReference.Objective(x, y, w, n, p, lambda, beta, true);
        double bound = LogisticEngine.TrapezoidBound(c.t, slope, trialSlope, maxChange);
        double rounding = 1e-13 * (Math.Abs(change) + Math.Abs(c.t * slope) + 1e-3);
        return (bound >= change - rounding).Label($"M={maxChange:E2}: bound {bound:E6} < change {change:E6}");
    });

    [Property(MaxTest = 100)]
    public Property Trapezoid_bound_proves_the_decrease_of_a_short_step_near_the_line_minimum() => Prop.ForAll(Arb.From(
        from slope in Gen.Choose(1, 1000)
        from overshoot in Gen.Choose(-10, 10)
        from change in Gen.Choose(0, 100)
        select (slope: -slope * 1e-3, trialSlope: overshoot * 1e-2 * slope * 1e-3, maxChange: change * 1e-3)), c =>
        LogisticEngine.TrapezoidBound(1, c.slope, c.trialSlope, c.maxChange) <= 1e-4 * c.slope);

    private const double Unit = 1.1102230246251565e-16; // 2⁻⁵³

    private static (double[] M, double[] Y, double[]? W) Data((int Length, int Seed, bool Weighted) c)
    {
        var rng = new Random(c.Seed);
        var m = new double[c.Length];
        var y = new double[c.Length];
        double[]? w = c.Weighted ? new double[c.Length] : null;
        for (int i = 0; i < c.Length; i++)
        {
            m[i] = (rng.Next(2) == 0 ? -1 : 1) * Math.Pow(10, (rng.NextDouble() * 23) - 20) * (rng.Next(4) == 0 ? 8 : 1);
            y[i] = rng.Next(2);
            if (w is not null)
            {
                w[i] = rng.Next(5) == 0 ? 0 : rng.NextDouble() * 3;
            }
        }

        return (m, y, w);
    }

    /// <summary>log(1 + e) for 0 ≤ e ≤ 1: the alternating series below 0.1 (20 terms leave less than 10⁻²¹ relative),
    /// Math.Log(1 + e) above (where 1 + e rounds by at most half an ulp of a number ≥ 1.1).</summary>
    private static double Log1P(double e)
    {
        if (e >= 0.1)
        {
            return Math.Log(1 + e);
        }

        double sum = 0, power = e;
        for (int k = 1; k <= 20; k++, power *= e)
        {
            sum += (k % 2 == 1 ? 1 : -1) * power / k;
        }

        return sum;
    }
}
