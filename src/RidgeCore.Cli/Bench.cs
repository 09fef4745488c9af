using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Json;

namespace RidgeCore.Cli;

/// <summary>
/// <c>ridge bench</c>: what this CPU does with RidgeCore in about a minute. The machine limits first (double FMA peak
/// at the active vector width, single-core streaming read bandwidth), then the kernels as a fraction of them: Gram
/// accumulation and Cholesky (compute-bound: % of FMA peak), a whole in-memory fit, CSV parsing, and OpenBLAS's dsyrk
/// and dpotrf beside them when libopenblas can be loaded. Every figure is the best of many timed repetitions: on a busy
/// machine interference only ever slows a repetition down.
/// </summary>
internal static class Bench
{
    private sealed record Row(string Name, string Size, double Seconds, double Gflops, double? PercentOfPeak, string Note);

    public static int Run(bool json, double seconds, TextWriter stdout, TextWriter stderr)
    {
        if (!(seconds > 0) || !double.IsFinite(seconds))
        {
            throw new UsageException("--seconds must be positive.");
        }

        double unit = seconds / 60;   // the default run is about a minute; every budget scales with --seconds
        bool small = seconds < 10;    // a quick look (and the tests): smaller problems, sizes printed as always
        KernelSelectionReport report = KernelSelection.Report;
        using Progress? progress = Progress.Start("bench");
        var clock = Stopwatch.StartNew();
        double peak = Probes.FmaPeakGflops(TimeSpan.FromSeconds(3 * unit));
        progress?.Report(1, 9);
        double bandwidth = Probes.ReadBandwidthGBps(TimeSpan.FromSeconds(4 * unit), small ? 4 << 20 : 32 << 20);
        progress?.Report(2, 9);

        var rows = new List<Row>();
        int gramN = small ? 1_000 : 20_000, gramP = small ? 128 : 256;
        var x = Random(gramN * gramP, 1);
        var y = Random(gramN, 2);
        double gramFlops = (double)gramN * gramP * (gramP + 1);   // the lower triangle of XᵀX: n·p(p+1)/2 multiply-adds
        double tGram = Best(TimeSpan.FromSeconds(9 * unit), () =>
        {
            using var acc = new GramAccumulator(gramP);
            acc.Add(new MatrixView<double>(x, gramN, gramP), new MatrixView<double>(y, gramN, 1));
        });
        rows.Add(Compute("Gram XᵀX (+ means, Xᵀy)", $"n = {gramN}, p = {gramP}", tGram, gramFlops, peak, "GramAccumulator.Add"));
        progress?.Report(3, 9);

        var xf = Array.ConvertAll(x, v => (float)v);
        var yf = Array.ConvertAll(y, v => (float)v);
        double tGramF = Best(TimeSpan.FromSeconds(5 * unit), () =>
        {
            using var acc = new GramAccumulator(gramP);
            acc.Add(new MatrixView<float>(xf, gramN, gramP), new MatrixView<float>(yf, gramN, 1));
        });
        rows.Add(Compute("Gram, float input", $"n = {gramN}, p = {gramP}", tGramF, gramFlops, 2 * peak, "% of the float peak (2× double)"));
        progress?.Report(4, 9);

        int cholP = small ? 256 : 768;
        double[] spd = SymmetricPositiveDefinite(cholP);
        using var factor = new CholeskyFactor(cholP);
        double tChol = Best(TimeSpan.FromSeconds(6 * unit), () => factor.Factor(new MatrixView<double>(spd, cholP, cholP)));
        rows.Add(Compute("Cholesky", $"p = {cholP}", tChol, (double)cholP * cholP * cholP / 3, peak, "CholeskyFactor.Factor"));
        progress?.Report(5, 9);

        int fitN = small ? 2_000 : 20_000, fitP = 64;
        var fx = Random(fitN * fitP, 3);
        var fy = Random(fitN, 4);
        var options = new RidgeOptions { Lambda = 1e-3 };
        double tFit = Best(TimeSpan.FromSeconds(6 * unit), () => Ridge.Fit(new MatrixView<double>(fx, fitN, fitP), new MatrixView<double>(fy, fitN, 1), options));
        rows.Add(new Row("Ridge.Fit in memory (Gram + Cholesky + refinement)", $"n = {fitN}, p = {fitP}", tFit, double.NaN, null,
            FormattableString.Invariant($"{fitN / tFit / 1e6:F2} M rows/s; {(double)fitN * fitP * 8 / tFit / 1e9 / bandwidth * 100:F0} % of read bandwidth for X")));
        progress?.Report(6, 9);

        int sgdN = small ? 5_000 : 100_000, sgdP = 64;
        var sx = Random(sgdN * sgdP, 6);
        var sy = Random(sgdN, 7);
        var sgdOptions = new SgdOptions { Lambda = 1e-4, BatchSize = 32, MaxEpochs = 1, Seed = 1, Tolerance = null };
        double tSgd = Best(TimeSpan.FromSeconds(6 * unit), () => new SgdRegressor(sgdOptions).Fit(new MatrixView<double>(sx, sgdN, sgdP), sy));
        rows.Add(new Row("SGD epoch (squared loss, batch 32)", $"n = {sgdN}, p = {sgdP}", tSgd, double.NaN, null,
            FormattableString.Invariant($"{(double)sgdN * sgdP * 8 / tSgd / 1e9:F1} GB/s of X: {(double)sgdN * sgdP * 8 / tSgd / 1e9 / bandwidth * 100:F0} % of read bandwidth")));

        (double csvSeconds, long csvBytes) = CsvProbe(TimeSpan.FromSeconds(6 * unit), small ? 5_000 : 60_000);
        rows.Add(new Row("CSV parse (20 numbers a row, 17 digits)", $"{csvBytes / 1e6:F1} MB", csvSeconds, double.NaN, null,
            FormattableString.Invariant($"{csvBytes / csvSeconds / 1e6:F0} MB/s")));
        progress?.Report(7, 9);

        string blas = OpenBlasProbe.Describe();
        if (OpenBlasProbe.IsAvailable)
        {
            double tSyrk = Best(TimeSpan.FromSeconds(9 * unit), () => OpenBlasProbe.Dsyrk(x, gramN, gramP));
            rows.Add(Compute("OpenBLAS dsyrk (XᵀX only)", $"n = {gramN}, p = {gramP}", tSyrk, gramFlops, peak, FormattableString.Invariant($"RidgeCore Gram is {tSyrk / tGram:F2}× as fast")));
            progress?.Report(8, 9);
            if (OpenBlasProbe.HasPotrf)
            {
                double tPotrf = Best(TimeSpan.FromSeconds(6 * unit), () => OpenBlasProbe.Dpotrf(spd, cholP));
                rows.Add(Compute("OpenBLAS dpotrf", $"p = {cholP}", tPotrf, (double)cholP * cholP * cholP / 3, peak, FormattableString.Invariant($"RidgeCore Cholesky is {tPotrf / tChol:F2}× as fast")));
            }
        }

        if (json)
        {
            WriteJson(stdout, report, peak, bandwidth, rows, blas, clock.Elapsed);
        }
        else
        {
            WriteMarkdown(stdout, report, peak, bandwidth, rows, blas, clock.Elapsed);
        }

        return ExitCodes.Success;
    }

