using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;

namespace RidgeCore.Cli;

/// <summary>The command tree of <c>ridge</c> (System.CommandLine), and the translation of options into settings.</summary>
internal static class CommandLine
{
    public static RootCommand Build(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("ridge: fit, cross-validate, predict, plot and benchmark ridge regression (RidgeCore).");
        foreach (Option builtIn in root.Options.Where(o => o is VersionOption).ToList())
        {
            root.Options.Remove(builtIn);
        }

        var version = new Option<bool>("--version") { Description = "Print the version and the SIMD kernel report." };
        root.Options.Add(version);
        root.SetAction(result =>
        {
            if (result.GetValue(version))
            {
                Program.PrintVersion(stdout);
                return ExitCodes.Success;
            }

            stderr.WriteLine("ridge: a command is required (fit, predict, demo or bench). Try 'ridge --help'.");
            return ExitCodes.Usage;
        });

        root.Subcommands.Add(BuildFit(stdout, stderr));
        root.Subcommands.Add(BuildPredict(stdout, stderr));
        root.Subcommands.Add(BuildDemo(stdout, stderr));
        root.Subcommands.Add(BuildBench(stdout, stderr));
        return root;
    }

    private static Command BuildFit(TextWriter stdout, TextWriter stderr)
    {
        var data = new Argument<string>("DATA.csv") { Description = "CSV file with a header line of column names." };
        var target = new Option<string[]>("--target", "-y") { Description = "Target column (repeat for several targets).", Required = true, Arity = ArgumentArity.OneOrMore };
        var lambda = new Option<double?>("--lambda") { Description = "The penalty λ ≥ 0 in RidgeCore's convention (mean loss + λ‖θ‖²; 0 = least squares). Without --lambda or --lambdas, λ is chosen by leave-one-out on the default grid (5-fold cross-validation for --loss logistic and --solver cg|sgd)." };
        var lambdas = new Option<string?>("--lambdas") { Description = "Comma-separated λ grid to search (with --loo, --gcv or --cv K; --loo by default, 5-fold for logistic, cg and sgd)." };
        var loo = new Option<bool>("--loo") { Description = "Choose λ by efficient leave-one-out (PRESS)." };
        var gcv = new Option<bool>("--gcv") { Description = "Choose λ by generalized cross-validation." };
        var cv = new Option<int?>("--cv") { Description = "Choose λ by K-fold cross-validation (K ≥ 2; for logistic, cg and sgd, of those fits themselves).", HelpName = "K" };
        var weight = new Option<string?>("--weight") { Description = "Column of non-negative observation weights." };
        var features = new Option<string?>("--features") { Description = "Comma-separated feature columns (default: every column except targets and weight)." };
        var noIntercept = new Option<bool>("--no-intercept") { Description = "Fit through the origin (no intercept)." };
        var standardize = new Option<bool>("--standardize") { Description = "Penalize each feature in units of its standard deviation (coefficients stay on the original scale)." };
        var loss = new Option<string>("--loss") { Description = "squared (ridge) or logistic (L2 logistic regression, labels 0/1).", DefaultValueFactory = _ => "squared" };
        loss.AcceptOnlyFromAmong("squared", "logistic");
        var solver = new Option<string>("--solver") { Description = "auto, cholesky (no QR fallback), qr, cg (conjugate gradient) or sgd.", DefaultValueFactory = _ => "auto" };
        solver.AcceptOnlyFromAmong("auto", "cholesky", "qr", "cg", "sgd");
        var shuffle = new Option<string?>("--shuffle") { Description = "SGD's row order (--solver sgd): rows (a new permutation every epoch; the default), once (one permutation per fit, later epochs stream a copy of the rows: faster on large files), batches (contiguous batches, new order every epoch) or none.", HelpName = "ORDER" };
        shuffle.AcceptOnlyFromAmong("rows", "once", "batches", "none");
        var float32 = new Option<bool>("--float32") { Description = "Read values as 32-bit floats (float Gram kernels; half the memory traffic)." };
        var threads = new Option<int>("--threads") { Description = "Threads for the Gram accumulation (results do not depend on it).", DefaultValueFactory = _ => 1 };
        var model = new Option<string?>("--model") { Description = "Write the fitted model as JSON (ridgecore-model/1).", HelpName = "OUT.json" };
        var plot = new Option<string?>("--plot") { Description = "Write an SVG: ridge trace, and the CV/LOO curve when λ was searched.", HelpName = "OUT.svg" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print nothing on success." };

        var command = new Command("fit", "Fit a ridge (or L2 logistic) model to a CSV file.")
        {
            data, target, lambda, lambdas, loo, gcv, cv, weight, features, noIntercept, standardize, loss, solver, shuffle, float32, threads, model, plot, quiet,
        };
        command.SetAction(result =>
        {
            var settings = new FitSettings
            {
                Data = result.GetValue(data)!,
                Targets = [.. result.GetValue(target)!.SelectMany(t => Program.SplitList(t, "--target"))],
                Lambda = result.GetValue(lambda),
                Lambdas = result.GetValue(lambdas) is { } list ? ParseLambdas(list) : null,
                Loo = result.GetValue(loo),
                Gcv = result.GetValue(gcv),
                Folds = result.GetValue(cv),
                Weight = result.GetValue(weight),
                Features = result.GetValue(features) is { } f ? Program.SplitList(f, "--features") : null,
                FitIntercept = !result.GetValue(noIntercept),
                Standardize = result.GetValue(standardize),
                Loss = result.GetValue(loss)!,
                Solver = result.GetValue(solver)!,
                Shuffle = result.GetValue(shuffle),
                Float32 = result.GetValue(float32),
                Threads = result.GetValue(threads),
                ModelPath = result.GetValue(model),
                PlotPath = result.GetValue(plot),
                Quiet = result.GetValue(quiet),
            };
            return FitCommand.Run(settings, stdout, stderr);
        });
        return command;
    }

    private static Command BuildPredict(TextWriter stdout, TextWriter stderr)
    {
        var model = new Argument<string>("MODEL.json") { Description = "A model written by 'ridge fit --model'." };
        var data = new Argument<string>("DATA.csv") { Description = "CSV file with (at least) the model's feature columns." };
        var output = new Option<string?>("--out", "-o") { Description = "Write the predictions here (default: stdout).", HelpName = "FILE" };
        var command = new Command("predict", "Predict with a saved model: one column per target (probabilities for logistic models).") { model, data, output };
        command.SetAction(result => PredictCommand.Run(result.GetValue(model)!, result.GetValue(data)!, result.GetValue(output), stdout));
        return command;
    }

    private static Command BuildDemo(TextWriter stdout, TextWriter stderr)
    {
        var plot = new Option<string>("--plot") { Description = "Where to write the ridge-trace SVG.", DefaultValueFactory = _ => "ridge-demo.svg", HelpName = "OUT.svg" };
        var command = new Command("demo", "Fit NIST Longley and a synthetic set with correlated features; choose λ by leave-one-out; write a ridge-trace plot.") { plot };
        command.SetAction(result => Demo.Run(result.GetValue(plot)!, stdout));
        return command;
    }

    private static Command BuildBench(TextWriter stdout, TextWriter stderr)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON instead of Markdown." };
        var seconds = new Option<double>("--seconds") { Description = "Approximate total running time (below 10 s the problems are small: a smoke test, not a measurement).", DefaultValueFactory = _ => 60 };
        var csv = new Option<string?>("--csv") { Description = "Only measure how fast this CSV file parses (every column read as a number).", HelpName = "FILE" };
        var command = new Command("bench", "Benchmark this CPU: tier, FMA peak, read bandwidth, Gram/Cholesky/fit/SGD throughput (and OpenBLAS when installed).") { json, seconds, csv };
        command.SetAction(result => result.GetValue(csv) is { } file
            ? Bench.ParseFile(file, stdout)
            : Bench.Run(result.GetValue(json), result.GetValue(seconds), stdout, stderr));
        return command;
    }

