using System;
using Xunit;

namespace RidgeCore.Tests;

public class SmokeTests
{
    [Fact]
    public void Primitives_agree_with_plain_loops_on_a_small_case()
    {
        for (int n = 0; n < 100; n++)
        {
            var x = new double[n];
            var y = new double[n];
            for (int i = 0; i < n; i++) { x[i] = i + 1; y[i] = 2 * i - 3; }
            double dot = 0, sum = 0, ss = 0;
            for (int i = 0; i < n; i++) { dot += x[i] * y[i]; sum += x[i]; ss += x[i] * x[i]; }
            Assert.Equal(dot, VectorPrimitives.Dot(x, y));
            Assert.Equal(sum, VectorPrimitives.Sum(x));
            Assert.Equal(ss, VectorPrimitives.SumOfSquares(x));
            var z = (double[])y.Clone();
            VectorPrimitives.Axpy(2.0, x, z);
            for (int i = 0; i < n; i++) { Assert.Equal(2 * x[i] + y[i], z[i]); }
            z = (double[])x.Clone();
            VectorPrimitives.ScaleAdd(0.5, z, -1.0, y);
            for (int i = 0; i < n; i++) { Assert.Equal(0.5 * x[i] - y[i], z[i]); }
        }
    }
}