    private static Row Compute(string name, string size, double seconds, double flops, double peak, string note)
    {
        double gflops = flops / seconds / 1e9;
        return new Row(name, size, seconds, gflops, gflops / peak * 100, note);
    }

    private static void WriteMarkdown(TextWriter o, KernelSelectionReport report, double peak, double bandwidth, List<Row> rows, string blas, TimeSpan elapsed)
    {
        o.WriteLine("# ridge bench");
        o.WriteLine();
        o.WriteLine($"ridge {Program.VersionOf(typeof(Program).Assembly)}, .NET {Environment.Version}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} logical CPUs; one thread.");
        o.WriteLine();
        o.WriteLine($"- Kernel family: **{report.Family}** ({report.TierName}) — {report.Reason}");
        o.WriteLine($"- CPU features: {string.Join(' ', report.CpuFeatures)}");
        string peakKind = Probes.HardwareFma && Probes.VectorBits > 64 ? "FMA peak" : "multiply + add peak (no hardware FMA here; independent multiply and add chains, a rough ceiling)";
        o.WriteLine(FormattableString.Invariant($"- Double {peakKind}, one core, {Probes.VectorBits}-bit vectors: **{peak:F1} GFLOP/s**"));
        o.WriteLine(FormattableString.Invariant($"- Streaming read bandwidth, one core: **{bandwidth:F1} GB/s**"));
        o.WriteLine($"- OpenBLAS: {blas}");
        o.WriteLine();
        o.WriteLine("| Kernel | Size | Best time | GFLOP/s | % of FMA peak | Note |");
        o.WriteLine("|---|---|---|---|---|---|");
        foreach (Row r in rows)
        {
            o.WriteLine(FormattableString.Invariant(
                $"| {r.Name} | {r.Size} | {(double.IsFinite(r.Seconds) ? Time(r.Seconds) : "—")} | {(double.IsFinite(r.Gflops) ? r.Gflops.ToString("F1", CultureInfo.InvariantCulture) : "—")} | {(r.PercentOfPeak is { } pct ? pct.ToString("F0", CultureInfo.InvariantCulture) + " %" : "—")} | {r.Note} |"));
        }

        o.WriteLine();
        o.WriteLine(FormattableString.Invariant($"Best of repeated runs; {elapsed.TotalSeconds:F0} s in all. GFLOP/s count a multiply-add as 2 flops."));
    }

