using System;
using System.Globalization;
using System.Text;
using RidgeCore.Benchmarks.Baselines;

namespace RidgeCore.Benchmarks.Infrastructure;

/// <summary>
/// The text printed before every run and written at the top of every result file: when, on what, against what ceiling.
/// </summary>
public static class RunHeader
{
    private static string? s_text;

    /// <summary>The header, built on first use (which runs the machine-limit probe unless <see cref="Build"/> skipped it).</summary>
    public static string Text => s_text ??= Build(includeProbe: true, jobDescription: "(jobs as configured)");

    /// <summary>Builds and remembers the header.</summary>
    /// <param name="includeProbe">Whether to run and print <see cref="MachineLimits"/> (skipped for <c>--list</c> and <c>--help</c>).</param>
    /// <param name="jobDescription">One line saying which jobs run.</param>
    /// <returns>The header text.</returns>
    public static string Build(bool includeProbe, string jobDescription)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"RidgeCore benchmarks, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} logical core(s), .NET {Environment.Version}\n");
        if (includeProbe)
        {
            sb.Append(MachineLimits.Current).Append('\n');
        }

        try
        {
            sb.Append(KernelSelection.Report).Append('\n');
        }
        catch (InvalidOperationException e)
        {
            sb.Append("RidgeCore kernel selection failed: ").Append(e.Message).Append('\n');
        }

        sb.Append(OpenBlas.Describe()).Append('\n');
        sb.Append(CultureInfo.InvariantCulture, $"{TierJobs.OpenBlasThreadsVariable}={Environment.GetEnvironmentVariable(TierJobs.OpenBlasThreadsVariable)} (set for every benchmark process: single-core comparison)\n");
        sb.Append("Jobs: ").Append(jobDescription);
        s_text = sb.ToString();
        return s_text;
    }
}
