using System;

namespace RidgeCore.Tests.Cholesky;

/// <summary>Plain triple-loop references and test matrices for the factorization tests. Row-major p × p throughout.</summary>
internal static class CholeskyReference
{
    public const double Eps = 2.220446049250313e-16;

    /// <summary>The textbook Cholesky of A + diag(d): returns L, or null when a pivot is not positive.</summary>
    public static double[]? Factor(double[] a, int p, double[] load)
    {
        var l = new double[p * p];
        for (int j = 0; j < p; j++)
        {
            double d = a[j * p + j] + load[j];
            for (int k = 0; k < j; k++) d -= l[j * p + k] * l[j * p + k];
            if (!(d > 0)) return null;
            double ljj = Math.Sqrt(d);
            l[j * p + j] = ljj;
            for (int i = j + 1; i < p; i++)
            {
                double s = a[i * p + j];
                for (int k = 0; k < j; k++) s -= l[i * p + k] * l[j * p + k];
                l[i * p + j] = s / ljj;
            }
        }

        return l;
    }

    public static double[] Forward(double[] l, int p, double[] b)
    {
        var z = (double[])b.Clone();
        for (int i = 0; i < p; i++)
        {
            double s = z[i];
            for (int k = 0; k < i; k++) s -= l[i * p + k] * z[k];
            z[i] = s / l[i * p + i];
        }

        return z;
    }

    public static double[] Backward(double[] l, int p, double[] z)
    {
        var x = (double[])z.Clone();
        for (int i = p - 1; i >= 0; i--)
        {
            double s = x[i];
            for (int k = i + 1; k < p; k++) s -= l[k * p + i] * x[k];
            x[i] = s / l[i * p + i];
        }

        return x;
    }

    /// <summary>max |(L·Lᵀ − (A + D))ᵢⱼ| over the lower triangle.</summary>
    public static double ReconstructionError(double[] l, double[] a, int p, double[] load)
    {
        double worst = 0;
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = 0;
                for (int k = 0; k <= j; k++) s += l[i * p + k] * l[j * p + k];
                double target = a[i * p + j] + (i == j ? load[i] : 0);
                worst = Math.Max(worst, Math.Abs(s - target));
            }
        }

        return worst;
    }

    /// <summary>The bound the reconstruction error must meet: Cholesky's backward error is |ΔA| ≤ γ_{p+1}·|L||Lᵀ|, and
    /// (|L||Lᵀ|)ᵢⱼ ≤ √((a+d)ᵢᵢ(a+d)ⱼⱼ) by Cauchy–Schwarz, so 2(p + 1)·eps·max(aᵢᵢ + dᵢ) holds with room to spare.</summary>
    public static double ReconstructionBound(double[] a, int p, double[] load)
    {
        double maxDiag = 0;
        for (int i = 0; i < p; i++) maxDiag = Math.Max(maxDiag, a[i * p + i] + load[i]);
        return 2.0 * (p + 1) * Eps * maxDiag;
    }

    /// <summary>A = XᵀX/n + small diagonal, X n × p uniform in [−½, ½): a typical Gram matrix.</summary>
    public static double[] RandomGram(int p, int seed)
    {
        var rng = new Random(seed);
        int n = p + 8;
        var x = new double[n * p];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextDouble() - 0.5;
        var a = new double[p * p];
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = 0;
                for (int r = 0; r < n; r++) s += x[r * p + i] * x[r * p + j];
                a[i * p + j] = s;
                a[j * p + i] = s;
            }
        }

        return a;
    }

    /// <summary>A = Q·diag(σ)·Qᵀ with σ geometric from 1 down to 1/κ and Q a product of three random Householder
    /// reflections (orthogonal to rounding), symmetrized: κ₂(A) = κ up to rounding.</summary>
    public static double[] WithConditionNumber(int p, double kappa, int seed)
    {
        var rng = new Random(seed);
        var q = new double[p * p];
        for (int i = 0; i < p; i++) q[i * p + i] = 1;
        for (int h = 0; h < 3; h++)
        {
            var v = new double[p];
            double nn = 0;
            for (int i = 0; i < p; i++) { v[i] = rng.NextDouble() - 0.5; nn += v[i] * v[i]; }
            // Q ← Q·(I − 2vvᵀ/vᵀv)
            for (int i = 0; i < p; i++)
            {
                double s = 0;
                for (int k = 0; k < p; k++) s += q[i * p + k] * v[k];
                s *= 2 / nn;
                for (int k = 0; k < p; k++) q[i * p + k] -= s * v[k];
            }
        }

        var sigma = new double[p];
        for (int i = 0; i < p; i++) sigma[i] = p == 1 ? 1 : Math.Pow(kappa, -(double)i / (p - 1));
        var a = new double[p * p];
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = 0;
                for (int k = 0; k < p; k++) s += q[i * p + k] * sigma[k] * q[j * p + k];
                a[i * p + j] = s;
                a[j * p + i] = s;
            }
        }

        return a;
    }

    /// <summary>‖M‖₁ of a full p × p matrix.</summary>
    public static double NormOne(double[] m, int p)
    {
        double best = 0;
        for (int j = 0; j < p; j++)
        {
            double s = 0;
            for (int i = 0; i < p; i++) s += Math.Abs(m[i * p + j]);
            best = Math.Max(best, s);
        }

        return best;
    }

    /// <summary>The explicit inverse of A + diag(d) from the naive factor, column by column.</summary>
    public static double[] Inverse(double[] a, int p, double[] load)
    {
        double[] l = Factor(a, p, load) ?? throw new InvalidOperationException("not positive definite");
        var inv = new double[p * p];
        for (int j = 0; j < p; j++)
        {
            var e = new double[p];
            e[j] = 1;
            double[] x = Backward(l, p, Forward(l, p, e));
            for (int i = 0; i < p; i++) inv[i * p + j] = x[i];
        }

        return inv;
    }

    public static double[] WithLoad(double[] a, int p, double[] load)
    {
        var m = (double[])a.Clone();
        for (int i = 0; i < p; i++) m[i * p + i] += load[i];
        return m;
    }

    public static double[] Fill(int p, double value)
    {
        var v = new double[p];
        Array.Fill(v, value);
        return v;
    }

    public static double[] RandomVector(int p, int seed)
    {
        var rng = new Random(seed);
        var v = new double[p];
        for (int i = 0; i < p; i++) v[i] = rng.NextDouble() * 2 - 1;
        return v;
    }

    public static double MaxAbs(double[] v)
    {
        double m = 0;
        foreach (double x in v) m = Math.Max(m, Math.Abs(x));
        return m;
    }
}