    private static void WriteJson(TextWriter o, KernelSelectionReport report, double peak, double bandwidth, List<Row> rows, string blas, TimeSpan elapsed)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("ridge", Program.VersionOf(typeof(Program).Assembly));
            w.WriteString("runtime", Environment.Version.ToString());
            w.WriteString("os", RuntimeInformation.OSDescription);
            w.WriteNumber("logical_cpus", Environment.ProcessorCount);
            w.WriteString("kernel_family", report.Family.ToString());
            w.WriteString("tier", report.TierName);
            w.WriteString("reason", report.Reason);
            w.WriteNumber("vector_bits", Probes.VectorBits);
            w.WriteNumber("fma_peak_gflops", Math.Round(peak, 2));
            w.WriteNumber("read_bandwidth_gbps", Math.Round(bandwidth, 2));
            w.WriteString("openblas", blas);
            w.WriteStartArray("results");
            foreach (Row r in rows)
            {
                w.WriteStartObject();
                w.WriteString("name", r.Name);
                w.WriteString("size", r.Size);
                WriteNumberOrNull(w, "seconds", r.Seconds);
                WriteNumberOrNull(w, "gflops", r.Gflops);
                WriteNumberOrNull(w, "percent_of_peak", r.PercentOfPeak ?? double.NaN);
                w.WriteString("note", r.Note);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("elapsed_seconds", Math.Round(elapsed.TotalSeconds, 1));
            w.WriteEndObject();
        }

        o.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteNumberOrNull(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, value);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static string Time(double seconds) => seconds >= 1 ? FormattableString.Invariant($"{seconds:F2} s")
        : seconds >= 1e-3 ? FormattableString.Invariant($"{seconds * 1e3:F2} ms") : FormattableString.Invariant($"{seconds * 1e6:F1} µs");

    /// <summary>The best time of repeated runs within the budget (at least 3 runs, after one warm-up).</summary>
    private static double Best(TimeSpan budget, Action action)
    {
        action();
        var total = Stopwatch.StartNew();
        double best = double.MaxValue;
        for (int r = 0; r < 3 || total.Elapsed < budget; r++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
            if (r > 1000)
            {
                break;
            }
        }

        return best;
    }

