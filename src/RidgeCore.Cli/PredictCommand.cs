using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace RidgeCore.Cli;

/// <summary><c>ridge predict MODEL.json DATA.csv [--out FILE]</c>: streams the rows, writes one prediction column per
/// target (probabilities for a logistic model), with the target names as header.</summary>
internal static class PredictCommand
{
    private const int BatchRows = 4096;

    public static int Run(string modelPath, string dataPath, string? outPath, TextWriter stdout)
    {
        ModelFile model = ModelFile.Read(modelPath);
        using CsvReader csv = CsvReader.Open(dataPath);
        int p = model.Features.Length, t = model.Targets.Length;
        var roles = new ColumnRole[csv.Header.Length];
        var index = new int[csv.Header.Length];
        for (int j = 0; j < p; j++)
        {
            int c = Array.IndexOf(csv.Header, model.Features[j]);
            if (c < 0)
            {
                throw new DataException(dataPath, 1, 0, $"unknown feature column '{model.Features[j]}': the model needs {string.Join(", ", model.Features)}.");
            }

            roles[c] = ColumnRole.Feature;
            index[c] = j;
        }

        var parser = new RowParser(dataPath, csv.Header, roles, index, binaryTargets: false);
        bool logistic = model.Loss == "logistic";

        // Coefficients transposed to one contiguous row per target, for Dot.
        var theta = new double[t * p];
        for (int k = 0; k < t; k++)
        {
            model.Coefficients[k].CopyTo(theta, k * p);
        }

        AtomicFile? file = outPath is null ? null : AtomicFile.Create(outPath);
        try
        {
            TextWriter writer = file is null ? stdout : new StreamWriter(file.Stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            writer.WriteLine(string.Join(",", model.Targets));
            var x = new double[BatchRows * p];
            Span<double> none = stackalloc double[0];
            var line = new StringBuilder();
            while (true)
            {
                int rows = 0;
                while (rows < BatchRows && csv.TryReadLine(out ReadOnlySpan<byte> text))
                {
                    parser.Parse(text, csv.Line, x.AsSpan(rows * p, p), none, out _);
                    rows++;
                }

                if (rows == 0)
                {
                    break;
                }

                for (int i = 0; i < rows; i++)
                {
                    line.Clear();
                    ReadOnlySpan<double> row = x.AsSpan(i * p, p);
                    for (int k = 0; k < t; k++)
                    {
                        double value = model.Intercept[k] + VectorPrimitives.Dot(row, theta.AsSpan(k * p, p));
                        if (logistic)
                        {
                            value = 1 / (1 + Math.Exp(-value));
                        }

                        if (k > 0)
                        {
                            line.Append(',');
                        }

                        line.Append(value.ToString("R", CultureInfo.InvariantCulture));
                    }

                    writer.WriteLine(line);
                }
            }

            writer.Flush();
            if (file is not null)
            {
                writer.Dispose();
                file.Commit();
            }
        }
        finally
        {
            file?.Dispose();
        }

        return ExitCodes.Success;
    }
}
