using System;
using Xunit;

namespace RidgeCore.Tests.Gram;

public class GramQuickTests
{
    private static (double[] cxx, double[] cxy, double[] mx) Naive(double[] x, double[] y, double[]? w, int n, int p, int t, int stride, bool centered)
    {
        int q = p + t;
        var z = new double[n * q];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < p; j++) z[i * q + j] = x[i * stride + j];
            for (int k = 0; k < t; k++) z[i * q + p + k] = y[i * t + k];
        }
        double W = 0; var mean = new double[q];
        for (int i = 0; i < n; i++) { double wi = w?[i] ?? 1; W += wi; for (int j = 0; j < q; j++) mean[j] += wi * z[i * q + j]; }
        for (int j = 0; j < q; j++) mean[j] = centered && W > 0 ? mean[j] / W : 0;
        var c = new double[q * q];
        for (int i = 0; i < n; i++) { double wi = w?[i] ?? 1; for (int a = 0; a < q; a++) for (int b = 0; b < q; b++) c[a * q + b] += wi * (z[i * q + a] - mean[a]) * (z[i * q + b] - mean[b]); }
        var cxx = new double[p * p]; var cxy = new double[p * t];
        for (int a = 0; a < p; a++) { for (int b = 0; b < p; b++) cxx[a * p + b] = c[a * q + b]; for (int k = 0; k < t; k++) cxy[a * t + k] = c[a * q + p + k]; }
        return (cxx, cxy, mean[..p]);
    }

    [Theory]
    [InlineData(1, 1, 1, false)]
    [InlineData(7, 3, 2, false)]
    [InlineData(300, 13, 1, true)]
    [InlineData(600, 17, 3, true)]
    [InlineData(5000, 40, 2, true)]
    [InlineData(40000, 9, 1, true)]
    public void Matches_naive(int n, int p, int t, bool weighted)
    {
        var rng = new Random(n * 31 + p);
        int stride = p + 3;
        var x = new double[n * stride]; var y = new double[n * t]; var w = new double[n];
        for (int i = 0; i < x.Length; i++) x[i] = 100 + rng.NextDouble() * 2 - 1;
        for (int i = 0; i < y.Length; i++) y[i] = rng.NextDouble();
        for (int i = 0; i < n; i++) w[i] = rng.Next(4) == 0 ? 0 : rng.NextDouble() * 3;
        foreach (GramMode mode in new[] { GramMode.Centered, GramMode.Uncentered })
        {
            using var acc = new GramAccumulator(p, t, mode);
            var xv = new MatrixView<double>(x, n, p, stride); var yv = new MatrixView<double>(y, n, t);
            if (weighted) acc.Add(xv, yv, w); else acc.Add(xv, yv);
            var (cxx, cxy, mx) = Naive(x, y, weighted ? w : null, n, p, t, stride, mode == GramMode.Centered);
            var got = new double[p * p]; acc.CopyCxx(got);
            var gotXy = new double[p * t]; acc.CopyCxy(gotXy);
            double scale = mode == GramMode.Centered ? n : n * 1e4;
            for (int i = 0; i < p * p; i++) Assert.True(Math.Abs(got[i] - cxx[i]) <= 1e-10 * scale, $"{mode} cxx[{i}] {got[i]} vs {cxx[i]}");
            for (int i = 0; i < p * t; i++) Assert.True(Math.Abs(gotXy[i] - cxy[i]) <= 1e-10 * scale, $"{mode} cxy[{i}] {gotXy[i]} vs {cxy[i]}");
            for (int i = 0; i < p; i++) Assert.True(Math.Abs(acc.MeanX[i] - mx[i]) <= 1e-12 * 100, $"mean {i}");
        }
    }
}

public class GramQuickFloatTests
{
    [Theory]
    [InlineData(5000, 40, 2)]
    [InlineData(3000, 65, 1)]
    [InlineData(20000, 17, 1)]
    public void Float_matches_double_on_rounded_values(int n, int p, int t)
    {
        var rng = new Random(n + p);
        var xf = new float[n * p]; var yf = new float[n * t]; var wf = new float[n];
        for (int i = 0; i < xf.Length; i++) xf[i] = (float)(1e3 + rng.NextDouble() * 2 - 1);
        for (int i = 0; i < yf.Length; i++) yf[i] = (float)rng.NextDouble();
        for (int i = 0; i < n; i++) wf[i] = (float)(rng.NextDouble() * 2);
        var xd = Array.ConvertAll(xf, v => (double)v); var yd = Array.ConvertAll(yf, v => (double)v); var wd = Array.ConvertAll(wf, v => (double)v);
        using var a = new GramAccumulator(p, t); using var b = new GramAccumulator(p, t);
        a.Add(new MatrixView<float>(xf, n, p), new MatrixView<float>(yf, n, t), wf);
        b.Add(new MatrixView<double>(xd, n, p), new MatrixView<double>(yd, n, t), wd);
        var ca = new double[p * p]; var cb = new double[p * p]; a.CopyCxx(ca); b.CopyCxx(cb);
        double norm = 0; foreach (double v in cb) norm = Math.Max(norm, Math.Abs(v));
        for (int i = 0; i < ca.Length; i++) Assert.True(Math.Abs(ca[i] - cb[i]) <= 1e-4 * norm, $"cxx[{i}] {ca[i]} vs {cb[i]}");
        var xa = new double[p * t]; var xb = new double[p * t]; a.CopyCxy(xa); b.CopyCxy(xb);
        for (int i = 0; i < xa.Length; i++) Assert.True(Math.Abs(xa[i] - xb[i]) <= 1e-4 * norm, $"cxy[{i}]");
        Assert.Equal(b.WeightSum, a.WeightSum, 1e-9 * b.WeightSum);
    }
}