    /// <summary><c>ridge bench --csv FILE</c>: one timed pass of the CSV reader over a file (disk included), every
    /// column parsed as a number.</summary>
    public static int ParseFile(string path, TextWriter stdout)
    {
        var clock = Stopwatch.StartNew();
        long rows = 0;
        using (CsvReader csv = CsvReader.Open(path))
        {
            int columns = csv.Header.Length;
            var roles = new ColumnRole[columns];
            var index = new int[columns];
            for (int c = 0; c < columns; c++)
            {
                roles[c] = ColumnRole.Feature;
                index[c] = c;
            }

            var parser = new RowParser(path, csv.Header, roles, index, binaryTargets: false);
            var row = new double[columns];
            while (csv.TryReadLine(out ReadOnlySpan<byte> line))
            {
                parser.Parse(line, csv.Line, row, default, out _);
                rows++;
            }
        }

        double seconds = clock.Elapsed.TotalSeconds;
        long bytes = new FileInfo(path).Length;
        stdout.WriteLine(FormattableString.Invariant($"{path}: {bytes / 1e6:F1} MB, {rows} rows parsed in {seconds:F2} s: {bytes / seconds / 1e6:F0} MB/s"));
        return ExitCodes.Success;
    }

    /// <summary>Parses an in-memory CSV (so the disk is not measured) with the reader <c>ridge fit</c> uses.</summary>
    private static (double Seconds, long Bytes) CsvProbe(TimeSpan budget, int rows)
    {
        byte[] text = CsvSample(rows, columns: 20);
        double best = Best(budget, () =>
        {
            using var csv = CsvReader.FromStream("bench.csv", new MemoryStream(text, writable: false));
            var roles = new ColumnRole[20];
            var index = new int[20];
            for (int c = 0; c < 20; c++)
            {
                roles[c] = ColumnRole.Feature;
                index[c] = c;
            }

            var parser = new RowParser("bench.csv", csv.Header, roles, index, binaryTargets: false);
            var row = new double[20];
            while (csv.TryReadLine(out ReadOnlySpan<byte> line))
            {
                parser.Parse(line, csv.Line, row, default, out _);
            }
        });
        return (best, text.Length);
    }

    /// <summary>Gaussian numbers printed in shortest round-trip form (about 19 characters each), like a data export.</summary>
    public static byte[] CsvSample(int rows, int columns)
    {
        var rng = new Random(17);
        var sb = new StringBuilder();
        for (int c = 0; c < columns; c++)
        {
            sb.Append(c == 0 ? "" : ",").Append('x').Append(c);
        }

        sb.Append('\n');
        for (int i = 0; i < rows; i++)
        {
            for (int c = 0; c < columns; c++)
            {
                double v = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                sb.Append(c == 0 ? "" : ",").Append(v.ToString("R", CultureInfo.InvariantCulture));
            }

            sb.Append('\n');
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static double[] Random(int count, int seed)
    {
        var rng = new Random(seed);
        var values = new double[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = rng.NextDouble() - 0.5;
        }

        return values;
    }

    /// <summary>A well-conditioned SPD matrix: BᵀB/p + I.</summary>
    private static double[] SymmetricPositiveDefinite(int p)
    {
        double[] b = Random(p * p, 5);
        var a = new double[p * p];
        using (var acc = new GramAccumulator(p, 1, GramMode.Uncentered))
        {
            acc.Add(new MatrixView<double>(b, p, p), new MatrixView<double>(new double[p], p, 1));
            acc.CopyCxx(a);
        }

        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                a[(i * p) + j] /= p;
            }

            a[(i * p) + i] += 1;
        }

        return a;
    }
}

/// <summary>The machine-limit probes: FMA peak at the active vector width, and streaming read bandwidth.</summary>
internal static class Probes
{
    private const int Chains = 12;

