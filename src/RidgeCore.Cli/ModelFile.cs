using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace RidgeCore.Cli;

/// <summary>The λ search recorded in a model file: one score curve (and standard errors) per target.</summary>
internal sealed record SearchRecord(
    string Method, string Score, double[] Lambdas, double[][] Scores, double[][] StdErrors, double[] BestLambda, double[] Lambda1se);

/// <summary>
/// A fitted model as <c>ridge fit --model</c> writes it and <c>ridge predict</c> reads it: format
/// <c>ridgecore-model/1</c>. Every number is written in the shortest form that reads back to the same double, so a
/// model survives a write/read cycle bit for bit.
/// </summary>
/// <remarks>
/// Keys: <c>format</c>, <c>loss</c> ("squared" or "logistic"), <c>features</c>, <c>targets</c>, <c>lambda</c>,
/// <c>intercept</c> (one per target), <c>coefficients</c> (one array of p values per target, on the original scale of
/// the features), <c>standardize</c>, <c>fit_intercept</c>, <c>n</c> (rows read), <c>weight_sum</c>, <c>weight</c>
/// (column name or null), <c>solver</c>, <c>r_squared</c>, and, when λ was searched, <c>search</c>: <c>method</c>
/// ("loo", "gcv" or "cv5"...), <c>score</c> (what the scores are), <c>lambdas</c>, <c>scores</c> and
/// <c>std_errors</c> (one array per target, aligned with <c>lambdas</c>), <c>best_lambda</c> and <c>lambda_1se</c>
/// (one per target).
/// </remarks>
internal sealed class ModelFile
{
    public const string Format = "ridgecore-model/1";

    public required string Loss { get; init; }

    public required string[] Features { get; init; }

    public required string[] Targets { get; init; }

    public required double[] Lambda { get; init; }

    public required double[] Intercept { get; init; }

    /// <summary>Coefficients[k][j]: target k, feature j.</summary>
    public required double[][] Coefficients { get; init; }

    public bool Standardize { get; init; }

    public bool FitIntercept { get; init; } = true;

    public long N { get; init; }

    public double WeightSum { get; init; }

    public string? Weight { get; init; }

    public string Solver { get; init; } = "";

    public double[]? RSquared { get; init; }

    public SearchRecord? Search { get; init; }

    /// <summary>The JSON text, UTF-8.</summary>
    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteString("loss", Loss);
            WriteStrings(json, "features", Features);
            WriteStrings(json, "targets", Targets);
            WriteNumbers(json, "lambda", Lambda);
            WriteNumbers(json, "intercept", Intercept);
            json.WriteStartArray("coefficients");
            foreach (double[] row in Coefficients)
            {
                WriteNumbers(json, null, row);
            }

            json.WriteEndArray();
            json.WriteBoolean("standardize", Standardize);
            json.WriteBoolean("fit_intercept", FitIntercept);
            json.WriteNumber("n", N);
            json.WriteNumber("weight_sum", WeightSum);
            if (Weight is null)
            {
                json.WriteNull("weight");
            }
            else
            {
                json.WriteString("weight", Weight);
            }

            json.WriteString("solver", Solver);
            if (RSquared is not null)
            {
                WriteNumbers(json, "r_squared", RSquared);
            }

            if (Search is { } s)
            {
                json.WriteStartObject("search");
                json.WriteString("method", s.Method);
                json.WriteString("score", s.Score);
                WriteNumbers(json, "lambdas", s.Lambdas);
                json.WriteStartArray("scores");
                foreach (double[] row in s.Scores)
                {
                    WriteNumbers(json, null, row);
                }

                json.WriteEndArray();
                json.WriteStartArray("std_errors");
                foreach (double[] row in s.StdErrors)
                {
                    WriteNumbers(json, null, row);
                }

                json.WriteEndArray();
                WriteNumbers(json, "best_lambda", s.BestLambda);
                WriteNumbers(json, "lambda_1se", s.Lambda1se);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return [.. buffer.WrittenSpan, (byte)'\n'];
    }

    /// <summary>Reads a model file.</summary>
    /// <exception cref="DataException">Not a readable ridgecore-model/1 document, or inconsistent.</exception>
    public static ModelFile Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new DataException(path, 0, 0, $"cannot read the model: {e.Message}");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw new DataException(path, (e.LineNumber ?? -1) + 1, (int)(e.BytePositionInLine ?? -1) + 1, $"not valid JSON: {e.Message}");
        }

        using (document)
        {
            try
            {
                return FromJson(document.RootElement);
            }
            catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or FormatException)
            {
                throw new DataException(path, 0, 0, $"not a {Format} model: {e.Message}");
            }
        }
    }

    private static ModelFile FromJson(JsonElement root)
    {
        string format = root.GetProperty("format").GetString() ?? "";
        if (format != Format)
        {
            throw new FormatException($"\"format\" is \"{format}\", expected \"{Format}\".");
        }

        string loss = root.GetProperty("loss").GetString() ?? "";
        if (loss is not ("squared" or "logistic"))
        {
            throw new FormatException($"\"loss\" is \"{loss}\", expected \"squared\" or \"logistic\".");
        }

        string[] features = Strings(root.GetProperty("features"));
        string[] targets = Strings(root.GetProperty("targets"));
        double[] intercept = Numbers(root.GetProperty("intercept"));
        double[][] coefficients = [.. root.GetProperty("coefficients").EnumerateArray().Select(Numbers)];
        double[] lambda = Numbers(root.GetProperty("lambda"));
        if (targets.Length == 0 || intercept.Length != targets.Length || coefficients.Length != targets.Length || lambda.Length != targets.Length)
        {
            throw new FormatException("\"targets\", \"lambda\", \"intercept\" and \"coefficients\" must have one entry per target.");
        }

        if (coefficients.Any(c => c.Length != features.Length))
        {
            throw new FormatException("every array in \"coefficients\" must have one value per feature.");
        }

        return new ModelFile
        {
            Loss = loss,
            Features = features,
            Targets = targets,
            Lambda = lambda,
            Intercept = intercept,
            Coefficients = coefficients,
            Standardize = root.TryGetProperty("standardize", out JsonElement s) && s.GetBoolean(),
            FitIntercept = !root.TryGetProperty("fit_intercept", out JsonElement fi) || fi.GetBoolean(),
            N = root.TryGetProperty("n", out JsonElement n) ? n.GetInt64() : 0,
            Solver = root.TryGetProperty("solver", out JsonElement solver) ? solver.GetString() ?? "" : "",
        };
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString() ?? throw new FormatException("null name."))];

    private static double[] Numbers(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetDouble())];

    private static void WriteStrings(Utf8JsonWriter json, string name, string[] values)
    {
        json.WriteStartArray(name);
        foreach (string v in values)
        {
            json.WriteStringValue(v);
        }

        json.WriteEndArray();
    }

    private static void WriteNumbers(Utf8JsonWriter json, string? name, double[] values)
    {
        if (name is null)
        {
            json.WriteStartArray();
        }
        else
        {
            json.WriteStartArray(name);
        }

        foreach (double v in values)
        {
            if (double.IsFinite(v))
            {
                json.WriteNumberValue(v);
            }
            else
            {
                json.WriteNullValue();   // only where a value does not exist (the standard error of a GCV score)
            }
        }

        json.WriteEndArray();
    }
}
