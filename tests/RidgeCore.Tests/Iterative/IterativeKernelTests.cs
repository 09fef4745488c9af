using System;
using System.Linq;
using System.Numerics;
using RidgeCore.Kernels.Iterative;
using RidgeCore.Tests.Harness;
using Xunit;

namespace RidgeCore.Tests.Iterative;

/// <summary>The losses the batch kernel is tested with.</summary>
public enum LossKind
{
    Squared,
    Residual,
    Margin,
    Logistic,
    Huber,
}

/// <summary>The iterative kernels in double precision.</summary>
public sealed class DoubleIterativeKernelTests : IterativeKernelTests<double>;

/// <summary>The iterative kernels in single precision.</summary>
public sealed class SingleIterativeKernelTests : IterativeKernelTests<float>;

/// <summary>
/// Specification of the update kernels of the iterative solvers, on whatever tier this process runs (the suite runs
/// once per tier):
/// <list type="bullet">
/// <item>the fused batch pass equals a naive double-precision loop (margins, loss derivatives, weighted gradient sum,
/// Σw, Σw·ℓ', Σw·ℓ) for every p from 1 to 40 and around every vector-width edge up to 257, batches of 0 to 9 rows
/// (groups of four and leftovers), contiguous and gathered rows, strided X, with and without weights, for every loss,
/// and each row's margin, written where the caller asks for margins (double on 256/512-bit tiers takes the
/// vectorized path: four rows' dot products reduced together and their terms computed as one vector);</item>
/// <item>the coupled L2 step, weight decay and the general decayed step equal their one-line formulas for every length
/// 0..300, and the coupled step with λ equals the weight-decay step with λ_wd = 2λ bit for bit (§11's identity);</item>
/// <item>neither allocates.</item>
/// </list>
/// </summary>
public abstract class IterativeKernelTests<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly int[] Widths = [.. Range(1, 40), 47, 48, 49, 63, 64, 65, 95, 96, 97, 127, 128, 129, 255, 256, 257];

    [Theory]
    [InlineData(LossKind.Squared)]
    [InlineData(LossKind.Residual)]
    [InlineData(LossKind.Margin)]
    [InlineData(LossKind.Logistic)]
    [InlineData(LossKind.Huber)]
    public void Batch_pass_matches_naive_reference_for_every_width_and_batch_size(LossKind kind)
    {
        foreach (int p in Widths)
        {
            for (int count = 0; count <= 9; count++)
            {
                int seed = (p * 31) + count;
                Check(kind, p, count, indexed: (seed & 1) == 0, weighted: (seed & 2) == 0, stride: p + (seed % 3), seed, streams: (seed & 4) == 0);
            }
        }
    }

    [Fact]
    public void Batch_pass_with_a_long_batch_matches_reference_in_every_layout()
    {
        foreach (bool indexed in new[] { false, true })
        {
            foreach (bool weighted in new[] { false, true })
            {
                Check(LossKind.Squared, 64, 37, indexed, weighted, stride: 64, seed: 5);
                Check(LossKind.Logistic, 33, 41, indexed, weighted, stride: 35, seed: 6);
                Check(LossKind.Residual, 17, 43, indexed, weighted, stride: 19, seed: 8, streams: true);
                Check(LossKind.Logistic, 64, 40, indexed, weighted, stride: 64, seed: 9, streams: true);

                // Margins of ±10..±200: e = exp(−|m|) down to where 1 + e rounds to 1 (the vectorized log1p branch).
                Check(LossKind.Logistic, 24, 40, indexed, weighted, stride: 24, seed: 7, spread: 60);
            }
        }
    }

    /// <summary>The README's promise that results do not depend on where a buffer lives: the same rows at every
    /// element-aligned position of a 64-byte line give bitwise the same gradient, sums and margins (contiguous and
    /// gathered rows, strides that keep or shift the alignment from row to row), and nothing outside X is read (the
    /// guards are NaN, which would reach the results) or written.</summary>
    [Fact]
    public void Batch_pass_is_bit_identical_at_every_alignment_of_x()
    {
        int lanes = 64 / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        foreach (int p in new[] { 3, 8, 16, 17, 63, 64, 65, 130 })
        {
            foreach (bool indexed in new[] { false, true })
            {
                foreach (int stride in new[] { p, p + 1, ((p + lanes - 1) / lanes * lanes) + lanes })
                {
                    const int n = 23;
                    var rng = new Random((p * 7) + stride);
                    T[] source = Values(rng, n * stride);
                    T[] y = Labels(rng, n);
                    T[] w = Positive(rng, n);
                    T[] v = Values(rng, p);
                    int[] rows = indexed ? [.. Enumerable.Range(0, 17).Select(_ => rng.Next(n))] : [];
                    int first = indexed ? 0 : 3, count = indexed ? rows.Length : 17;
                    T[]? g0 = null, m0 = null;
                    BatchSums<T> s0 = default;
                    for (int offset = 0; offset < lanes; offset++)
                    {
                        using var x = new GuardedBuffer<T>(n * stride, offset);
                        source.CopyTo(x.Span);
                        var g = new T[p];
                        var margins = new T[n];
                        BatchSums<T> sums = BatchGradientKernel.Run(
                            new LogisticLoss<T>(), ref x.Span[0], stride, p, rows, first, count, y, w, v, T.CreateTruncating(0.9), T.CreateTruncating(0.1), g,
                            computeLoss: true, margins: margins, availableRows: indexed ? 0 : n - first);
                        string ctx = $"p={p} stride={stride} indexed={indexed} offset={offset} tier={KernelSelection.Report.TierName}";
                        x.AssertGuardsIntact(ctx);
                        if (g0 is null)
                        {
                            (g0, m0, s0) = (g, margins, sums);
                            Assert.True(g.All(T.IsFinite), ctx);
                            continue;
                        }

                        Assert.True(g.SequenceEqual(g0), $"{ctx}: gradient differs from offset 0");
                        Assert.True(margins.SequenceEqual(m0!), $"{ctx}: margins differ from offset 0");
                        Assert.Equal(s0, sums);
                    }
                }
            }
        }
    }

    [Fact]
    public void Step_kernels_match_their_formulas_for_every_length()
    {
        var rng = new Random(3);
        for (int n = 0; n <= 300; n++)
        {
            T[] theta = Values(rng, n), g = Values(rng, n);
            T eta = T.CreateTruncating(0.01 + rng.NextDouble()), lambda = T.CreateTruncating(rng.NextDouble());

            T[] coupled = (T[])theta.Clone();
            StepKernels.L2Step<T>(coupled, g, eta, lambda);
            T[] decoupled = (T[])theta.Clone();
            StepKernels.WeightDecayStep<T>(decoupled, g, eta, lambda + lambda);
            T[] general = (T[])theta.Clone();
            T decay = T.One - (eta * lambda), step = -eta;
            StepKernels.DecayedStep<T>(general, g, decay, step);

            for (int i = 0; i < n; i++)
            {
                double th = double.CreateTruncating(theta[i]), gi = double.CreateTruncating(g[i]);
                double e = double.CreateTruncating(eta), l = double.CreateTruncating(lambda);
                double want = ((1 - (2 * e * l)) * th) - (e * gi);
                double tol = 4 * Tolerance.UnitRoundoff<T>() * ((Math.Abs(1 - (2 * e * l)) * Math.Abs(th)) + Math.Abs(e * gi) + Math.Abs(2 * e * l * th));
                Assert.True(Math.Abs(double.CreateTruncating(coupled[i]) - want) <= tol, $"L2 step n={n} i={i}: {coupled[i]} vs {want}");
                Assert.Equal(coupled[i], decoupled[i]);

                double d = double.CreateTruncating(decay), s = double.CreateTruncating(step);
                double wantGeneral = (d * th) + (s * gi);
                double tolGeneral = 4 * Tolerance.UnitRoundoff<T>() * ((Math.Abs(d * th) + Math.Abs(s * gi)) + Math.Abs(e * l * th));
                Assert.True(Math.Abs(double.CreateTruncating(general[i]) - wantGeneral) <= tolGeneral, $"decayed step n={n} i={i}");
            }
        }
    }

    [Fact]
    public void Coupled_step_equals_explicit_penalty_gradient_step_to_rounding()
    {
        // θ − η(g + 2λθ), evaluated the long way in double, is the coupled step's definition.
        var rng = new Random(11);
        for (int n = 1; n <= 70; n++)
        {
            T[] theta = Values(rng, n), g = Values(rng, n);
            T eta = T.CreateTruncating(0.05), lambda = T.CreateTruncating(0.3);
            T[] fused = (T[])theta.Clone();
            StepKernels.L2Step<T>(fused, g, eta, lambda);
            for (int i = 0; i < n; i++)
            {
                double th = double.CreateTruncating(theta[i]);
                double full = double.CreateTruncating(g[i]) + (2 * double.CreateTruncating(lambda) * th);
                double want = th - (double.CreateTruncating(eta) * full);
                Assert.True(Math.Abs(double.CreateTruncating(fused[i]) - want) <= 16 * Tolerance.UnitRoundoff<T>() * (Math.Abs(th) + Math.Abs(full)), $"n={n} i={i}");
            }
        }
    }

    [Fact]
    public void Batch_pass_and_steps_allocate_nothing()
    {
        const int p = 37, n = 40;
        var rng = new Random(2);
        T[] x = Values(rng, n * p), y = Values(rng, n), w = Values(rng, n), v = Values(rng, p), g = new T[p];
        int[] rows = [3, 1, 4, 1, 5, 9, 2, 6, 5];
        AllocationAssert.None(() =>
        {
            BatchGradientKernel.Run(new SquaredLoss<T>(), ref x[0], p, p, rows, 0, rows.Length, y, w, v, T.One, T.Zero, g, computeLoss: true);
            BatchGradientKernel.Run(new LogisticLoss<T>(), ref x[0], p, p, default, 0, n, y, default, v, T.One, T.Zero, g, computeLoss: false);
            BatchGradientKernel.Run(new ResidualLoss<T>(), ref x[0], p, p, default, 0, n, y, w, v, T.One, T.Zero, g, computeLoss: true, streams: true);
            StepKernels.L2Step<T>(v, g, T.CreateTruncating(1e-3), T.CreateTruncating(0.1));
            StepKernels.WeightDecayStep<T>(v, g, T.CreateTruncating(1e-3), T.CreateTruncating(0.1));
        });
    }

    private static void Check(LossKind kind, int p, int count, bool indexed, bool weighted, int stride, int seed, double spread = 1, bool streams = false)
    {
        var rng = new Random(seed);
        int n = count + 5;
        T[] x = Values(rng, (n * stride) + 3);
        T[] y = kind == LossKind.Logistic ? Labels(rng, n) : Values(rng, n);
        T[] w = weighted ? Positive(rng, n) : [];
        T[] v = Values(rng, p);
        T scale = T.CreateTruncating(spread * (0.5 + rng.NextDouble())), b = T.CreateTruncating(rng.NextDouble() - 0.5);
        int[] rows = new int[count];
        for (int k = 0; k < count; k++)
        {
            rows[k] = indexed ? rng.Next(n) : k + 2;
        }

        T[] g = Values(rng, p); // garbage in: the pass must overwrite it
        T[] margins = Values(rng, n); // the pass writes each batch row's margin at the row's index
        int[] prefetch = [.. rows.Reverse()]; // a prefetch list (the next batch's rows) must change nothing
        int available = indexed ? 0 : n - 2; // nor may requesting the contiguous rows ahead, up to the end of X
        T delta = T.CreateTruncating(0.7);
        BatchSums<T> sums = kind switch
        {
            LossKind.Squared => Run(new SquaredLoss<T>()),
            LossKind.Residual => Run(new ResidualLoss<T>()),
            LossKind.Margin => Run(new MarginIdentity<T>()),
            LossKind.Logistic => Run(new LogisticLoss<T>()),
            _ => Run(new HuberLoss<T>(delta)),
        };

        // Naive reference in double.
        double u = Tolerance.UnitRoundoff<T>();
        // Each tolerance is γ·Σ|terms| for the sums themselves plus the propagated error of the margins: a margin
        // computed by a p-term dot product is off by at most ~(p + 4)·u·Σ|xⱼvⱼ|, which moves ℓ' by |ℓ''| times that.
        var gRef = new double[p];
        var gTol = new double[p];
        double gamma = (count + 8) * u;
        double wsum = 0, dsum = 0, dTol = 0, lsum = 0, lTol = 0;
        for (int k = 0; k < count; k++)
        {
            int i = rows[k];
            double dot = 0, dotAbs = 0;
            for (int j = 0; j < p; j++)
            {
                double term = double.CreateTruncating(x[(i * stride) + j]) * double.CreateTruncating(v[j]);
                dot += term;
                dotAbs += Math.Abs(term);
            }

            double s = double.CreateTruncating(scale);
            double m = (s * dot) + double.CreateTruncating(b);
            double mErr = ((p + 4) * u * s * dotAbs) + (2 * u * (Math.Abs(m) + Math.Abs(double.CreateTruncating(b))));
            Assert.True(Math.Abs(double.CreateTruncating(margins[i]) - m) <= mErr + 1e-300, $"{kind} p={p} count={count}: margin of row {i} {margins[i]} vs {m}");
            double label = double.CreateTruncating(y[i]);
            double wi = weighted ? double.CreateTruncating(w[i]) : 1;
            (double loss, double deriv, double slope) = Reference(kind, m, label, double.CreateTruncating(delta));
            double d = wi * deriv;
            double dErr = wi * ((slope * mErr) + (8 * u * (Math.Abs(deriv) + Math.Abs(label) + Math.Abs(m))));
            wsum += wi;
            dsum += d;
            dTol += (gamma * Math.Abs(d)) + dErr;
            lsum += wi * loss;
            lTol += (gamma * wi * Math.Abs(loss)) + (wi * (Math.Abs(deriv) + 1) * mErr) + (wi * 16 * u * (Math.Abs(loss) + Math.Abs(label * m) + 1));
            for (int j = 0; j < p; j++)
            {
                double xij = double.CreateTruncating(x[(i * stride) + j]);
                gRef[j] += d * xij;
                gTol[j] += ((gamma * Math.Abs(d)) + dErr) * Math.Abs(xij);
            }
        }

        string ctx = $"{kind} p={p} count={count} indexed={indexed} weighted={weighted} stride={stride} streams={streams} tier={KernelSelection.Report.TierName}";
        for (int j = 0; j < p; j++)
        {
            double got = double.CreateTruncating(g[j]);
            Assert.True(Math.Abs(got - gRef[j]) <= gTol[j] + 1e-300, $"{ctx}: g[{j}] = {got}, reference {gRef[j]}");
        }

        Assert.True(Math.Abs(double.CreateTruncating(sums.WeightSum) - wsum) <= (count + 1) * u * wsum, $"{ctx}: Σw");
        Assert.True(Math.Abs(double.CreateTruncating(sums.DerivativeSum) - dsum) <= dTol + 1e-300, $"{ctx}: Σw·ℓ' {sums.DerivativeSum} vs {dsum}");
        Assert.True(Math.Abs(double.CreateTruncating(sums.LossSum) - lsum) <= lTol + 1e-300, $"{ctx}: Σw·ℓ {sums.LossSum} vs {lsum}");

        BatchSums<T> Run<TLoss>(TLoss loss)
            where TLoss : struct, IMarginLoss<T>
            => BatchGradientKernel.Run(loss, ref x[0], stride, p, indexed ? rows : default, 2, count, y, w, v, scale, b, g, computeLoss: true, prefetchRows: indexed ? prefetch : default, margins: margins, availableRows: available, streams: streams);
    }

    /// <summary>(ℓ, ℓ', a bound on |ℓ''| near m) for each loss, naively.</summary>
    private static (double Loss, double Derivative, double Slope) Reference(LossKind kind, double m, double y, double delta)
    {
        double r = m - y;
        switch (kind)
        {
            case LossKind.Squared: return (r * r, 2 * r, 2);
            case LossKind.Residual: return (0.5 * r * r, r, 1);
            case LossKind.Margin: return (0.5 * m * m, m, 1);
            case LossKind.Logistic:
                double pr = 1 / (1 + Math.Exp(-m));
                return (Math.Log(1 + Math.Exp(m)) - (y * m), pr - y, 0.25);
            default:
                double c = Math.Clamp(r, -delta, delta);
                return (Math.Abs(r) <= delta ? r * r : (2 * delta * Math.Abs(r)) - (delta * delta), 2 * c, 2);
        }
    }

    private static T[] Values(Random rng, int n)
    {
        var a = new T[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = T.CreateTruncating((rng.NextDouble() * 2) - 1);
        }

        return a;
    }

    private static T[] Positive(Random rng, int n)
    {
        var a = new T[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = T.CreateTruncating(0.25 + (2 * rng.NextDouble()));
        }

        return a;
    }

    private static T[] Labels(Random rng, int n)
    {
        var a = new T[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = rng.Next(2) == 0 ? T.Zero : T.One;
        }

        return a;
    }

    private static int[] Range(int from, int to)
    {
        var a = new int[to - from + 1];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = from + i;
        }

        return a;
    }
}
