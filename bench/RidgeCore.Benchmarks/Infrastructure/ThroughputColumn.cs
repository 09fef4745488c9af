using System;
using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace RidgeCore.Benchmarks.Infrastructure;

/// <summary>
/// Columns computed from a benchmark's <b>median</b> time and its <see cref="WorkPerElementAttribute"/>: memory
/// throughput and its share of the measured read bandwidth, arithmetic throughput and its share of the FMA peak, and
/// the ratio of medians to the baseline. Medians, because on a shared machine the other processes only ever make a
/// run slower: the mean drifts with them, the median much less.
/// </summary>
public sealed class ThroughputColumn : IColumn
{
    private readonly Kind _kind;

    private ThroughputColumn(Kind kind, string id, string name, string legend)
    {
        _kind = kind;
        Id = id;
        ColumnName = name;
        Legend = legend;
    }

    private enum Kind
    {
        GigabytesPerSecond,
        PercentOfReadBandwidth,
        GigaflopsPerSecond,
        PercentOfPeak,
        MedianRatio,
    }

    /// <summary>(bytes read + bytes written) per call / median time, in GB/s (10⁹ bytes/s).</summary>
    public static IColumn GigabytesPerSecond { get; } = new ThroughputColumn(
        Kind.GigabytesPerSecond, "RidgeCore.GBps", "GB/s",
        "Memory traffic per call (bytes read + bytes written, from [WorkPerElement]) divided by the median time; GB = 10^9 bytes");

    /// <summary>The GB/s column as a percentage of <see cref="MachineLimits.ReadBandwidthGBps"/>.</summary>
    public static IColumn PercentOfReadBandwidth { get; } = new ThroughputColumn(
        Kind.PercentOfReadBandwidth, "RidgeCore.PctBW", "% read BW",
        "GB/s as a percentage of the single-core read bandwidth measured by the machine-limit probe at startup");

    /// <summary>Flops per call / median time, in GFLOP/s.</summary>
    public static IColumn GigaflopsPerSecond { get; } = new ThroughputColumn(
        Kind.GigaflopsPerSecond, "RidgeCore.GFlops", "GFLOP/s",
        "Floating-point operations per call (an FMA counts 2) divided by the median time");

    /// <summary>The GFLOP/s column as a percentage of the FMA peak of the matching precision.</summary>
    public static IColumn PercentOfPeak { get; } = new ThroughputColumn(
        Kind.PercentOfPeak, "RidgeCore.PctPeak", "% peak",
        "GFLOP/s as a percentage of the single-core FMA peak (widest vector width) measured by the probe at startup");

    /// <summary>Median time / the baseline's median time in the same group.</summary>
    public static IColumn MedianRatio { get; } = new ThroughputColumn(
        Kind.MedianRatio, "RidgeCore.MedianRatio", "Ratio (median)",
        "Median time divided by the baseline's median time in the same group (below 1: faster than the baseline)");

    /// <summary>All five columns, in display order.</summary>
    public static IColumn[] All { get; } = [MedianRatio, GigabytesPerSecond, PercentOfReadBandwidth, GigaflopsPerSecond, PercentOfPeak];

    /// <inheritdoc/>
    public string Id { get; }

    /// <inheritdoc/>
    public string ColumnName { get; }

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => _kind == Kind.MedianRatio ? ColumnCategory.Baseline : ColumnCategory.Custom;

    /// <inheritdoc/>
    public int PriorityInCategory => (int)_kind;

    /// <inheritdoc/>
    public bool IsNumeric => true;

    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc/>
    public string Legend { get; }