    private static double[] ParseLambdas(string text)
    {
        string[] items = Program.SplitList(text, "--lambdas");
        var values = new double[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            if (!double.TryParse(items[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]) || !(values[i] > 0))
            {
                throw new UsageException($"--lambdas: '{items[i]}' is not a finite, positive number (a searched grid needs λ > 0; use --lambda 0 for least squares).");
            }
        }

        return values;
    }
}

/// <summary>Everything <c>ridge fit</c> was asked to do.</summary>
internal sealed class FitSettings
{
    public required string Data { get; init; }

    public required string[] Targets { get; init; }

    public double? Lambda { get; init; }

    public double[]? Lambdas { get; init; }

    public bool Loo { get; init; }

    public bool Gcv { get; init; }

    public int? Folds { get; init; }

    public string? Weight { get; init; }

    public string[]? Features { get; init; }

    public bool FitIntercept { get; init; } = true;

    public bool Standardize { get; init; }

    public string Loss { get; init; } = "squared";

    public string Solver { get; init; } = "auto";

    /// <summary>--shuffle as given (rows, once, batches or none), or null: SGD's default.</summary>
    public string? Shuffle { get; init; }

    /// <summary>The SGD row order that <see cref="Shuffle"/> names.</summary>
    public SgdShuffle SgdShuffle => Shuffle switch
    {
        "once" => SgdShuffle.Once,
        "batches" => SgdShuffle.Batches,
        "none" => SgdShuffle.None,
        _ => SgdShuffle.Rows,
    };

    public bool Float32 { get; init; }

    public int Threads { get; init; } = 1;

    public string? ModelPath { get; init; }

    public string? PlotPath { get; init; }

    public bool Quiet { get; init; }

    /// <summary>Files with at most this many values are also kept in memory (tests lower it to exercise streaming).</summary>
    public long InMemoryLimit { get; init; } = TrainingData.DefaultInMemoryLimit;

    /// <summary>Whether λ is searched (no single --lambda).</summary>
    public bool Searches => Lambda is null;
}
