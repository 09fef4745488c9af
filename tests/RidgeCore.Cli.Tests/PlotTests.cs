using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Xunit;
using Xunit.Abstractions;

namespace RidgeCore.Cli.Tests;

/// <summary>A fact that runs only where Debian's Chromium is installed, and only in the default-tier test run (the SVG
/// does not depend on the SIMD tier, and a render costs seconds).</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Chromium = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(Chromium))
        {
            Skip = $"{Chromium} is not installed (apt-get install chromium)";
        }
        else if (new[] { "DOTNET_EnableHWIntrinsic", "DOTNET_EnableAVX2", "DOTNET_EnableAVX512", "DOTNET_PreferredVectorBitWidth" }
                 .Any(v => Environment.GetEnvironmentVariable(v) is not null))
        {
            Skip = "renders only in the default-tier run";
        }
    }
}

/// <summary>The SVG plots: valid XML with the expected parts everywhere; rendered by headless Chromium where it exists,
/// and the picture is not blank.</summary>
public class PlotTests(ITestOutputHelper output)
{
    private static XDocument FitAndPlot(CliRunner cli, string svg, params string[] extra)
    {
        (int code, _, string err) = cli.Run(["fit", CliRunner.Data("nist", "Longley.csv"), "--target", "y", "--plot", svg, "-q", .. extra]);
        Assert.True(code == 0, err);
        return XDocument.Load(svg);   // throws unless the file is well-formed XML
    }

    [Fact]
    public void Fit_plot_is_valid_svg_with_a_trace_per_feature_axes_and_the_chosen_lambda()
    {
        using var cli = new CliRunner();
        XDocument svg = FitAndPlot(cli, cli.PathOf("trace.svg"), "--lambda", "0.01", "--standardize");
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", svg.Root!.Name);
        Assert.Equal(6, svg.Descendants(ns + "path").Count());                      // one curve per feature
        string text = string.Concat(svg.Descendants(ns + "text").Select(t => t.Value + " "));
        Assert.Contains("Ridge trace of 'y'", text, StringComparison.Ordinal);
        Assert.Contains("chosen λ = 0.01", text, StringComparison.Ordinal);
        Assert.Contains("λ (log scale)", text, StringComparison.Ordinal);
        Assert.Contains("standardized coefficient", text, StringComparison.Ordinal);
        foreach (string name in new[] { "x1", "x2", "x3", "x4", "x5", "x6" })
        {
            Assert.Contains(name, text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("NaN", svg.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("script", svg.ToString(), StringComparison.OrdinalIgnoreCase);   // self-contained, inert
    }

    [Fact]
    public void Names_that_need_escaping_stay_valid_xml()
    {
        using var cli = new CliRunner();
        string data = cli.Write("d.csv", "\"a<b&c\",\"q\"\"uote\",y\n1,2,3\n2,1,4\n3,5,2\n4,4,6\n5,1,1\n");
        string svg = cli.PathOf("p.svg");
        (int code, _, string err) = cli.Run("fit", data, "--target", "y", "--lambda", "0.1", "--plot", svg, "-q");
        Assert.True(code == 0, err);
        string text = string.Concat(XDocument.Load(svg).Descendants().Select(e => e.Value));
        Assert.Contains("a<b&c", text, StringComparison.Ordinal);
        Assert.Contains("q\"uote", text, StringComparison.Ordinal);
    }

    [ChromiumFact]
    public void Demo_plot_renders_in_headless_chromium_and_is_not_blank()
    {
        using var cli = new CliRunner();
        string svg = cli.PathOf("demo.svg");
        Assert.Equal(0, cli.Run("demo", "--plot", svg).Code);
        XDocument.Load(svg);
        string png = cli.PathOf("demo.png");
        var start = new ProcessStartInfo(ChromiumFactAttribute.Chromium)
        {
            ArgumentList = { "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", $"--screenshot={png}", "--window-size=960,900", new Uri(svg).AbsoluteUri },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using (Process chromium = Process.Start(start)!)
        {
            chromium.StandardError.ReadToEndAsync();
            chromium.StandardOutput.ReadToEndAsync();
            Assert.True(chromium.WaitForExit(60_000), "chromium did not finish within 60 s");
        }

        Assert.True(File.Exists(png), "chromium wrote no screenshot");
        PngImage image = PngImage.Decode(File.ReadAllBytes(png));
        (double ink, int colors) = image.Statistics();
        output.WriteLine($"{image.Width}×{image.Height} px, {ink:P1} of the pixels not white, {colors} distinct colors");
        Assert.Equal(960, image.Width);
        Assert.True(ink > 0.02, $"only {ink:P2} of the picture is drawn");
        Assert.True(colors >= 8, $"only {colors} colors: the curves are missing");
    }
}
