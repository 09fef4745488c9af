using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using RidgeCore.Benchmarks.Baselines;

namespace RidgeCore.Benchmarks.Infrastructure;

/// <summary>
/// The one configuration every benchmark class runs under, passed to <c>BenchmarkSwitcher</c> as its global config.
/// </summary>
/// <remarks>
/// <para>By default it defines <b>no job</b>: BenchmarkDotNet then runs its own default job, or exactly the one named
/// by <c>--job</c>, in the machine's best tier. A job defined here would run <i>in addition</i> to a plain
/// <c>--job short</c> (the CLI adds a predefined job as a separate job and only turns it into a mutator when a run
/// option such as <c>--iterationCount</c> changes it; see shared/notes/dotnet-facts.md §2).</para>
/// <para>With <c>--tiers</c> it defines one job per tier (<see cref="TierJobs"/>), built on the job the user named
/// with <c>--job</c>, which <c>Program</c> removes from the arguments for that reason.</para>
/// <para>Always: the memory diagnoser, the median and minimum columns, the median-based throughput columns
/// (<see cref="ThroughputColumn"/>), the result file with the run header (<see cref="ResultsExporter"/>), and a filter
/// that drops <see cref="RequiresOpenBlasAttribute"/> benchmarks when OpenBLAS is missing.</para>
/// </remarks>
public static class BenchmarkConfig
{
    /// <summary>Builds the global config.</summary>
    /// <param name="tierJobs">The tier jobs for <c>--tiers</c>, or empty for the default single job.</param>
    /// <returns>The config.</returns>
    public static ManualConfig Create(IReadOnlyList<Job> tierJobs)
    {
        ArgumentNullException.ThrowIfNull(tierJobs);
        ManualConfig config = ManualConfig.Create(DefaultConfig.Instance)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(StatisticColumn.Median)
            // The fastest iteration shows what the code does when no other process gets in the way; the gap between
            // Min and Median is the size of the interference on a shared machine.
            .AddColumn(StatisticColumn.Min)
            .AddColumn(ThroughputColumn.All)
            .AddExporter(ResultsExporter.Instance)
            // BenchmarkDotNet's own Ratio is a ratio of means, which other processes on a shared machine drag around;
            // "Ratio (median)" replaces it. Nothing here allocates, so "Alloc Ratio" would only ever read NA.
            .HideColumns("Ratio", "RatioSD", "Alloc Ratio");
        if (!OpenBlas.IsAvailable)
        {
            config.AddFilter(new SimpleFilter(c => !RequiresOpenBlas(c.Descriptor.Type, c.Descriptor.WorkloadMethod)));
        }

        foreach (Job job in tierJobs)
        {
            config.AddJob(job);
        }

        if (tierJobs.Count > 0)
        {
            // The job id names the tier and the run header lists each tier's knob; the raw variable list
            // (knob, guard, OPENBLAS_NUM_THREADS) would triple the table's width.
            config.HideColumns("EnvironmentVariables");
        }

        return config;
    }

    /// <summary>The benchmarks that need OpenBLAS, as <c>Class.Method</c> names, to say what a run without it skips.</summary>
    /// <param name="assembly">The benchmark assembly.</param>
    /// <returns>The names.</returns>
    public static IReadOnlyList<string> OpenBlasBenchmarks(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return [.. assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance)
                .Where(m => m.IsDefined(typeof(BenchmarkAttribute)) && RequiresOpenBlas(t, m))
                .Select(m => $"{t.Name}.{m.Name}"))
            .Order(StringComparer.Ordinal)];
    }

    private static bool RequiresOpenBlas(Type type, MethodInfo method)
        => method.IsDefined(typeof(RequiresOpenBlasAttribute)) || type.IsDefined(typeof(RequiresOpenBlasAttribute));
}
