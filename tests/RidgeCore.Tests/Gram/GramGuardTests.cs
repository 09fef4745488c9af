using System;
using Xunit;

namespace RidgeCore.Tests.Gram;

/// <summary>
/// Buffers with guard regions: X, Y and the weights sit inside larger arrays between sentinel runs, with the row padding
/// also filled with sentinels. The sentinels are NaNs with a payload, so a read outside the view shows up as an
/// exception or NaN statistics, and a write anywhere shows up in the bitwise comparison afterwards.
/// </summary>
public class GramGuardTests
{
    private const int Guard = 67;
    private static readonly double Sentinel = BitConverter.Int64BitsToDouble(0x7FF8_0BAD_F00D_0001);
    private static readonly float SentinelF = BitConverter.Int32BitsToSingle(0x7FC0_BADF);

    [Theory]
    [InlineData(false, 1, 3, 1, GramMode.Centered)]
    [InlineData(false, 300, 13, 2, GramMode.Centered)]
    [InlineData(false, 300, 13, 2, GramMode.Uncentered)]
    [InlineData(false, 20000, 9, 3, GramMode.Centered)] // two stripes
    [InlineData(true, 1, 3, 1, GramMode.Centered)]
    [InlineData(true, 2500, 17, 2, GramMode.Centered)]
    [InlineData(true, 2500, 17, 2, GramMode.Uncentered)]
    [InlineData(true, 20000, 9, 3, GramMode.Centered)]
    public void Add_reads_only_the_views_and_writes_none_of_them(bool isFloat, int n, int p, int t, GramMode mode)
    {
        GramProblem pr = GramProblem.Random(new GramCase(n, p, t, 3, 1, WeightKind.WithZeros, mode, 10, n + p), isFloat);
        int xs = pr.XStride, ys = pr.YStride;
        using var acc = new GramAccumulator(p, t, mode) { DegreeOfParallelism = 2 };
        if (isFloat)
        {
            float[] xb = Guarded(pr.XF!, SentinelF), yb = Guarded(pr.YF!, SentinelF), wb = Guarded(pr.WF!, SentinelF);
            float[] x0 = (float[])xb.Clone(), y0 = (float[])yb.Clone(), w0 = (float[])wb.Clone();
            acc.Add(
                new MatrixView<float>(xb.AsSpan(Guard, pr.XF!.Length), n, p, xs),
                new MatrixView<float>(yb.AsSpan(Guard, pr.YF!.Length), n, t, ys),
                wb.AsSpan(Guard, n));
            AssertSameBits(x0, xb, "x");
            AssertSameBits(y0, yb, "y");
            AssertSameBits(w0, wb, "weights");
        }
        else
        {
            double[] xb = Guarded(pr.X, Sentinel), yb = Guarded(pr.Y, Sentinel), wb = Guarded(pr.W!, Sentinel);
            double[] x0 = (double[])xb.Clone(), y0 = (double[])yb.Clone(), w0 = (double[])wb.Clone();
            acc.Add(
                new MatrixView<double>(xb.AsSpan(Guard, pr.X.Length), n, p, xs),
                new MatrixView<double>(yb.AsSpan(Guard, pr.Y.Length), n, t, ys),
                wb.AsSpan(Guard, n));
            AssertSameBits(x0, xb, "x");
            AssertSameBits(y0, yb, "y");
            AssertSameBits(w0, wb, "weights");
        }

        // The statistics are right too, so no sentinel was read.
        GramAssert.Close(GramReference.Compute(pr, mode), GramStats.Of(acc), isFloat, $"guarded n={n} p={p} t={t}", extraMerges: 8);
    }

    /// <summary>Copy methods write exactly their p·p, p·t and t·t values and nothing after them.</summary>
    [Fact]
    public void Copies_write_nothing_past_their_block()
    {
        const int p = 7, t = 3;
        using var acc = new GramAccumulator(p, t);
        GramProblem.Random(new GramCase(100, p, t, 0, 0, WeightKind.None, GramMode.Centered, 1, 8), false).AddTo(acc);
        foreach ((int len, Action<double[]> copy) in new (int, Action<double[]>)[]
        {
            (p * p, d => acc.CopyCxx(d)), (p * p, d => acc.CopyCxx(d, mirror: false)), (p * t, d => acc.CopyCxy(d)), (t * t, d => acc.CopyCyy(d)),
        })
        {
            double[] dest = new double[len + Guard];
            dest.AsSpan().Fill(Sentinel);
            copy(dest);
            for (int i = len; i < dest.Length; i++)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(Sentinel), BitConverter.DoubleToInt64Bits(dest[i]));
            }
        }

        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => acc.CopyCxx(new double[(p * p) - 1])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => acc.CopyCxy(new double[(p * t) - 1])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => acc.CopyCyy(new double[(t * t) - 1])).ParamName);
    }

    private static T[] Guarded<T>(T[] data, T sentinel)
    {
        var b = new T[data.Length + (2 * Guard)];
        b.AsSpan().Fill(sentinel);
        data.CopyTo(b, Guard);
        return b;
    }

    private static void AssertSameBits(double[] before, double[] after, string name)
    {
        for (int i = 0; i < before.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(before[i]) != BitConverter.DoubleToInt64Bits(after[i]))
            {
                throw new Xunit.Sdk.XunitException($"{name} buffer element {i} (view starts at {Guard}) changed");
            }
        }
    }

    private static void AssertSameBits(float[] before, float[] after, string name)
    {
        for (int i = 0; i < before.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(before[i]) != BitConverter.SingleToInt32Bits(after[i]))
            {
                throw new Xunit.Sdk.XunitException($"{name} buffer element {i} (view starts at {Guard}) changed");
            }
        }
    }
}
