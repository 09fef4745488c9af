using System;
using System.Collections.Generic;
using System.Linq;

namespace RidgeCore.Cli;

/// <summary>Which columns of a CSV file are features, targets and the weight.</summary>
internal sealed record ColumnSelection(IReadOnlyList<string> Targets, IReadOnlyList<string>? Features, string? Weight);

/// <summary>
/// A data file read once, in batches, into a <see cref="GramAccumulator"/> (memory O(p²) whatever the number of rows)
/// and, while it stays below <see cref="InMemoryLimit"/> values, into row-major arrays as well, so that small and
/// medium files get the in-memory fit (refinement against the data, QR fallback, leave-one-out).
/// </summary>
internal sealed class TrainingData : IDisposable
{
    /// <summary>Files up to this many values (rows × (p + t + 1)) are also kept in memory by default: 16 M values, 128 MB.</summary>
    public const long DefaultInMemoryLimit = 1L << 24;

    private const int BatchRows = 4096;

    private TrainingData(string[] features, string[] targets, string? weight, GramAccumulator statistics)
    {
        FeatureNames = features;
        TargetNames = targets;
        WeightName = weight;
        Statistics = statistics;
    }

    public string[] FeatureNames { get; }

    public string[] TargetNames { get; }

    public string? WeightName { get; }

    public int P => FeatureNames.Length;

    public int T => TargetNames.Length;

    /// <summary>Sufficient statistics of every row, always centered (a fit without intercept converts them; the λ
    /// search and the ridge trace need the centered form).</summary>
    public GramAccumulator Statistics { get; }

    /// <summary>Data rows read.</summary>
    public long Rows { get; private set; }

    /// <summary>Rows with a positive weight.</summary>
    public long PositiveRows { get; private set; }

    /// <summary>X (Rows × P, row-major) when the file fits in memory, else null.</summary>
    public double[]? X { get; private set; }

    /// <summary>Y (Rows × T, row-major) when the file fits in memory, else null.</summary>
    public double[]? Y { get; private set; }

    /// <summary>The weights when the file fits in memory and has a weight column, else null.</summary>
    public double[]? W { get; private set; }

    public bool InMemory => X is not null;

    public void Dispose() => Statistics.Dispose();

    /// <summary>Resolves the columns against the header, reads the whole file and returns its statistics (and the data,
    /// when small enough).</summary>
    /// <exception cref="DataException">Bad data, named by file, line and column.</exception>
    public static TrainingData Read(
        string path, ColumnSelection selection, bool fitIntercept, bool float32, bool binaryTargets, int threads, Progress? progress,
        long inMemoryLimit = DefaultInMemoryLimit)
    {
        using CsvReader csv = CsvReader.Open(path);
        return Read(csv, selection, fitIntercept, float32, binaryTargets, threads, progress, inMemoryLimit);
    }

