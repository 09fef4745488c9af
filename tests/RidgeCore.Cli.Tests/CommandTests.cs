using System;
using System.IO;
using System.Text.Json;
using System.Xml.Linq;
using Xunit;

namespace RidgeCore.Cli.Tests;

/// <summary><c>ridge demo</c>, <c>ridge --version</c>, <c>ridge bench</c> and the help text.</summary>
public class CommandTests
{
    [Fact]
    public void Demo_prints_Longley_against_NIST_and_writes_a_valid_trace()
    {
        using var cli = new CliRunner();
        string svg = cli.PathOf("demo.svg");
        (int code, string stdout, string err) = cli.Run("demo", "--plot", svg);
        Assert.True(code == 0, err);
        Assert.Contains("NIST certified", stdout, StringComparison.Ordinal);
        Assert.Contains("-3482258.63459582", stdout, StringComparison.Ordinal);   // the certified intercept, reproduced
        Assert.Contains("Least squares against ridge", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", stdout, StringComparison.Ordinal);
        Assert.Contains($"written to {svg}", stdout, StringComparison.Ordinal);
        XDocument.Load(svg);
    }

    [Fact]
    public void Version_prints_the_version_and_the_tier_report()
    {
        (int code, string stdout, _) = new CliRunner().Run("--version");
        Assert.Equal(0, code);
        Assert.StartsWith("ridge ", stdout, StringComparison.Ordinal);
        Assert.Contains("RidgeCore kernel family:", stdout, StringComparison.Ordinal);
        Assert.Contains(KernelSelection.Report.TierName, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_every_command_and_fit_option()
    {
        using var cli = new CliRunner();
        (int code, string stdout, _) = cli.Run("--help");
        Assert.Equal(0, code);
        foreach (string command in new[] { "fit", "predict", "demo", "bench" })
        {
            Assert.Contains(command, stdout, StringComparison.Ordinal);
        }

        (code, stdout, _) = cli.Run("fit", "--help");
        Assert.Equal(0, code);
        foreach (string option in new[] { "--target", "--lambda", "--lambdas", "--loo", "--gcv", "--cv", "--weight", "--features", "--no-intercept", "--standardize", "--loss", "--solver", "--float32", "--threads", "--model", "--plot", "--quiet" })
        {
            Assert.Contains(option, stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Bench_json_reports_tier_limits_and_kernels_as_percent_of_peak()
    {
        (int code, string stdout, string err) = new CliRunner().Run("bench", "--json", "--seconds", "0.5");
        Assert.True(code == 0, err);
        using JsonDocument json = JsonDocument.Parse(stdout);
        JsonElement root = json.RootElement;
        Assert.Equal(KernelSelection.Report.TierName, root.GetProperty("tier").GetString());
        Assert.True(root.GetProperty("fma_peak_gflops").GetDouble() > 0);
        Assert.True(root.GetProperty("read_bandwidth_gbps").GetDouble() > 0);
        bool gram = false;
        foreach (JsonElement r in root.GetProperty("results").EnumerateArray())
        {
            if (r.GetProperty("name").GetString()!.StartsWith("Gram XᵀX", StringComparison.Ordinal))
            {
                gram = true;
                Assert.True(r.GetProperty("percent_of_peak").GetDouble() > 0);   // no upper bound: the probes are short and this machine is shared
            }
        }

        Assert.True(gram);
    }

    [Fact]
    public void Bench_csv_measures_a_file()
    {
        using var cli = new CliRunner();
        string path = cli.PathOf("b.csv");
        File.WriteAllBytes(path, Bench.CsvSample(2000, 5));
        (int code, string stdout, _) = cli.Run("bench", "--csv", path);
        Assert.Equal(0, code);
        Assert.Contains("2000 rows parsed", stdout, StringComparison.Ordinal);
        Assert.Contains("MB/s", stdout, StringComparison.Ordinal);
    }
}

/// <summary>The progress line: silent before its delay, a bar with the percentage after it, erased at the end.</summary>
public class ProgressTests
{
    [Fact]
    public void Progress_draws_a_bar_after_its_delay_and_erases_it()
    {
        var text = new StringWriter();
        using (var late = new Progress(text, "reading", TimeSpan.FromHours(1)))
        {
            late.Report(5, 10);
        }

        Assert.Equal("", text.ToString());
        using (var progress = new Progress(text, "reading", TimeSpan.Zero))
        {
            progress.Report(15, 30);
            Assert.Contains("reading [###############---------------]  50 %", text.ToString(), StringComparison.Ordinal);
        }

        Assert.EndsWith("\r", text.ToString(), StringComparison.Ordinal);

        var ticks = new StringWriter();
        using (var ticker = new Progress(ticks, "searching λ", TimeSpan.Zero))
        {
            ticker.Tick();
            for (int i = 0; i < 200 && Read(ticks).Length == 0; i++)
            {
                System.Threading.Thread.Sleep(10);
            }
        }

        Assert.Contains("searching λ …", Read(ticks), StringComparison.Ordinal);
    }

    /// <summary>The text so far, read under the lock the progress line writes under (its timer runs on another thread).</summary>
    private static string Read(StringWriter writer)
    {
        lock (writer)
        {
            return writer.ToString();
        }
    }
}
