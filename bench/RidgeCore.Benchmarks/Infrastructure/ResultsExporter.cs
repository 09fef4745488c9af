using System.Globalization;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;

namespace RidgeCore.Benchmarks.Infrastructure;

/// <summary>
/// Writes <c>&lt;Class&gt;-ridgecore.md</c> next to BenchmarkDotNet's own reports: the run header (date, machine limits,
/// kernel selection, OpenBLAS build) followed by the GitHub-flavoured table, so a result file says what machine and
/// what ceiling its numbers belong to. Copy it to <c>bench/results/</c> to keep it.
/// </summary>
public sealed class ResultsExporter : ExporterBase
{
    /// <summary>The single instance.</summary>
    public static ResultsExporter Instance { get; } = new();

    /// <inheritdoc/>
    protected override string FileExtension => "md";

    /// <inheritdoc/>
    protected override string FileNameSuffix => "-ridgecore";

    /// <inheritdoc/>
    public override void ExportToLog(Summary summary, ILogger logger)
    {
        System.ArgumentNullException.ThrowIfNull(summary);
        System.ArgumentNullException.ThrowIfNull(logger);
        logger.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# {summary.Title}"));
        logger.WriteLine();
        logger.WriteLine("```");
        logger.WriteLine(RunHeader.Text);
        logger.WriteLine("```");
        logger.WriteLine();
        MarkdownExporter.GitHub.ExportToLog(summary, logger);
    }
}
