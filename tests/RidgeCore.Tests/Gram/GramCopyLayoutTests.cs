using System;
using Xunit;

namespace RidgeCore.Tests.Gram;

/// <summary>The layouts of CopyCxx (mirror or lower only), CopyCxy ([i, k] = feature i with target k) and CopyCyy.</summary>
public class GramCopyLayoutTests
{
    /// <summary>
    /// Uncentered statistics of X = I (p rows) stacked on a second block give exact, pairwise distinct small integers,
    /// so each entry can be checked at its index: Cxx[i, j] = δ_ij + 100·(i+1)(j+1)… built below, Cxy[i, k] = 10·i + k.
    /// </summary>
    [Fact]
    public void Copies_place_every_entry_at_its_documented_index()
    {
        const int p = 4, t = 3;
        // Rows 0..p-1: x = e_i, y_k = 10·i + k. Row p: x_j = j + 1, y = 0. Row p+1: x = 0, y_k = k + 1.
        int n = p + 2;
        var x = new double[n * p];
        var y = new double[n * t];
        for (int i = 0; i < p; i++)
        {
            x[(i * p) + i] = 1;
            for (int k = 0; k < t; k++)
            {
                y[(i * t) + k] = (10 * i) + k;
            }
        }

        for (int j = 0; j < p; j++)
        {
            x[(p * p) + j] = j + 1;
        }

        for (int k = 0; k < t; k++)
        {
            y[((p + 1) * t) + k] = k + 1;
        }

        using var acc = new GramAccumulator(p, t, GramMode.Uncentered);
        acc.Add(new MatrixView<double>(x, n, p), new MatrixView<double>(y, n, t));

        double[] cxx = new double[p * p], cxy = new double[p * t], cyy = new double[t * t];
        acc.CopyCxx(cxx);
        acc.CopyCxy(cxy);
        acc.CopyCyy(cyy);
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                Assert.Equal((i == j ? 1 : 0) + ((i + 1) * (j + 1)), cxx[(i * p) + j]);
            }

            for (int k = 0; k < t; k++)
            {
                Assert.Equal((10 * i) + k, cxy[(i * t) + k]);
            }
        }

        for (int k = 0; k < t; k++)
        {
            for (int l = 0; l < t; l++)
            {
                double expected = ((k + 1) * (l + 1)) + SumOver(p, i => ((10.0 * i) + k) * ((10 * i) + l));
                Assert.Equal(expected, cyy[(k * t) + l]);
            }
        }

        Assert.All(acc.MeanX.ToArray(), m => Assert.Equal(0, m));
        Assert.All(acc.MeanY.ToArray(), m => Assert.Equal(0, m));
    }

    /// <summary>mirror: true gives an exactly symmetric Cxx; mirror: false writes the same lower triangle (diagonal
    /// included) and leaves every upper entry as it was.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    [InlineData(74)]
    public void Mirror_fills_the_upper_triangle_and_no_mirror_leaves_it_alone(int p)
    {
        const int t = 3;
        using var acc = new GramAccumulator(p, t);
        GramProblem.Random(new GramCase(50, p, t, 0, 0, WeightKind.Positive, GramMode.Centered, 3, p), false).AddTo(acc);
        double[] full = new double[p * p];
        acc.CopyCxx(full);
        double[] lower = new double[p * p];
        lower.AsSpan().Fill(-12345.5);
        acc.CopyCxx(lower, mirror: false);
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                Assert.Equal(full[(i * p) + j], full[(j * p) + i]);
                Assert.Equal(j <= i ? full[(i * p) + j] : -12345.5, lower[(i * p) + j]);
            }
        }

        double[] cyy = new double[t * t];
        acc.CopyCyy(cyy);
        GramStats s = GramStats.Of(acc);
        GramAssert.Symmetric(s);
        for (int k = 0; k < t; k++)
        {
            Assert.True(cyy[(k * t) + k] > 0);
        }
    }

    private static double SumOver(int count, Func<int, double> f)
    {
        double s = 0;
        for (int i = 0; i < count; i++)
        {
            s += f(i);
        }

        return s;
    }
}
