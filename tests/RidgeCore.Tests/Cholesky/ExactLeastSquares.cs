using System;
using System.Numerics;

namespace RidgeCore.Tests.Cholesky;

/// <summary>
/// The exact least-squares solution of a double-precision problem, in rational arithmetic: every double is an integer
/// times a power of two, so with column j of X written as 2^Eⱼ·Mⱼ and y as 2^F·N (M, N integer), the normal equations
/// become MᵀM·γ = MᵀN in integers, with βⱼ = 2^(F − Eⱼ)·γⱼ. They are solved by fraction-free (Bareiss) elimination and
/// rational back substitution. This plays the role of NIST's certified values for data the tests generate.
/// </summary>
internal static class ExactLeastSquares
{
    public static double[] Solve(double[] x, double[] y, int n, int p)
    {
        var m = new BigInteger[n, p];
        var e = new int[p];
        for (int j = 0; j < p; j++)
        {
            e[j] = int.MaxValue;
            for (int i = 0; i < n; i++) e[j] = Math.Min(e[j], Decompose(x[i * p + j]).Exponent);
            for (int i = 0; i < n; i++)
            {
                var (mant, exp) = Decompose(x[i * p + j]);
                m[i, j] = mant << (exp - e[j]);
            }
        }

        int f = int.MaxValue;
        for (int i = 0; i < n; i++) f = Math.Min(f, Decompose(y[i]).Exponent);
        var nvec = new BigInteger[n];
        for (int i = 0; i < n; i++)
        {
            var (mant, exp) = Decompose(y[i]);
            nvec[i] = mant << (exp - f);
        }

        // Augmented [MᵀM | MᵀN].
        var a = new BigInteger[p, p + 1];
        for (int j = 0; j < p; j++)
        {
            for (int k = 0; k < p; k++)
            {
                BigInteger s = 0;
                for (int i = 0; i < n; i++) s += m[i, j] * m[i, k];
                a[j, k] = s;
            }

            BigInteger t = 0;
            for (int i = 0; i < n; i++) t += m[i, j] * nvec[i];
            a[j, p] = t;
        }

        BigInteger previous = 1;
        for (int k = 0; k < p; k++)
        {
            if (a[k, k].IsZero) throw new InvalidOperationException("singular normal equations");
            for (int i = k + 1; i < p; i++)
            {
                for (int j = k + 1; j <= p; j++) a[i, j] = (a[i, j] * a[k, k] - a[i, k] * a[k, j]) / previous;
                a[i, k] = 0;
            }

            previous = a[k, k];
        }

        var num = new BigInteger[p];
        var den = new BigInteger[p];
        for (int i = p - 1; i >= 0; i--)
        {
            // γᵢ = (a[i,p] − Σ a[i,j]γⱼ) / a[i,i] with γⱼ = num[j]/den[j].
            BigInteger sn = a[i, p], sd = 1;
            for (int j = i + 1; j < p; j++)
            {
                sn = sn * den[j] - a[i, j] * num[j] * sd;
                sd *= den[j];
                BigInteger g = BigInteger.GreatestCommonDivisor(sn, sd);
                if (!g.IsZero && !g.IsOne) { sn /= g; sd /= g; }
            }

            num[i] = sn;
            den[i] = sd * a[i, i];
            if (den[i].Sign < 0) { num[i] = -num[i]; den[i] = -den[i]; }
        }

        var beta = new double[p];
        for (int j = 0; j < p; j++) beta[j] = ToDouble(num[j], den[j], f - e[j]);
        return beta;
    }

    private static (BigInteger Mantissa, int Exponent) Decompose(double v)
    {
        if (v == 0) return (BigInteger.Zero, 0);
        long bits = BitConverter.DoubleToInt64Bits(v);
        int exp = (int)((bits >> 52) & 0x7FF);
        long mant = bits & 0xFFFFFFFFFFFFFL;
        if (exp == 0) exp = 1; else mant |= 1L << 52;
        var big = new BigInteger(mant);
        return (v < 0 ? -big : big, exp - 1075);
    }

    /// <summary>num/den · 2^shift to double, correct to well under an ulp.</summary>
    private static double ToDouble(BigInteger num, BigInteger den, int shift)
    {
        if (num.IsZero) return 0;
        long k = 80 - ((long)num.GetBitLength() - (long)den.GetBitLength());
        BigInteger q = k >= 0 ? (num << (int)k) / den : num / (den << (int)-k);
        return Math.ScaleB((double)q, shift - (int)k);
    }
}
