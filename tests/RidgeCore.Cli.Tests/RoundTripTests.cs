using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Xunit;

namespace RidgeCore.Cli.Tests;

/// <summary>The model file and <c>ridge predict</c>: numbers survive a write/read cycle bit for bit, predictions equal
/// the library's, and the format carries every key the issue asks for.</summary>
public class RoundTripTests
{
    private static string Data(int n, int seed)
    {
        var rng = new Random(seed);
        var text = new StringBuilder("u,v,w8,t1,t2\n");
        for (int i = 0; i < n; i++)
        {
            double u = rng.NextDouble() * 10, v = (rng.NextDouble() - 0.5) * 1e-3, w = 0.5 + rng.NextDouble();
            double t1 = (3 * u) - (2000 * v) + rng.NextDouble(), t2 = -u + (0.1 * rng.NextDouble());
            text.Append(CultureInfo.InvariantCulture, $"{u:R},{v:R},{w:R},{t1:R},{t2:R}\n");
        }

        return text.ToString();
    }

    [Fact]
    public void Predict_reproduces_the_library_prediction_of_the_saved_model()
    {
        using var cli = new CliRunner();
        string data = cli.Write("data.csv", Data(50, 1));
        string model = cli.PathOf("m.json");
        string predictions = cli.PathOf("p.csv");
        (int code, string stdout, string stderr) = cli.Run("fit", data, "--target", "t1", "--target", "t2", "--weight", "w8", "--lambda", "0.01", "--model", model);
        Assert.True(code == 0, stderr);
        Assert.Contains("Coefficients", stdout, StringComparison.Ordinal);
        Assert.Equal(0, cli.Run("predict", model, data, "--out", predictions).Code);

        // The same fit through the library directly.
        string[] lines = File.ReadAllLines(data)[1..];
        double[][] rows = [.. lines.Select(l => l.Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray())];
        int n = rows.Length;
        double[] x = [.. rows.SelectMany(r => r[..2])];
        double[] y = [.. rows.SelectMany(r => r[3..5])];
        double[] w = [.. rows.Select(r => r[2])];
        RidgeModel reference = Ridge.Fit(new MatrixView<double>(x, n, 2), new MatrixView<double>(y, n, 2), new RidgeOptions { Lambda = 0.01 }, w);
        var expected = new double[n * 2];
        reference.Predict(new MatrixView<double>(x, n, 2), expected);

        string[] output = File.ReadAllLines(predictions);
        Assert.Equal("t1,t2", output[0]);
        Assert.Equal(n + 1, output.Length);
        for (int i = 0; i < n; i++)
        {
            double[] got = [.. output[i + 1].Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture))];
            for (int k = 0; k < 2; k++)
            {
                Assert.Equal(expected[(i * 2) + k], got[k], 1e-12 * (1 + Math.Abs(expected[(i * 2) + k])));
            }
        }

        // Without --out, the same text goes to stdout.
        (code, stdout, _) = cli.Run("predict", model, data);
        Assert.Equal(0, code);
        Assert.Equal(File.ReadAllText(predictions).ReplaceLineEndings(), stdout.ReplaceLineEndings());
    }

    [Fact]
    public void Model_file_has_the_specified_keys_and_round_trips_every_bit()
    {
        using var cli = new CliRunner();
        string data = cli.Write("data.csv", Data(40, 2));
        string model = cli.PathOf("m.json");
        Assert.Equal(0, cli.Run("fit", data, "--target", "t1", "--features", "u,v", "--lambda", "0.37", "--standardize", "--model", model, "-q").Code);
        byte[] bytes = File.ReadAllBytes(model);
        using (JsonDocument json = JsonDocument.Parse(bytes))
        {
            JsonElement root = json.RootElement;
            Assert.Equal("ridgecore-model/1", root.GetProperty("format").GetString());
            Assert.Equal(["u", "v"], root.GetProperty("features").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(["t1"], root.GetProperty("targets").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(0.37, root.GetProperty("lambda")[0].GetDouble());
            Assert.Equal(1, root.GetProperty("intercept").GetArrayLength());
            Assert.Equal(2, root.GetProperty("coefficients")[0].GetArrayLength());
            Assert.True(root.GetProperty("standardize").GetBoolean());
            Assert.Equal("squared", root.GetProperty("loss").GetString());
            Assert.Equal(40, root.GetProperty("n").GetInt64());
        }

        ModelFile read = ModelFile.Read(model);
        Assert.Equal(bytes, new ModelFile
        {
            Loss = read.Loss, Features = read.Features, Targets = read.Targets, Lambda = read.Lambda, Intercept = read.Intercept,
            Coefficients = read.Coefficients, Standardize = read.Standardize, FitIntercept = read.FitIntercept, N = read.N,
            WeightSum = JsonDocument.Parse(bytes).RootElement.GetProperty("weight_sum").GetDouble(), Weight = null,
            Solver = JsonDocument.Parse(bytes).RootElement.GetProperty("solver").GetString()!,
            RSquared = [.. JsonDocument.Parse(bytes).RootElement.GetProperty("r_squared").EnumerateArray().Select(e => e.GetDouble())],
        }.ToJson());
    }

    [Fact]
    public void Awkward_doubles_survive_the_model_file_exactly()
    {
        double[] awkward = [0.1, 1.0 / 3, Math.PI * 1e300, double.Epsilon, -double.MaxValue, 5e-324, 123456789012345680, -0.0, 2.2250738585072014E-308];
        var model = new ModelFile
        {
            Loss = "squared", Features = [.. awkward.Select((_, j) => $"f{j}")], Targets = ["y"], Lambda = [1e-300],
            Intercept = [-1.0 / 7], Coefficients = [awkward],
        };
        using var cli = new CliRunner();
        string path = cli.PathOf("m.json");
        File.WriteAllBytes(path, model.ToJson());
        ModelFile back = ModelFile.Read(path);
        for (int j = 0; j < awkward.Length; j++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(awkward[j]), BitConverter.DoubleToInt64Bits(back.Coefficients[0][j]));
        }

        Assert.Equal(-1.0 / 7, back.Intercept[0]);
        Assert.Equal(1e-300, back.Lambda[0]);
    }

    [Fact]
    public void Csv_reader_accepts_CRLF_BOM_quoted_header_blank_lines_and_spaces()
    {
        using var cli = new CliRunner();
        string data = cli.Write("data.csv", "\uFEFF\"first, col\",b ,y\r\n1, 2,3\r\n\r\n2,\"1\",4\r\n3,5 ,2\r\n4,4,6\n5,1,1");
        string model = cli.PathOf("m.json");
        (int code, _, string err) = cli.Run("fit", data, "--target", "y", "--lambda", "0.5", "--model", model, "-q");
        Assert.True(code == 0, err);
        ModelFile m = ModelFile.Read(model);
        Assert.Equal(["first, col", "b"], m.Features);
        Assert.Equal(5, m.N);

        double[] x = [1, 2, 2, 1, 3, 5, 4, 4, 5, 1];
        double[] y = [3, 4, 2, 6, 1];
        RidgeModel reference = Ridge.Fit(new MatrixView<double>(x, 5, 2), new MatrixView<double>(y, 5, 1), new RidgeOptions { Lambda = 0.5 });
        Assert.Equal(reference.GetCoefficient(0), m.Coefficients[0][0], 1e-14);
        Assert.Equal(reference.GetCoefficient(1), m.Coefficients[0][1], 1e-14);
    }

    [Fact]
    public void Streaming_statistics_path_float32_threads_and_solvers_agree()
    {
        using var cli = new CliRunner();
        string data = cli.Write("data.csv", Data(300, 3));
        ModelFile Fit(params string[] extra)
        {
            string model = cli.PathOf($"m{Guid.NewGuid():N}.json");
            (int code, _, string err) = cli.Run(["fit", data, "--target", "t1", "--weight", "w8", "--lambda", "0.02", "--model", model, "-q", .. extra]);
            Assert.True(code == 0, err);
            return ModelFile.Read(model);
        }

        ModelFile auto = Fit(), qr = Fit("--solver", "qr"), chol = Fit("--solver", "cholesky"), threads = Fit("--threads", "2"), single = Fit("--float32");
        for (int j = 0; j < 2; j++)
        {
            double c = auto.Coefficients[0][j];
            Assert.Equal(c, qr.Coefficients[0][j], 1e-11 * Math.Abs(c));
            Assert.Equal(c, chol.Coefficients[0][j], 1e-11 * Math.Abs(c));
            Assert.Equal(c, threads.Coefficients[0][j], 1e-11 * Math.Abs(c));
            Assert.Equal(c, single.Coefficients[0][j], 1e-5 * Math.Abs(c));   // inputs rounded to float
        }

        // Past the in-memory limit the fit runs from the streamed statistics alone (memory O(p²)): same answer, no
        // refinement, and QR (which needs the rows) is refused as a usage error.
        string streamed = cli.PathOf("streamed.json");
        var settings = new FitSettings
        {
            Data = data, Targets = ["t1"], Weight = "w8", Lambda = 0.02, ModelPath = streamed, Quiet = true, InMemoryLimit = 0,
        };
        Assert.Equal(0, FitCommand.Run(settings, TextWriter.Null, TextWriter.Null));
        ModelFile fromStatistics = ModelFile.Read(streamed);
        Assert.Equal("cholesky", fromStatistics.Solver);
        Assert.Equal("cholesky-refined", auto.Solver);
        for (int j = 0; j < 2; j++)
        {
            Assert.Equal(auto.Coefficients[0][j], fromStatistics.Coefficients[0][j], 1e-11 * Math.Abs(auto.Coefficients[0][j]));
        }

        var qrSettings = new FitSettings { Data = data, Targets = ["t1"], Lambda = 0.02, Solver = "qr", InMemoryLimit = 0 };
        Assert.Throws<UsageException>(() => FitCommand.Run(qrSettings, TextWriter.Null, TextWriter.Null));
    }
}