    public static int VectorBits => Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 64;

    /// <summary>Double-precision FMA peak of one core in GFLOP/s: twelve independent FMA chains (enough to cover 4-cycle
    /// latency on two pipes) at the widest accelerated width; best of 2 ms repetitions.</summary>
    public static double FmaPeakGflops(TimeSpan budget)
    {
        int lanes = VectorBits / 64;
        Func<long, double> loop = VectorBits switch
        {
            512 => Chains512,
            256 => Chains256,
            128 when HardwareFma => Chains128,
            128 => Separate128,
            _ => ChainsScalar,
        };
        loop(1000);
        long iterations = 1 << 12;
        while (TimeIt(loop, iterations) < 0.002)
        {
            iterations *= 2;
        }

        double best = double.MaxValue;
        var total = Stopwatch.StartNew();
        for (int r = 0; r < 20 || total.Elapsed < budget; r++)
        {
            best = Math.Min(best, TimeIt(loop, iterations));
        }

        return iterations * Chains * lanes * 2.0 / best / 1e9;
    }

    /// <summary>Single-core read bandwidth in GB/s: a four-stream vector sum over <paramref name="doubles"/> values
    /// (256 MiB by default: far beyond any last-level cache), best pass.</summary>
    public static double ReadBandwidthGBps(TimeSpan budget, int doubles)
    {
        var data = new double[doubles];
        for (int i = 0; i < data.Length; i += 512)
        {
            data[i] = 1;   // touch every page
        }

        double best = double.MaxValue;
        var total = Stopwatch.StartNew();
        for (int r = 0; r < 2 || total.Elapsed < budget; r++)
        {
            long start = Stopwatch.GetTimestamp();
            GC.KeepAlive(SumStreams(data));
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        return data.Length * 8.0 / best / 1e9;
    }

    /// <summary>Whether the active width has a hardware fused multiply-add. Without one (DOTNET_EnableAVX2=0) the
    /// Vector*.FusedMultiplyAdd APIs fall back to a software routine per lane, which is not what kernels at that tier
    /// use: the peak is then that of a multiply and an add.</summary>
    public static bool HardwareFma => System.Runtime.Intrinsics.X86.Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported;   // JIT-time constants: no branch in the loops

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> MulAdd(Vector512<double> c, Vector512<double> m, Vector512<double> a)
        => HardwareFma ? Vector512.FusedMultiplyAdd(c, m, a) : (c * m) + a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> MulAdd(Vector256<double> c, Vector256<double> m, Vector256<double> a)
        => HardwareFma ? Vector256.FusedMultiplyAdd(c, m, a) : (c * m) + a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> MulAdd(Vector128<double> c, Vector128<double> m, Vector128<double> a)
        => HardwareFma ? Vector128.FusedMultiplyAdd(c, m, a) : (c * m) + a;

    private static double TimeIt(Func<long, double> loop, long iterations)
    {
        long start = Stopwatch.GetTimestamp();
        GC.KeepAlive(loop(iterations));
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double SumStreams(double[] data)
    {
        int quarter = data.Length / 4;
        ReadOnlySpan<double> a = data.AsSpan(0, quarter), b = data.AsSpan(quarter, quarter), c = data.AsSpan(2 * quarter, quarter), d = data.AsSpan(3 * quarter, quarter);
        var va = Vector256<double>.Zero;
        var vb = va;
        var vc = va;
        var vd = va;
        for (int i = 0; i + 4 <= quarter; i += 4)
        {
            va += Vector256.Create(a.Slice(i, 4));
            vb += Vector256.Create(b.Slice(i, 4));
            vc += Vector256.Create(c.Slice(i, 4));
            vd += Vector256.Create(d.Slice(i, 4));
        }

        return Vector256.Sum(va + vb + vc + vd);
    }

    // c ← c·m + a with m just below 1: every chain converges to a/(1 − m) and never overflows or turns subnormal.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double Chains512(long iterations)
    {
        Vector512<double> m = Vector512.Create(0.999999), a = Vector512.Create(1e-7);
        Vector512<double> c0 = Vector512<double>.One, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (long i = 0; i < iterations; i++)
        {
            c0 = MulAdd(c0, m, a); c1 = MulAdd(c1, m, a); c2 = MulAdd(c2, m, a);
            c3 = MulAdd(c3, m, a); c4 = MulAdd(c4, m, a); c5 = MulAdd(c5, m, a);
            c6 = MulAdd(c6, m, a); c7 = MulAdd(c7, m, a); c8 = MulAdd(c8, m, a);
            c9 = MulAdd(c9, m, a); c10 = MulAdd(c10, m, a); c11 = MulAdd(c11, m, a);
        }

        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double Chains256(long iterations)
    {
        Vector256<double> m = Vector256.Create(0.999999), a = Vector256.Create(1e-7);
        Vector256<double> c0 = Vector256<double>.One, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (long i = 0; i < iterations; i++)
        {
            c0 = MulAdd(c0, m, a); c1 = MulAdd(c1, m, a); c2 = MulAdd(c2, m, a);
            c3 = MulAdd(c3, m, a); c4 = MulAdd(c4, m, a); c5 = MulAdd(c5, m, a);
            c6 = MulAdd(c6, m, a); c7 = MulAdd(c7, m, a); c8 = MulAdd(c8, m, a);
            c9 = MulAdd(c9, m, a); c10 = MulAdd(c10, m, a); c11 = MulAdd(c11, m, a);
        }

        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double Chains128(long iterations)
    {
        Vector128<double> m = Vector128.Create(0.999999), a = Vector128.Create(1e-7);
        Vector128<double> c0 = Vector128<double>.One, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (long i = 0; i < iterations; i++)
        {
            c0 = MulAdd(c0, m, a); c1 = MulAdd(c1, m, a); c2 = MulAdd(c2, m, a);
            c3 = MulAdd(c3, m, a); c4 = MulAdd(c4, m, a); c5 = MulAdd(c5, m, a);
            c6 = MulAdd(c6, m, a); c7 = MulAdd(c7, m, a); c8 = MulAdd(c8, m, a);
            c9 = MulAdd(c9, m, a); c10 = MulAdd(c10, m, a); c11 = MulAdd(c11, m, a);
        }

        return Vector128.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    /// <summary>Without hardware FMA: twelve independent multiply chains beside twelve independent add chains, so the
    /// multiplier and adder pipes are both kept busy (a dependent c·m + a chain would measure latency instead).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double Separate128(long iterations)
    {
        Vector128<double> m = Vector128.Create(0.999999), a = Vector128.Create(1e-7);
        Vector128<double> c0 = Vector128<double>.One, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        Vector128<double> d0 = Vector128<double>.Zero, d1 = d0, d2 = d0, d3 = d0, d4 = d0, d5 = d0, d6 = d0, d7 = d0, d8 = d0, d9 = d0, d10 = d0, d11 = d0;
        for (long i = 0; i < iterations; i++)
        {
            c0 *= m; d0 += a; c1 *= m; d1 += a; c2 *= m; d2 += a; c3 *= m; d3 += a; c4 *= m; d4 += a; c5 *= m; d5 += a;
            c6 *= m; d6 += a; c7 *= m; d7 += a; c8 *= m; d8 += a; c9 *= m; d9 += a; c10 *= m; d10 += a; c11 *= m; d11 += a;
        }

        return Vector128.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + d0 + d1 + d2 + d3 + d4 + d5 + d6 + d7 + d8 + d9 + d10 + d11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double ChainsScalar(long iterations)
    {
        // Scalar code multiplies and adds separately (the scalar tier does not use FMA): independent chains of each.
        double m = 0.999999, a = 1e-7;
        double c0 = 1, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        double d0 = 0, d1 = d0, d2 = d0, d3 = d0, d4 = d0, d5 = d0, d6 = d0, d7 = d0, d8 = d0, d9 = d0, d10 = d0, d11 = d0;
        for (long i = 0; i < iterations; i++)
        {
            c0 *= m; d0 += a; c1 *= m; d1 += a; c2 *= m; d2 += a; c3 *= m; d3 += a; c4 *= m; d4 += a; c5 *= m; d5 += a;
            c6 *= m; d6 += a; c7 *= m; d7 += a; c8 *= m; d8 += a; c9 *= m; d9 += a; c10 *= m; d10 += a; c11 *= m; d11 += a;
        }

        return c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + d0 + d1 + d2 + d3 + d4 + d5 + d6 + d7 + d8 + d9 + d10 + d11;
    }
}

/// <summary>OpenBLAS through function pointers resolved at run time (no DllImport: a missing library is a skipped row,
/// not a crash, and the tool stays Native-AOT clean). Pinned to one thread, as RidgeCore's figures are.</summary>
internal static unsafe class OpenBlasProbe
{
    private static readonly delegate* unmanaged<int, int, int, int, int, double, double*, int, double, double*, int, void> s_dsyrk;
    private static readonly delegate* unmanaged<byte*, int*, double*, int*, int*, nuint, void> s_dpotrf;
    private static readonly string s_description = "not found (install libopenblas0 to compare)";
    private static double[] s_work = [];

#pragma warning disable CA1810 // One loader fills every pointer.
    static OpenBlasProbe()
#pragma warning restore CA1810
    {
        foreach (string name in new[] { "libopenblas.so.0", "libopenblas.so", "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0", "libopenblas.dylib", "libopenblas.dll" })
        {
            if (!NativeLibrary.TryLoad(name, out nint handle))
            {
                continue;
            }

            nint Export(string symbol) => NativeLibrary.TryGetExport(handle, symbol, out nint address) ? address : 0;
            s_dsyrk = (delegate* unmanaged<int, int, int, int, int, double, double*, int, double, double*, int, void>)Export("cblas_dsyrk");
            s_dpotrf = (delegate* unmanaged<byte*, int*, double*, int*, int*, nuint, void>)Export("dpotrf_");
            var setThreads = (delegate* unmanaged<int, void>)Export("openblas_set_num_threads");
            var config = (delegate* unmanaged<byte*>)Export("openblas_get_config");
            if (s_dsyrk == null || setThreads == null)
            {
                s_dsyrk = null;
                s_dpotrf = null;
                continue;
            }

            setThreads(1);
            IsAvailable = true;
            HasPotrf = s_dpotrf != null;
            s_description = $"{name} ({(config != null ? Marshal.PtrToStringUTF8((nint)config()) : "?")}), one thread";
            return;
        }
    }

    public static bool IsAvailable { get; }

    public static bool HasPotrf { get; }

    public static string Describe() => s_description;

    /// <summary>C = XᵀX (lower triangle) for row-major X (n × p): cblas_dsyrk(RowMajor, Lower, Trans, ...).</summary>
    public static void Dsyrk(double[] x, int n, int p)
    {
        if (s_work.Length != p * p)
        {
            s_work = new double[p * p];
        }

        fixed (double* a = x, c = s_work)
        {
            s_dsyrk(101, 122, 112, p, n, 1.0, a, p, 0.0, c, p);
        }
    }

    /// <summary>Factors a copy of the SPD matrix a (p × p).</summary>
    public static void Dpotrf(double[] a, int p)
    {
        if (s_work.Length != p * p)
        {
            s_work = new double[p * p];
        }

        a.CopyTo(s_work, 0);
        byte uplo = (byte)'L';
        int order = p, lda = p, info = 0;
        fixed (double* c = s_work)
        {
            s_dpotrf(&uplo, &order, c, &lda, &info, 1);
        }
    }
}
