using System;

namespace RidgeCore.Tests.Gram;

/// <summary>
/// Statistics in the public layouts: Cxx p×p and Cyy t×t full row-major, Cxy p×t ([i, k] pairs feature i with target k).
/// <see cref="C"/> reads the lower triangle of the combined q×q matrix of Z = [X | Y].
/// </summary>
public sealed class GramStats
{
    public GramStats(int p, int t)
    {
        P = p;
        T = t;
        MeanX = new double[p];
        MeanY = new double[t];
        Cxx = new double[p * p];
        Cxy = new double[p * t];
        Cyy = new double[t * t];
    }

    public int P { get; }

    public int T { get; }

    public long Rows { get; set; }

    public double WeightSum { get; set; }

    public double[] MeanX { get; }

    public double[] MeanY { get; }

    public double[] Cxx { get; }

    public double[] Cxy { get; }

    public double[] Cyy { get; }

    public double Mean(int a) => a < P ? MeanX[a] : MeanY[a - P];

    /// <summary>Entry (a, b) of the q×q co-moment matrix of [X | Y], a ≥ b.</summary>
    public double C(int a, int b)
    {
        if (a < b)
        {
            (a, b) = (b, a);
        }

        return a < P ? Cxx[(a * P) + b]
            : b < P ? Cxy[(b * T) + (a - P)]
            : Cyy[((a - P) * T) + (b - P)];
    }

    public void SetC(int a, int b, double v)
    {
        if (a < b)
        {
            (a, b) = (b, a);
        }

        if (a < P)
        {
            Cxx[(a * P) + b] = v;
            Cxx[(b * P) + a] = v;
        }
        else if (b < P)
        {
            Cxy[(b * T) + (a - P)] = v;
        }
        else
        {
            Cyy[((a - P) * T) + (b - P)] = v;
            Cyy[((b - P) * T) + (a - P)] = v;
        }
    }

    public void SetMean(int a, double v)
    {
        if (a < P)
        {
            MeanX[a] = v;
        }
        else
        {
            MeanY[a - P] = v;
        }
    }

    /// <summary>Everything the accumulator exposes, copied out.</summary>
    public static GramStats Of(GramAccumulator acc)
    {
        var s = new GramStats(acc.Features, acc.Targets) { Rows = acc.RowCount, WeightSum = acc.WeightSum };
        acc.MeanX.CopyTo(s.MeanX);
        acc.MeanY.CopyTo(s.MeanY);
        acc.CopyCxx(s.Cxx);
        acc.CopyCxy(s.Cxy);
        acc.CopyCyy(s.Cyy);
        return s;
    }
}

/// <summary>The reference statistics and the per-column magnitudes the tolerance needs.</summary>
public sealed class GramExpected
{
    public GramExpected(GramStats stats, GramMode mode, long n, double[] maxAbs, double[] maxDev)
    {
        Stats = stats;
        Mode = mode;
        N = n;
        MaxAbs = maxAbs;
        MaxDev = maxDev;
    }

    public GramStats Stats { get; }

    public GramMode Mode { get; }

    public long N { get; }

    /// <summary>M_a = max |z_a| over rows of positive weight.</summary>
    public double[] MaxAbs { get; }

    /// <summary>A_a = max |z_a − μ_a| over rows of positive weight (centered mode).</summary>
    public double[] MaxDev { get; }
}

/// <summary>
/// The naive reference: plain loops over rows, everything in double, two passes with compensated (Neumaier) sums.
/// Means are Σwz/Σw refined by one correction pass (μ += Σw(z − μ)/Σw); co-moments are Σ w(z_a − μ_a)(z_b − μ_b),
/// each sum compensated, so the reference's own error is a few ulps of Σ|terms| and far below every tolerance used
/// against it. Uncentered mode: raw Σ w z_a z_b, means reported as 0. Σw = 0 (no rows, or all weights 0): means 0,
/// co-moments 0.
/// </summary>
public static class GramReference
{
    public static GramExpected Compute(GramProblem pr, GramMode mode) => Compute(pr, mode, 0, pr.N);

    public static GramExpected Compute(GramProblem pr, GramMode mode, int start, int count)
    {
        int p = pr.P, t = pr.T, q = p + t;
        var stats = new GramStats(p, t) { Rows = count };
        var z = new double[q];
        var maxAbs = new double[q];
        var maxDev = new double[q];
        var mean = new double[q];

        var wSum = default(Neumaier);
        var sums = new Neumaier[q];
        for (int i = start; i < start + count; i++)
        {
            double w = pr.Weight(i);
            wSum.Add(w);
            for (int a = 0; a < q; a++)
            {
                double za = pr.Z(i, a);
                sums[a].Add(w * za);
                if (w > 0)
                {
                    maxAbs[a] = Math.Max(maxAbs[a], Math.Abs(za));
                }
            }
        }

        double wTotal = wSum.Value;
        stats.WeightSum = wTotal;
        bool centered = mode == GramMode.Centered && wTotal > 0;
        if (centered)
        {
            for (int a = 0; a < q; a++)
            {
                mean[a] = sums[a].Value / wTotal;
            }

            // Correction pass: the residual mean of z − μ, summed compensated.
            var resid = new Neumaier[q];
            for (int i = start; i < start + count; i++)
            {
                double w = pr.Weight(i);
                for (int a = 0; a < q; a++)
                {
                    resid[a].Add(w * (pr.Z(i, a) - mean[a]));
                }
            }

            for (int a = 0; a < q; a++)
            {
                mean[a] += resid[a].Value / wTotal;
                stats.SetMean(a, mean[a]);
            }
        }

        var c = new Neumaier[q * (q + 1) / 2];
        for (int i = start; i < start + count; i++)
        {
            double w = pr.Weight(i);
            if (w == 0)
            {
                continue;
            }

            for (int a = 0; a < q; a++)
            {
                z[a] = pr.Z(i, a) - mean[a];
                maxDev[a] = Math.Max(maxDev[a], Math.Abs(z[a]));
            }

            int o = 0;
            for (int a = 0; a < q; a++)
            {
                double wa = w * z[a];
                for (int b = 0; b <= a; b++, o++)
                {
                    c[o].Add(wa * z[b]);
                }
            }
        }

        int k = 0;
        for (int a = 0; a < q; a++)
        {
            for (int b = 0; b <= a; b++, k++)
            {
                stats.SetC(a, b, c[k].Value);
            }
        }

        return new GramExpected(stats, mode, count, maxAbs, maxDev);
    }

    /// <summary>Neumaier's compensated sum.</summary>
    private struct Neumaier
    {
        private double _sum;
        private double _comp;

        public readonly double Value => _sum + _comp;

        public void Add(double v)
        {
            double t = _sum + v;
            _comp += Math.Abs(_sum) >= Math.Abs(v) ? (_sum - t) + v : (v - t) + _sum;
            _sum = t;
        }
    }
}
