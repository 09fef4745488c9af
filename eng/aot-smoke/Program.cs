using System;
using System.Runtime.Intrinsics;
using RidgeCore;

// The library's main paths, checked against known answers: the kernel report, the Gram accumulator (streamed in two
// batches, serialized and restored), Cholesky, Ridge.Fit in memory (refined; forced QR) and from statistics, and
// prediction. Used by eng/aot-smoke.sh (Native AOT) and eng/vendor-check.sh (the library's sources compiled into this
// program). Exits 1 on any mismatch.
internal static class Program
{
    // NIST StRD Longley (public domain): x1..x6, y; certified B0..B6.
    private static readonly double[] Longley =
    [
        83.0, 234289, 2356, 1590, 107608, 1947, 60323, 88.5, 259426, 2325, 1456, 108632, 1948, 61122,
        88.2, 258054, 3682, 1616, 109773, 1949, 60171, 89.5, 284599, 3351, 1650, 110929, 1950, 61187,
        96.2, 328975, 2099, 3099, 112075, 1951, 63221, 98.1, 346999, 1932, 3594, 113270, 1952, 63639,
        99.0, 365385, 1870, 3547, 115094, 1953, 64989, 100.0, 363112, 3578, 3350, 116219, 1954, 63761,
        101.2, 397469, 2904, 3048, 117388, 1955, 66019, 104.6, 419180, 2822, 2857, 118734, 1956, 67857,
        108.4, 442769, 2936, 2798, 120445, 1957, 68169, 110.8, 444546, 4681, 2637, 121950, 1958, 66513,
        112.6, 482704, 3813, 2552, 123366, 1959, 68655, 114.2, 502601, 3931, 2514, 125368, 1960, 69564,
        115.7, 518173, 4806, 2572, 127852, 1961, 69331, 116.9, 554894, 4007, 2827, 130081, 1962, 70551,
    ];

    private static readonly double[] Certified =
        [-3482258.63459582, 15.0618722713733, -0.358191792925910E-01, -2.02022980381683, -1.03322686717359, -0.511041056535807E-01, 1829.15146461355];

    private static int failures;

    private static int Main()
    {
        KernelSelectionReport report = KernelSelection.Report;
        Console.WriteLine($"kernel family {report.Family} ({report.TierName}); Vector256 accelerated: {Vector256.IsHardwareAccelerated}; {report.Reason}");

        const int n = 16, p = 6;
        var x = new double[n * p];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            Array.Copy(Longley, i * 7, x, i * p, p);
            y[i] = Longley[(i * 7) + 6];
        }

        var xv = new MatrixView<double>(x, n, p);
        var yv = new MatrixView<double>(y, n, 1);
        RidgeModel ols = Ridge.Fit(xv, yv, new RidgeOptions { Lambda = 0 });
        CheckModel("Ridge.Fit in memory, λ = 0 (refined)", ols, 12);
        CheckModel("Ridge.Fit, forced QR", Ridge.Fit(xv, yv, new RidgeOptions { Lambda = 0, Factorization = RidgeFactorization.QR }), 9);

        // Statistics streamed in two batches, serialized and restored, then a fit from statistics alone.
        using var stats = new GramAccumulator(p);
        stats.Add(xv.SliceRows(0, 7), yv.SliceRows(0, 7));
        stats.Add(xv.SliceRows(7, 9), yv.SliceRows(7, 9));
        var bytes = new byte[stats.GetSerializedSize()];
        stats.Serialize(bytes);
        using GramAccumulator restored = GramAccumulator.Deserialize(bytes);
        Check("accumulator round trip: row count", restored.RowCount == n);
        CheckModel("Ridge.Fit from statistics, λ = 0", Ridge.Fit(restored, new RidgeOptions { Lambda = 0 }), 8);

        // Ridge with λ > 0: from statistics equals in memory; Cholesky by hand agrees.
        RidgeModel ridge = Ridge.Fit(xv, yv, new RidgeOptions { Lambda = 0.5, Standardize = true });
        RidgeModel ridgeStats = Ridge.Fit(restored, new RidgeOptions { Lambda = 0.5, Standardize = true });
        for (int j = 0; j < p; j++)
        {
            Check($"λ = 0.5 statistics vs memory, θ{j + 1}", Close(ridge.GetCoefficient(j), ridgeStats.GetCoefficient(j), 1e-9));
        }

        var cxx = new double[p * p];
        var cxy = new double[p];
        restored.CopyCxx(cxx);
        restored.CopyCxy(cxy);
        using (var factor = new CholeskyFactor(p) { Equilibrate = true })
        {
            factor.Factor(new MatrixView<double>(cxx, p, p), diagonalLoad: restored.WeightSum * 10.0);
            factor.Solve(cxy);
        }

        RidgeModel ten = Ridge.Fit(restored, new RidgeOptions { Lambda = 10.0 });
        for (int j = 0; j < p; j++)
        {
            Check($"CholeskyFactor by hand vs Ridge.Fit at λ = 10, θ{j + 1}", Close(cxy[j], ten.GetCoefficient(j), 1e-9));
        }

        var predictions = new double[n];
        ols.Predict(xv, predictions);
        double rss = 0;
        for (int i = 0; i < n; i++)
        {
            rss += (y[i] - predictions[i]) * (y[i] - predictions[i]);
        }

        Check($"residual sum of squares {rss:R} vs certified 836424.055505915", Close(rss, 836424.055505915, 1e-9));
        Console.WriteLine(failures == 0 ? "smoke: all checks passed" : $"smoke: {failures} checks FAILED");
        return failures == 0 ? 0 : 1;
    }

    private static void CheckModel(string what, RidgeModel model, int digits)
    {
        double worst = Math.Abs(model.Intercepts[0] - Certified[0]) / Math.Abs(Certified[0]);
        for (int j = 0; j < 6; j++)
        {
            worst = Math.Max(worst, Math.Abs(model.GetCoefficient(j) - Certified[j + 1]) / Math.Abs(Certified[j + 1]));
        }

        Check($"{what}: {-Math.Log10(Math.Max(worst, 1e-17)):F1} certified digits (need {digits})", worst <= Math.Pow(10, -digits));
    }

    private static bool Close(double a, double b, double relative) => Math.Abs(a - b) <= relative * Math.Max(Math.Abs(a), Math.Abs(b));

    private static void Check(string what, bool ok)
    {
        Console.WriteLine($"  {(ok ? "ok    " : "FAILED")} {what}");
        if (!ok)
        {
            failures++;
        }
    }
}