    /// <summary>The work declared for a benchmark case, from its method or else its class.</summary>
    /// <param name="benchmarkCase">The case.</param>
    /// <returns>The attribute, or <see langword="null"/>.</returns>
    public static WorkPerElementAttribute? WorkOf(BenchmarkCase benchmarkCase)
    {
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        MethodInfo method = benchmarkCase.Descriptor.WorkloadMethod;
        return method.GetCustomAttribute<WorkPerElementAttribute>()
            ?? benchmarkCase.Descriptor.Type.GetCustomAttribute<WorkPerElementAttribute>();
    }

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        foreach (BenchmarkCase c in summary.BenchmarksCases)
        {
            WorkPerElementAttribute? work = WorkOf(c);
            bool available = _kind switch
            {
                Kind.MedianRatio => summary.IsBaseline(c),
                Kind.GigabytesPerSecond or Kind.PercentOfReadBandwidth => work is { } w && w.BytesRead + w.BytesWritten > 0,
                _ => work is { Flops: > 0 },
            };
            if (available)
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        double? medianNs = MedianNanoseconds(summary, benchmarkCase);
        if (medianNs is not double t || t <= 0)
        {
            return "?";
        }

        if (_kind == Kind.MedianRatio)
        {
            BenchmarkCase? baseline = summary.GetBaseline(summary.GetLogicalGroupKey(benchmarkCase));
            return baseline is not null && MedianNanoseconds(summary, baseline) is double b && b > 0
                ? (t / b).ToString("F2", CultureInfo.InvariantCulture)
                : "-";
        }

        WorkPerElementAttribute? work = WorkOf(benchmarkCase);
        if (work is null || !TryGetSize(benchmarkCase, work.SizeParameter, out double n))
        {
            return "-";
        }

        MachineLimits limits = MachineLimits.Current;
        double bytes = (work.BytesRead + work.BytesWritten) * n;
        double flops = work.Flops * n;
        double peak = work.SinglePrecision ? limits.SingleFmaGflops : limits.DoubleFmaGflops;
        return _kind switch
        {
            // bytes / ns = GB/s and flops / ns = GFLOP/s.
            Kind.GigabytesPerSecond => bytes > 0 ? (bytes / t).ToString("F1", CultureInfo.InvariantCulture) : "-",
            Kind.PercentOfReadBandwidth => bytes > 0 ? (100 * bytes / t / limits.ReadBandwidthGBps).ToString("F0", CultureInfo.InvariantCulture) + "%" : "-",
            Kind.GigaflopsPerSecond => flops > 0 ? (flops / t).ToString("F1", CultureInfo.InvariantCulture) : "-",
            _ => flops > 0 ? (100 * flops / t / peak).ToString("F0", CultureInfo.InvariantCulture) + "%" : "-",
        };
    }

    /// <inheritdoc/>
    public override string ToString() => ColumnName;

    private static double? MedianNanoseconds(Summary summary, BenchmarkCase benchmarkCase)
        => summary[benchmarkCase]?.ResultStatistics?.Median;

    private static bool TryGetSize(BenchmarkCase benchmarkCase, string name, out double n)
    {
        foreach (var parameter in benchmarkCase.Parameters.Items)
        {
            if (parameter.Name == name && parameter.Value is IConvertible value)
            {
                n = value.ToDouble(CultureInfo.InvariantCulture);
                return true;
            }
        }

        // Otherwise the name may be a public static method of the benchmark class that computes the element count
        // from [Params] values, matched by parameter name (for example FlopCount(int p) => n(p) · p · (p + 1)).
        MethodInfo? model = benchmarkCase.Descriptor.Type.GetMethod(name, BindingFlags.Public | BindingFlags.Static);
        if (model is not null && model.ReturnType == typeof(double))
        {
            ParameterInfo[] formals = model.GetParameters();
            object?[] actuals = new object?[formals.Length];
            for (int i = 0; i < formals.Length; i++)
            {
                foreach (var parameter in benchmarkCase.Parameters.Items)
                {
                    if (string.Equals(parameter.Name, formals[i].Name, StringComparison.OrdinalIgnoreCase))
                    {
                        actuals[i] = Convert.ChangeType(parameter.Value, formals[i].ParameterType, CultureInfo.InvariantCulture);
                    }
                }

                if (actuals[i] is null)
                {
                    n = 0;
                    return false;
                }
            }

            n = (double)model.Invoke(null, actuals)!;
            return true;
        }

        n = 0;
        return false;
    }
}
