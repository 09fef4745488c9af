using System;
using Xunit;

namespace RidgeCore.Tests.Primitives;

/// <summary>The primitives are documented not to allocate: they run inside latency-sensitive services.</summary>
public class AllocationTests
{
    [Fact]
    public void No_primitive_allocates_after_warm_up()
    {
        // Lengths that reach every code path of every family: scalar only, a 128-bit vector, the wider bodies with
        // and without a masked tail.
        int[] lengths = [1, 3, 4, 17, 1000];
        double[][] xd = Array.ConvertAll(lengths, n => new double[n]);
        double[][] yd = Array.ConvertAll(lengths, n => new double[n]);
        float[][] xf = Array.ConvertAll(lengths, n => new float[n]);
        float[][] yf = Array.ConvertAll(lengths, n => new float[n]);
        for (int k = 0; k < lengths.Length; k++)
        {
            Array.Fill(xd[k], 0.5);
            Array.Fill(yd[k], 0.25);
            Array.Fill(xf[k], 0.5f);
            Array.Fill(yf[k], 0.25f);
        }

        // Warm-up: runs the type initialiser that chooses the kernel family (which allocates its report once) and
        // gives the JIT a chance to compile every path.
        double sink = CallEverything(xd, yd, xf, yf, rounds: 50);
        RidgeCore.Tests.Harness.AllocationAssert.None(() => sink += CallEverything(xd, yd, xf, yf, rounds: 200), calls: 1, warmup: 0);
        Assert.True(double.IsFinite(sink));
    }

    private static double CallEverything(double[][] xd, double[][] yd, float[][] xf, float[][] yf, int rounds)
    {
        double sink = 0;
        for (int r = 0; r < rounds; r++)
        {
            for (int k = 0; k < xd.Length; k++)
            {
                sink += VectorPrimitives.Dot(xd[k], yd[k]);
                sink += VectorPrimitives.Sum(xd[k]);
                sink += VectorPrimitives.Mean(xd[k]);
                sink += VectorPrimitives.SumOfSquares(xd[k]);
                VectorPrimitives.Axpy(0.0, xd[k], yd[k]);
                VectorPrimitives.ScaleAdd(1.0, yd[k], 0.0, xd[k]);

                sink += VectorPrimitives.Dot(xf[k], yf[k]);
                sink += VectorPrimitives.Sum(xf[k]);
                sink += VectorPrimitives.Mean(xf[k]);
                sink += VectorPrimitives.SumOfSquares(xf[k]);
                VectorPrimitives.Axpy(0.0f, xf[k], yf[k]);
                VectorPrimitives.ScaleAdd(1.0f, yf[k], 0.0f, xf[k]);
            }
        }

        return sink;
    }
}
