using System;

namespace RidgeCore.Models;

/// <summary>The scalar family of <see cref="IRefinementKernel"/>; also the path for CPUs without a fused multiply-add.</summary>
internal readonly struct RefinementKernelScalar : IRefinementKernel
{
    public static void Center(ReadOnlySpan<double> row, ReadOnlySpan<double> shift, Span<double> high, Span<double> low)
    {
        for (int j = 0; j < high.Length; j++)
        {
            high[j] = Compensated.TwoSum(row[j], -shift[j], out double e);
            low[j] = e;
        }
    }

    public static double Residual(
        double start, double startLow, ReadOnlySpan<double> xHigh, ReadOnlySpan<double> xLow, ReadOnlySpan<double> theta, ReadOnlySpan<double> thetaLow)
    {
        // Four chains, so the loop is not bound by the latency of one TwoSum chain; combined exactly at the end. The
        // steps are written out: a helper taking the accumulators by reference would keep them in memory.
        double s0 = start, s1 = 0, s2 = 0, s3 = 0, e0 = startLow, e1 = 0, e2 = 0, e3 = 0;
        for (int j = 0; j < theta.Length; j += 4)
        {
            double q0 = Compensated.TwoProduct(xHigh[j], theta[j], out double r0);
            double q1 = Compensated.TwoProduct(xHigh[j + 1], theta[j + 1], out double r1);
            double q2 = Compensated.TwoProduct(xHigh[j + 2], theta[j + 2], out double r2);
            double q3 = Compensated.TwoProduct(xHigh[j + 3], theta[j + 3], out double r3);
            s0 = Compensated.TwoSum(s0, -q0, out double d0);
            s1 = Compensated.TwoSum(s1, -q1, out double d1);
            s2 = Compensated.TwoSum(s2, -q2, out double d2);
            s3 = Compensated.TwoSum(s3, -q3, out double d3);
            e0 += d0 - Compensated.MulAdd(xLow[j], theta[j], Compensated.MulAdd(xHigh[j], thetaLow[j], r0));
            e1 += d1 - Compensated.MulAdd(xLow[j + 1], theta[j + 1], Compensated.MulAdd(xHigh[j + 1], thetaLow[j + 1], r1));
            e2 += d2 - Compensated.MulAdd(xLow[j + 2], theta[j + 2], Compensated.MulAdd(xHigh[j + 2], thetaLow[j + 2], r2));
            e3 += d3 - Compensated.MulAdd(xLow[j + 3], theta[j + 3], Compensated.MulAdd(xHigh[j + 3], thetaLow[j + 3], r3));
        }

        double a = Compensated.TwoSum(s0, s1, out double ea);
        double b = Compensated.TwoSum(s2, s3, out double eb);
        double s = Compensated.TwoSum(a, b, out double es);
        return s + (((e0 + e1) + (e2 + e3)) + ((ea + eb) + es));
    }

    public static void AddProduct(
        ReadOnlySpan<double> xHigh, ReadOnlySpan<double> xLow, double vHigh, double vLow, Span<double> sumHigh, Span<double> sumLow)
    {
        for (int j = 0; j < xHigh.Length; j++)
        {
            double q = Compensated.TwoProduct(xHigh[j], vHigh, out double qe);
            sumHigh[j] = Compensated.TwoSum(sumHigh[j], q, out double se);
            sumLow[j] += se + qe + Compensated.MulAdd(xHigh[j], vLow, xLow[j] * vHigh);
        }
    }

    public static void AddWeightedSquares(
        ReadOnlySpan<double> xHigh,
        ReadOnlySpan<double> xLow,
        double w,
        Span<double> sumHigh,
        Span<double> sumLow,
        Span<double> squaresHigh,
        Span<double> squaresLow)
    {
        for (int j = 0; j < xHigh.Length; j++)
        {
            double h = xHigh[j], l = xLow[j];
            double v = Compensated.TwoProduct(w, h, out double ve);
            sumHigh[j] = Compensated.TwoSum(sumHigh[j], v, out double se);
            sumLow[j] += se + ve + (w * l);

            // w(h + l)² = v·h + (ve·h + 2·v·l) + O(l²), with v + ve = w·h.
            double q = Compensated.TwoProduct(v, h, out double qe);
            squaresHigh[j] = Compensated.TwoSum(squaresHigh[j], q, out double sqe);
            squaresLow[j] += sqe + qe + Compensated.MulAdd(ve, h, 2 * v * l);
        }
    }
}
