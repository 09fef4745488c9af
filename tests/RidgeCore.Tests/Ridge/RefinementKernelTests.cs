using System;
using System.Runtime.Intrinsics;
using RidgeCore.Models;
using Xunit;

namespace RidgeCore.Tests.RidgeEstimator;

/// <summary>
/// Every refinement kernel family the machine can run agrees with the scalar one, whatever tier this process was
/// started in (the passes themselves only ever use one family per process). The splits are error-free, so centering
/// agrees bit for bit; the compensated sums agree to about one rounding of the result, far below what refinement
/// needs; and the residual matches an exact-rational evaluation.
/// </summary>
public class RefinementKernelTests
{
    private const int P = 21;
    private const int Padded = 24;

    public static TheoryData<string> Families()
    {
        var data = new TheoryData<string> { "Scalar" };
        if (!Compensated.HasFusedMultiplyAdd) return data;
        if (Vector128.IsHardwareAccelerated) data.Add("V128");
        if (Vector256.IsHardwareAccelerated) data.Add("V256");
        if (Vector512.IsHardwareAccelerated) data.Add("V512");
        return data;
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Kernel_matches_the_scalar_family(string family)
    {
        var rng = new Random(81);
        double[] row = Padded0(i => 1e4 + rng.NextDouble() * 10), shift = Padded0(_ => 1e4 + 5);
        double[] theta = Padded0(_ => rng.NextDouble() - 0.5), thetaLow = Padded0(_ => (rng.NextDouble() - 0.5) * 1e-17);

        var (h1, l1) = Center(family, row, shift);
        var (h0, l0) = Center("Scalar", row, shift);
        Assert.Equal(h0, h1);
        Assert.Equal(l0, l1);
        for (int j = 0; j < P; j++) Assert.Equal(row[j] - shift[j], h1[j] + l1[j]);

        double start = 3.25, startLow = 1e-17;
        double want = ExactResidual(start, startLow, h0, l0, theta, thetaLow);
        double got = Residual(family, start, startLow, h1, l1, theta, thetaLow);
        Assert.True(Math.Abs(got - want) <= 2e-16 * Math.Abs(want) + 1e-30, $"{family}: {got:R} vs {want:R}");

        var (sh0, sl0) = AddProduct("Scalar", h0, l0, 0.7, 1e-18);
        var (sh1, sl1) = AddProduct(family, h1, l1, 0.7, 1e-18);
        for (int j = 0; j < Padded; j++) Assert.Equal(sh0[j] + sl0[j], sh1[j] + sl1[j], 1e-30 + 1e-16 * Math.Abs(sh0[j]));
        for (int j = P; j < Padded; j++) Assert.Equal(0.0, sh1[j]);

        var s0 = WeightedSquares("Scalar", h0, l0, 2.5);
        var s1 = WeightedSquares(family, h1, l1, 2.5);
        for (int j = 0; j < Padded; j++)
        {
            Assert.Equal(s0.SumHigh[j] + s0.SumLow[j], s1.SumHigh[j] + s1.SumLow[j], 1e-16 * Math.Abs(s0.SumHigh[j]) + 1e-30);
            Assert.Equal(s0.SquaresHigh[j] + s0.SquaresLow[j], s1.SquaresHigh[j] + s1.SquaresLow[j], 1e-16 * Math.Abs(s0.SquaresHigh[j]) + 1e-30);
        }
    }

    /// <summary>The residual in exact rational arithmetic, rounded once.</summary>
    private static double ExactResidual(double start, double startLow, double[] h, double[] l, double[] theta, double[] thetaLow)
    {
        var sum = Exact.Of(start) + Exact.Of(startLow);
        for (int j = 0; j < Padded; j++)
        {
            sum -= (Exact.Of(h[j]) + Exact.Of(l[j])) * (Exact.Of(theta[j]) + Exact.Of(thetaLow[j]));
        }

        return sum.ToDouble();
    }

    private static double[] Padded0(Func<int, double> f)
    {
        var a = new double[Padded];
        for (int j = 0; j < P; j++) a[j] = f(j);
        return a;
    }

    private static (double[], double[]) Center(string family, double[] row, double[] shift)
    {
        var h = new double[Padded];
        var l = new double[Padded];
        switch (family)
        {
            case "V128": RefinementKernelV128.Center(row, shift, h, l); break;
            case "V256": RefinementKernelV256.Center(row, shift, h, l); break;
            case "V512": RefinementKernelV512.Center(row, shift, h, l); break;
            default: RefinementKernelScalar.Center(row, shift, h, l); break;
        }

        return (h, l);
    }

    private static double Residual(string family, double s, double sl, double[] h, double[] l, double[] t, double[] tl) => family switch
    {
        "V128" => RefinementKernelV128.Residual(s, sl, h, l, t, tl),
        "V256" => RefinementKernelV256.Residual(s, sl, h, l, t, tl),
        "V512" => RefinementKernelV512.Residual(s, sl, h, l, t, tl),
        _ => RefinementKernelScalar.Residual(s, sl, h, l, t, tl),
    };

    private static (double[], double[]) AddProduct(string family, double[] h, double[] l, double vh, double vl)
    {
        var gh = new double[Padded];
        var gl = new double[Padded];
        for (int rep = 0; rep < 3; rep++)
        {
            switch (family)
            {
                case "V128": RefinementKernelV128.AddProduct(h, l, vh, vl, gh, gl); break;
                case "V256": RefinementKernelV256.AddProduct(h, l, vh, vl, gh, gl); break;
                case "V512": RefinementKernelV512.AddProduct(h, l, vh, vl, gh, gl); break;
                default: RefinementKernelScalar.AddProduct(h, l, vh, vl, gh, gl); break;
            }
        }

        return (gh, gl);
    }

    private sealed record Squares(double[] SumHigh, double[] SumLow, double[] SquaresHigh, double[] SquaresLow);

    private static Squares WeightedSquares(string family, double[] h, double[] l, double w)
    {
        var s = new Squares(new double[Padded], new double[Padded], new double[Padded], new double[Padded]);
        switch (family)
        {
            case "V128": RefinementKernelV128.AddWeightedSquares(h, l, w, s.SumHigh, s.SumLow, s.SquaresHigh, s.SquaresLow); break;
            case "V256": RefinementKernelV256.AddWeightedSquares(h, l, w, s.SumHigh, s.SumLow, s.SquaresHigh, s.SquaresLow); break;
            case "V512": RefinementKernelV512.AddWeightedSquares(h, l, w, s.SumHigh, s.SumLow, s.SquaresHigh, s.SquaresLow); break;
            default: RefinementKernelScalar.AddWeightedSquares(h, l, w, s.SumHigh, s.SumLow, s.SquaresHigh, s.SquaresLow); break;
        }

        return s;
    }

    /// <summary>An exact dyadic rational m·2^e (every double is one), enough for sums and products.</summary>
    private readonly record struct Exact(System.Numerics.BigInteger Mantissa, int Exponent)
    {
        public static Exact Of(double v)
        {
            if (v == 0) return new Exact(0, 0);
            long bits = BitConverter.DoubleToInt64Bits(v);
            int exp = (int)((bits >> 52) & 0x7FF);
            long man = bits & 0xFFFFFFFFFFFFFL;
            if (exp == 0) exp = 1; else man |= 1L << 52;
            var m = new System.Numerics.BigInteger(man);
            return new Exact(v < 0 ? -m : m, exp - 1075);
        }

        public static Exact operator +(Exact a, Exact b)
        {
            int e = Math.Min(a.Exponent, b.Exponent);
            return new Exact((a.Mantissa << (a.Exponent - e)) + (b.Mantissa << (b.Exponent - e)), e);
        }

        public static Exact operator -(Exact a, Exact b) => a + new Exact(-b.Mantissa, b.Exponent);

        public static Exact operator *(Exact a, Exact b) => new(a.Mantissa * b.Mantissa, a.Exponent + b.Exponent);

        public double ToDouble()
        {
            // Correctly rounded enough for the test: keep 64 significant bits, then let double round them.
            var m = Mantissa;
            int e = Exponent;
            int bits = (int)System.Numerics.BigInteger.Abs(m).GetBitLength();
            if (bits > 64)
            {
                m >>= bits - 64;
                e += bits - 64;
            }

            return Math.ScaleB((double)m, e);
        }
    }
}
