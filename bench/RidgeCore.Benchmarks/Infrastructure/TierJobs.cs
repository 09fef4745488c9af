using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Jobs;

namespace RidgeCore.Benchmarks.Infrastructure;

/// <summary>One RidgeCore tier and the runtime knob that selects it in a child process.</summary>
/// <param name="Id">The job id shown in the summary.</param>
/// <param name="TierName">The <see cref="KernelSelectionReport.TierName"/> the child must report.</param>
/// <param name="Rank">Wider tiers rank higher; a tier is run only below the host's own.</param>
/// <param name="Variable">The <c>DOTNET_*</c> knob, or <see langword="null"/> for the process's best tier.</param>
/// <param name="Value">The knob's value.</param>
public sealed record TierSpec(string Id, string TierName, int Rank, string? Variable, string? Value);

/// <summary>
/// The jobs behind <c>--tiers</c>: one build, one child process per tier, each selected by an environment variable
/// (the knobs are read only at process start, so they cannot be switched in process). Knob facts for .NET 10 are in
/// shared/notes/dotnet-facts.md: no knob removes FMA alone, and <c>DOTNET_EnableAVX2=0</c> removes AVX2, FMA and
/// Vector256 together.
/// </summary>
public static class TierJobs
{
    /// <summary>The variable that caps OpenBLAS at one thread in every child (it is read when the library loads).</summary>
    public const string OpenBlasThreadsVariable = "OPENBLAS_NUM_THREADS";

    private static readonly TierSpec[] s_narrowerTiers =
    [
        // Only on AVX-512 machines: the AVX2 + FMA tier most x86-64 machines run, and OpenBLAS's Haswell kernels' width.
        new("V256", "v256", 3, "DOTNET_EnableAVX512", "0"),
        new("V128+FMA", "v128fma", 2, "DOTNET_PreferredVectorBitWidth", "128"),
        new("V128", "v128", 1, "DOTNET_EnableAVX2", "0"),
        new("Scalar", "scalar", 0, "DOTNET_EnableHWIntrinsic", "0"),
    ];

    /// <summary>The tiers this host can run: its own best first, then every narrower one its CPU allows.</summary>
    /// <returns>The tier list.</returns>
    public static IReadOnlyList<TierSpec> ForThisMachine()
    {
        string best = HostTierName();
        int bestRank = Rank(best);
        var tiers = new List<TierSpec> { new("Best", best, bestRank, null, null) };
        foreach (TierSpec tier in s_narrowerTiers)
        {
            bool knobWorksHere = tier.Variable == "DOTNET_EnableHWIntrinsic" || X86Base.IsSupported;
            bool cpuHasIt = tier.TierName != "v128fma" || Fma.IsSupported;
            if (tier.Rank < bestRank && knobWorksHere && cpuHasIt)
            {
                tiers.Add(tier);
            }
        }

        return tiers;
    }

    /// <summary>One job per tier, each a copy of <paramref name="baseJob"/> with the tier's knob, the tier guard and
    /// single-threaded OpenBLAS in its environment.</summary>
    /// <param name="baseJob">The run length to use (<see cref="Job.Default"/>, <see cref="Job.ShortRun"/>, ...).</param>
    /// <returns>The jobs.</returns>
    public static IReadOnlyList<Job> Create(Job baseJob)
    {
        ArgumentNullException.ThrowIfNull(baseJob);
        var jobs = new List<Job>();
        foreach (TierSpec tier in ForThisMachine())
        {
            var variables = new List<EnvironmentVariable>
            {
                new(OpenBlasThreadsVariable, "1"),
                new(TierGuard.ExpectedTierVariable, tier.TierName),
            };
            if (tier.Variable is not null)
            {
                variables.Add(new EnvironmentVariable(tier.Variable, tier.Value!));
            }

            jobs.Add(baseJob.WithEnvironmentVariables([.. variables]).WithId(tier.Id));
        }

        return jobs;
    }

    private static string HostTierName()
    {
        try
        {
            return KernelSelection.Report.TierName;
        }
        catch (InvalidOperationException)
        {
            // A bad RIDGECORE_KERNEL: every child will fail with the same, clearer message.
            return KernelSelection.BestSupported switch
            {
                KernelFamily.Scalar => "scalar",
                KernelFamily.Vector128 => Fma.IsSupported ? "v128fma" : "v128",
                KernelFamily.Vector256 => "v256",
                _ => "v512",
            };
        }
    }

    private static int Rank(string tierName) => tierName switch
    {
        "scalar" => 0,
        "v128" => 1,
        "v128fma" => 2,
        "v256" => 3,
        _ => 4,
    };
}
