using System;
using System.Collections.Generic;
using BenchmarkDotNet.Jobs;

namespace RidgeCore.Benchmarks.Infrastructure;

/// <summary>
/// The command line split into RidgeCore's own switches and the rest, which goes to BenchmarkDotNet unchanged.
/// </summary>
/// <param name="Tiers">Whether <c>--tiers</c> was given.</param>
/// <param name="TierBaseJob">With <c>--tiers</c>: the predefined job named by <c>--job</c> (default: <see cref="Job.Default"/>).</param>
/// <param name="TierBaseJobName">Its name, for the header.</param>
/// <param name="BenchmarkDotNetArgs">The arguments for <c>BenchmarkSwitcher</c>.</param>
/// <param name="Informational">Whether the run only lists or explains (<c>--list</c>, <c>--help</c>, <c>--version</c>, <c>--info</c>), so the probe can be skipped.</param>
public sealed record BenchmarkArguments(bool Tiers, Job TierBaseJob, string TierBaseJobName, string[] BenchmarkDotNetArgs, bool Informational)
{
    /// <summary>RidgeCore's switch that runs every benchmark once per tier.</summary>
    public const string TiersSwitch = "--tiers";

    // The same names and jobs as BenchmarkDotNet's ConfigParser.AvailableJobs.
    private static readonly Dictionary<string, Job> s_predefinedJobs = new(StringComparer.OrdinalIgnoreCase)
    {
        ["default"] = Job.Default,
        ["dry"] = Job.Dry,
        ["short"] = Job.ShortRun,
        ["medium"] = Job.MediumRun,
        ["long"] = Job.LongRun,
        ["verylong"] = Job.VeryLongRun,
    };

    /// <summary>Splits <paramref name="args"/>.</summary>
    /// <param name="args">The process arguments.</param>
    /// <returns>The parsed arguments.</returns>
    /// <exception cref="ArgumentException">With <c>--tiers</c>, <c>--job</c> names no predefined job.</exception>
    public static BenchmarkArguments Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        bool tiers = Array.Exists(args, a => string.Equals(a, TiersSwitch, StringComparison.OrdinalIgnoreCase));
        bool informational = Array.Exists(args, a => a is "--list" or "--help" or "-h" or "-?" or "--version" or "--info");
        var rest = new List<string>();
        string? jobName = null;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (string.Equals(a, TiersSwitch, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // With --tiers the tier jobs are built on the named job, so BenchmarkDotNet must not add it as a job of
            // its own (it would run once more, untiered, at full length).
            if (tiers && (a is "--job" or "-j") && i + 1 < args.Length)
            {
                jobName = args[++i];
                continue;
            }

            if (tiers && (a.StartsWith("--job=", StringComparison.Ordinal) || a.StartsWith("-j=", StringComparison.Ordinal)))
            {
                jobName = a[(a.IndexOf('=', StringComparison.Ordinal) + 1)..];
                continue;
            }

            rest.Add(a);
        }

        jobName ??= "default";
        if (!s_predefinedJobs.TryGetValue(jobName, out Job? baseJob))
        {
            throw new ArgumentException(
                $"--job '{jobName}' is not one of {string.Join(", ", s_predefinedJobs.Keys)}.", nameof(args));
        }

        return new BenchmarkArguments(tiers, baseJob, jobName.ToLowerInvariant(), [.. rest], informational);
    }
}
