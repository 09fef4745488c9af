using System;
using RidgeCore.Kernels.Lanes;
using RidgeCore.Kernels.Selection;
using Xunit;

namespace RidgeCore.Tests.Selection;

/// <summary>The λ-selection GEMM tile and the eigensolver's row kernels against naive loops, on every shape around
/// the register and tile edges, in the active tier (the suite runs once per tier).</summary>
public unsafe class SelectionKernelTests
{
    [Fact]
    public void SmallGemm_equals_the_naive_product()
    {
        var random = new Random(1);
        int nr = SmallGemm.PanelWidth;
        foreach (int rows in new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 16, 17, 23 })
            foreach (int k in new[] { 1, 2, 3, 8, 17, 64 })
                foreach (int n in new[] { nr, 2 * nr, 5 * nr })
                {
                    int lda = k + 3, ldb = n + nr, ldc = n + 1;
                    var a = new double[rows * lda];
                    var b = new double[k * ldb];
                    var c = new double[rows * ldc];
                    for (int i = 0; i < a.Length; i++) a[i] = random.NextDouble() - 0.5;
                    for (int i = 0; i < b.Length; i++) b[i] = random.NextDouble() - 0.5;
                    foreach (bool squared in new[] { false, true })
                    {
                        Array.Fill(c, double.NaN);
                        fixed (double* pa = a, pb = b, pc = c)
                        {
                            if (squared)
                                SmallGemm.MultiplySquared(pa, lda, pb, ldb, pc, ldc, rows, k, n);
                            else
                                SmallGemm.Multiply(pa, lda, pb, ldb, pc, ldc, rows, k, n);
                        }

                        for (int r = 0; r < rows; r++)
                        {
                            for (int j = 0; j < n; j++)
                            {
                                double s = 0;
                                for (int kk = 0; kk < k; kk++)
                                {
                                    double av = a[(r * lda) + kk];
                                    s += (squared ? av * av : av) * b[(kk * ldb) + j];
                                }

                                Assert.True(Math.Abs(s - c[(r * ldc) + j]) <= 1e-14 * k, $"squared={squared} rows={rows} k={k} n={n} C[{r},{j}]");
                            }

                            if (ldc > n) Assert.True(double.IsNaN(c[(r * ldc) + n]), "wrote past the row");
                        }
                    }
                }
    }

    [Fact]
    public void Rank2_update_fused_dot_and_rotation_equal_naive_loops()
    {
        var random = new Random(2);
        for (int n = 0; n <= 41; n++)
        {
            double[] row = Fill(random, n), v = Fill(random, n), w = Fill(random, n), u = Fill(random, n);
            double vi = random.NextDouble(), wi = random.NextDouble();
            double[] expected = new double[n];
            double dot = 0;
            for (int i = 0; i < n; i++)
            {
                expected[i] = row[i] - (vi * w[i]) - (wi * v[i]);
                dot += expected[i] * u[i];
            }

            double[] plain = (double[])row.Clone();
            double got;
            fixed (double* pr = row, pp = plain, pv = v, pw = w, pu = u)
            {
                got = LaneKernels.Rank2Update(pr, pv, pw, vi, wi, pu, n);
                LaneKernels.Rank2Update(pp, pv, pw, vi, wi, null, n);
            }

            for (int i = 0; i < n; i++)
            {
                Assert.Equal(expected[i], row[i], 1e-15);
                Assert.Equal(expected[i], plain[i], 1e-15);
            }

            Assert.Equal(dot, got, 1e-13);

            double[] x = Fill(random, n), y = Fill(random, n), x0 = (double[])x.Clone(), y0 = (double[])y.Clone();
            double angle = random.NextDouble() * 6, c = Math.Cos(angle), s = Math.Sin(angle);
            fixed (double* px = x, py = y)
                LaneKernels.Rotate(px, py, c, s, n);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal((c * x0[i]) - (s * y0[i]), x[i], 1e-15);
                Assert.Equal((s * x0[i]) + (c * y0[i]), y[i], 1e-15);
            }
        }
    }

    private static double[] Fill(Random random, int n)
    {
        var a = new double[n];
        for (int i = 0; i < n; i++) a[i] = random.NextDouble() - 0.5;
        return a;
    }
}
