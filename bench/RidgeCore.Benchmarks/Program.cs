using System;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using RidgeCore.Benchmarks.Baselines;
using RidgeCore.Benchmarks.Infrastructure;

namespace RidgeCore.Benchmarks;

internal static class Program
{
    private static int Main(string[] args)
    {
        BenchmarkArguments arguments;
        try
        {
            arguments = BenchmarkArguments.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }

        // Single-core comparisons: the children inherit this (OpenBLAS reads it when it loads), and this process,
        // which has already loaded the library to describe it, is told directly.
        Environment.SetEnvironmentVariable(TierJobs.OpenBlasThreadsVariable, "1");
        if (OpenBlas.IsAvailable)
        {
            OpenBlas.SetNumThreads(1);
        }

        IReadOnlyList<Job> tierJobs = arguments.Tiers ? TierJobs.Create(arguments.TierBaseJob) : [];
        string jobs = arguments.Tiers
            ? $"--tiers on '{arguments.TierBaseJobName}' job: " + string.Join(", ", TierJobs.ForThisMachine()
                .Select(t => t.Variable is null ? $"{t.Id} ({t.TierName})" : $"{t.Id} ({t.TierName}: {t.Variable}={t.Value})"))
            : "one job, best tier (BenchmarkDotNet default or --job)";
        Console.WriteLine(RunHeader.Build(includeProbe: !arguments.Informational, jobs));
        if (arguments.Tiers && arguments.BenchmarkDotNetArgs.Any(a => a.StartsWith("--envVars", StringComparison.OrdinalIgnoreCase)))
        {
            Console.WriteLine("Warning: --envVars replaces each tier job's environment (including its DOTNET_* knob); the tier guard will stop mislabelled jobs.");
        }

        if (!OpenBlas.IsAvailable)
        {
            Console.WriteLine($"Skipping the OpenBLAS baselines ({string.Join(", ", BenchmarkConfig.OpenBlasBenchmarks(typeof(Program).Assembly))}): {OpenBlas.UnavailableReason}");
        }

        Console.WriteLine();
        IEnumerable<Summary> summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly)
            .Run(arguments.BenchmarkDotNetArgs, BenchmarkConfig.Create(tierJobs));

        // Non-zero when a benchmark failed (an exception in setup, a tier guard that fired), so CI smoke runs fail too.
        bool failed = summaries.Any(s => s.HasCriticalValidationErrors
            || s.Reports.Length < s.BenchmarksCases.Length || s.Reports.Any(r => !r.Success));
        return failed ? 1 : 0;
    }
}