    /// <inheritdoc cref="Read(string, ColumnSelection, bool, bool, bool, int, Progress?, long)"/>
    public static TrainingData Read(
        CsvReader csv, ColumnSelection selection, bool fitIntercept, bool float32, bool binaryTargets, int threads, Progress? progress,
        long inMemoryLimit = DefaultInMemoryLimit)
    {
        string path = csv.Path;
        string[] header = csv.Header;
        var roles = new ColumnRole[header.Length];
        var index = new int[header.Length];
        int Find(string name, string what)
        {
            int c = Array.IndexOf(header, name);
            if (c < 0)
            {
                throw new DataException(path, 1, 0, $"unknown {what} column '{name}': the header has {string.Join(", ", header.Select(h => $"'{h}'"))}.");
            }

            if (roles[c] != ColumnRole.Skip)
            {
                throw new DataException(path, 1, c + 1, $"column '{name}' is selected twice (as {what} and as {roles[c].ToString().ToLowerInvariant()}).");
            }

            return c;
        }

        string[] targets = [.. selection.Targets];
        for (int k = 0; k < targets.Length; k++)
        {
            int c = Find(targets[k], "target");
            roles[c] = ColumnRole.Target;
            index[c] = k;
        }

        if (selection.Weight is { } weightName)
        {
            roles[Find(weightName, "weight")] = ColumnRole.Weight;
        }

        string[] features;
        if (selection.Features is { } chosen)
        {
            features = [.. chosen];
            for (int j = 0; j < features.Length; j++)
            {
                int c = Find(features[j], "feature");
                roles[c] = ColumnRole.Feature;
                index[c] = j;
            }
        }
        else
        {
            var rest = new List<string>();
            for (int c = 0; c < header.Length; c++)
            {
                if (roles[c] == ColumnRole.Skip)
                {
                    roles[c] = ColumnRole.Feature;
                    index[c] = rest.Count;
                    rest.Add(header[c]);
                }
            }

            features = [.. rest];
        }

        if (features.Length == 0)
        {
            throw new DataException(path, 1, 0, "no feature columns: every column is a target or the weight.");
        }

        var parser = new RowParser(path, header, roles, index, binaryTargets);
        var data = new TrainingData(features, targets, selection.Weight, new GramAccumulator(features.Length, targets.Length, GramMode.Centered));
        try
        {
            data.Statistics.DegreeOfParallelism = threads;
            data.Load(csv, parser, float32, progress, inMemoryLimit);
            return data;
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    private void Load(CsvReader csv, RowParser parser, bool float32, Progress? progress, long inMemoryLimit)
    {
        int p = P, t = T;
        bool weighted = WeightName is not null;
        var x = new double[BatchRows * p];
        var y = new double[BatchRows * t];
        var w = new double[BatchRows];
        float[]? xf = float32 ? new float[x.Length] : null, yf = float32 ? new float[y.Length] : null, wf = float32 ? new float[w.Length] : null;

        long valuesPerRow = p + t + (weighted ? 1 : 0);
        // Kept batches (copies), concatenated at the end: at most twice the in-memory limit at the peak.
        var storeX = new List<double[]>();
        var storeY = new List<double[]>();
        var storeW = new List<double[]>();
        bool keep = true;
        long lastLine = 1;
        while (true)
        {
            int rows = 0;
            while (rows < BatchRows && csv.TryReadLine(out ReadOnlySpan<byte> line))
            {
                parser.Parse(line, csv.Line, x.AsSpan(rows * p, p), y.AsSpan(rows * t, t), out w[rows]);
                if (w[rows] > 0)
                {
                    PositiveRows++;
                }

                rows++;
            }

            lastLine = csv.Line;
            if (rows == 0)
            {
                break;
            }

            try
            {
                if (float32)
                {
                    Narrow(x, xf!, rows * p);
                    Narrow(y, yf!, rows * t);
                    Narrow(w, wf!, rows);
                    var xv = new MatrixView<float>(xf, rows, p);
                    var yv = new MatrixView<float>(yf, rows, t);
                    if (weighted)
                    {
                        Statistics.Add(xv, yv, wf.AsSpan(0, rows));
                    }
                    else
                    {
                        Statistics.Add(xv, yv);
                    }
                }
                else
                {
                    var xv = new MatrixView<double>(x, rows, p);
                    var yv = new MatrixView<double>(y, rows, t);
                    if (weighted)
                    {
                        Statistics.Add(xv, yv, w.AsSpan(0, rows));
                    }
                    else
                    {
                        Statistics.Add(xv, yv);
                    }
                }
            }
            catch (InvalidValueException e)
            {
                // Values that are finite in double but overflow in float (or in the accumulated products).
                throw new DataException(csv.Path, 0, 0, $"a value cannot be accumulated: {e.Message}");
            }

            Rows += rows;
            if (keep && Rows * valuesPerRow <= inMemoryLimit)
            {
                storeX.Add(x.AsSpan(0, rows * p).ToArray());
                storeY.Add(y.AsSpan(0, rows * t).ToArray());
                if (weighted)
                {
                    storeW.Add(w.AsSpan(0, rows).ToArray());
                }
            }
            else if (keep)
            {
                keep = false;
                storeX = storeY = storeW = [];
            }

            progress?.Report(csv.Position, csv.Length);
        }

        if (keep)
        {
            X = Concatenate(storeX);
            Y = Concatenate(storeY);
            W = weighted ? Concatenate(storeW) : null;
            if (float32)
            {
                // The in-memory fit must see the same (rounded) values the statistics saw.
                RoundToFloat(X);
                RoundToFloat(Y);
                if (W is not null)
                {
                    RoundToFloat(W);
                }
            }
        }

        LastLine = lastLine;
    }

    /// <summary>The number of the file's last line (for messages about the whole file).</summary>
    public long LastLine { get; private set; }

    private static double[] Concatenate(List<double[]> parts)
    {
        var all = new double[parts.Sum(a => (long)a.Length)];
        long at = 0;
        foreach (double[] part in parts)
        {
            part.CopyTo(all, at);
            at += part.Length;
        }

        parts.Clear();
        return all;
    }

    private static void Narrow(double[] source, float[] destination, int count)
    {
        for (int i = 0; i < count; i++)
        {
            destination[i] = (float)source[i];
        }
    }

    private static void RoundToFloat(double[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)values[i];
        }
    }
}
