using System;
using RidgeCore.Kernels.Gram;
using Xunit;

namespace RidgeCore.Tests.Gram;

public class RankKUpdateTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(17, 300)]
    [InlineData(73, 64)]
    [InlineData(130, 257)]
    public unsafe void Lower_rank_k_update_matches_naive(int m, int k)
    {
        var rng = new Random(m * 1000 + k);
        int ldl = k + 2, ldc = m + 3;
        var l = new double[m * ldl]; var c = new double[m * ldc];
        for (int i = 0; i < l.Length; i++) l[i] = rng.NextDouble() - 0.5;
        for (int i = 0; i < c.Length; i++) c[i] = rng.NextDouble();
        foreach (bool subtract in new[] { false, true })
        {
            var got = (double[])c.Clone();
            using var ws = new GramWorkspace<double>(m, GramEngine.PanelWidth<double>(), GramBlocking.For(KernelSelection.Active));
            fixed (double* pc = got, pl = l)
            {
                GramEngine.LowerRankKUpdate(pc, ldc, m, pl, ldl, k, subtract, ws);
            }

            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < ldc; j++)
                {
                    double expected = c[i * ldc + j];
                    if (j <= i)
                    {
                        double s = 0;
                        for (int kk = 0; kk < k; kk++) s += l[i * ldl + kk] * l[j * ldl + kk];
                        expected += subtract ? -s : s;
                    }

                    Assert.True(Math.Abs(got[i * ldc + j] - expected) <= 1e-13 * (k + 1), $"[{i},{j}] {got[i * ldc + j]} vs {expected} (subtract={subtract})");
                }
            }
        }
    }
}
