using System;

namespace RidgeCore.Tests.Harness;

/// <summary>
/// Naive, obviously correct references for the primitives, written for accuracy and never for speed.
/// </summary>
/// <remarks>
/// Every reference works in <see cref="double"/>. Float inputs are widened first, which is exact, and a product of two
/// widened floats is exact in double (24 + 24 significant bits fit in 53), so for float kernels the reference is many
/// orders of magnitude more accurate than the thing it checks. Double inputs need more than plain double: sums use
/// Neumaier's compensated summation and dot products use Ogita, Rump and Oishi's Dot2 (each product split exactly into
/// value and error with one fused multiply-add, both streams summed with compensation). Their error is about one
/// rounding of the result plus O(n·u²)·Σ|terms|, far inside any tolerance in <see cref="Tolerance"/>, so a failure
/// always points at the kernel. Each reference also returns the magnitude sum its error bound needs.
/// </remarks>
public static class Reference
{
    /// <summary>Σ xᵢ with Neumaier's compensation, and Σ |xᵢ|.</summary>
    public static (double Value, double AbsSum) Sum(ReadOnlySpan<double> x)
    {
        var sum = default(CompensatedSum);
        double abs = 0;
        foreach (double v in x)
        {
            sum.Add(v);
            abs += Math.Abs(v);
        }

        return (sum.Value, abs);
    }

    /// <summary>Σ xᵢ·yᵢ by Dot2 (TwoProduct + compensated sum), and Σ |xᵢ·yᵢ|.</summary>
    public static (double Value, double AbsSum) Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException("Reference.Dot needs equal lengths.", nameof(y));
        }

        var sum = default(CompensatedSum);
        double abs = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double p = x[i] * y[i];
            // TwoProduct: p + e == x·y exactly (barring underflow), one FMA.
            double e = Math.FusedMultiplyAdd(x[i], y[i], -p);
            sum.Add(p);
            sum.Add(e);
            abs += Math.Abs(p);
        }

        return (sum.Value, abs);
    }

    /// <summary>Σ xᵢ², the dot product of x with itself.</summary>
    public static (double Value, double AbsSum) SumOfSquares(ReadOnlySpan<double> x) => Dot(x, x);

    /// <summary>(Σ xᵢ)/n and (Σ |xᵢ|)/n.</summary>
    public static (double Value, double AbsMean) Mean(ReadOnlySpan<double> x)
    {
        if (x.IsEmpty)
        {
            throw new ArgumentException("Reference.Mean needs at least one element.", nameof(x));
        }

        (double sum, double abs) = Sum(x);
        return (sum / x.Length, abs / x.Length);
    }

    /// <summary>a·x + y, with the product's rounding error carried (TwoProduct), so the result is within about one
    /// rounding of the exact value.</summary>
    public static double Axpy(double a, double x, double y)
    {
        double p = a * x;
        double e = Math.FusedMultiplyAdd(a, x, -p);
        (double s, double t) = TwoSum(p, y);
        return s + (t + e);
    }

    /// <summary>a·x + b·y with both products and the sum carried exactly to the last step.</summary>
    public static double ScaleAdd(double a, double x, double b, double y)
    {
        double p = a * x;
        double ep = Math.FusedMultiplyAdd(a, x, -p);
        double q = b * y;
        double eq = Math.FusedMultiplyAdd(b, y, -q);
        (double s, double t) = TwoSum(p, q);
        return s + (t + (ep + eq));
    }

    /// <summary>Knuth's TwoSum: s = fl(a + b) and t with s + t == a + b exactly.</summary>
    public static (double S, double T) TwoSum(double a, double b)
    {
        double s = a + b;
        double bv = s - a;
        double av = s - bv;
        return (s, (a - av) + (b - bv));
    }

    /// <summary>Widens a float array to double, exactly.</summary>
    public static double[] Widen(ReadOnlySpan<float> x)
    {
        var result = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            result[i] = x[i];
        }

        return result;
    }

    /// <summary>Neumaier's improvement of Kahan summation: the running compensation also survives a term larger
    /// than the partial sum.</summary>
    private struct CompensatedSum
    {
        private double _sum;
        private double _compensation;

        public readonly double Value => _sum + _compensation;

        public void Add(double v)
        {
            double t = _sum + v;
            _compensation += Math.Abs(_sum) >= Math.Abs(v) ? (_sum - t) + v : (v - t) + _sum;
            _sum = t;
        }
    }
}
