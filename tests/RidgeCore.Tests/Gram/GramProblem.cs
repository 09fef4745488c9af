using System;

namespace RidgeCore.Tests.Gram;

/// <summary>How a generated problem weights its rows.</summary>
public enum WeightKind
{
    /// <summary>The unweighted Add overload (every row weighs 1).</summary>
    None,

    /// <summary>The weighted overload with every weight 1.</summary>
    Ones,

    /// <summary>Weights uniform in (0, 3].</summary>
    Positive,

    /// <summary>About a quarter of the weights are exactly 0, the rest uniform in (0, 3].</summary>
    WithZeros,

    /// <summary>Small integers 0..3 (exact sums).</summary>
    Integers,

    /// <summary>The first half of the rows weigh 0 (whole chunks with Σw = 0 before the first real one).</summary>
    ZeroPrefix,

    /// <summary>Every other run of 256 rows weighs 0 (chunks that are skipped between real ones).</summary>
    ZeroRuns,

    /// <summary>Every weight is 0 (Σw = 0: means and co-moments stay 0).</summary>
    AllZero,
}

/// <summary>
/// One batch of rows for a Gram test: X (n × p, row stride ≥ p) and Y (n × t, row stride ≥ t), optional weights, in
/// double, and for float problems the same values as float (the double arrays then hold the float-rounded values,
/// so the reference sees exactly what the float kernel sees). Padding between rows holds a NaN sentinel, so a kernel
/// that reads past the last column of a row either throws or produces NaN statistics.
/// </summary>
public sealed class GramProblem
{
    /// <summary>The NaN sentinel written into row padding (a quiet NaN with a recognizable payload).</summary>
    public static readonly double PadSentinel = BitConverter.Int64BitsToDouble(0x7FF8_DEAD_0000_0001);

    private GramProblem(int n, int p, int t, int xStride, int yStride, bool isFloat)
    {
        N = n;
        P = p;
        T = t;
        XStride = xStride;
        YStride = yStride;
        IsFloat = isFloat;
        X = new double[Math.Max(0, n * xStride)];
        Y = new double[Math.Max(0, n * yStride)];
        X.AsSpan().Fill(PadSentinel);
        Y.AsSpan().Fill(PadSentinel);
    }

    public int N { get; }

    public int P { get; }

    public int T { get; }

    public int Q => P + T;

    public int XStride { get; }

    public int YStride { get; }

    public bool IsFloat { get; }

    /// <summary>X row-major with stride <see cref="XStride"/> (float problems: the float values, widened).</summary>
    public double[] X { get; }

    /// <summary>Y row-major with stride <see cref="YStride"/>.</summary>
    public double[] Y { get; }

    /// <summary>The weights, or null for the unweighted overload.</summary>
    public double[]? W { get; private set; }

    public float[]? XF { get; private set; }

    public float[]? YF { get; private set; }

    public float[]? WF { get; private set; }

    public double XAt(int row, int col) => X[(row * XStride) + col];

    public double YAt(int row, int col) => Y[(row * YStride) + col];

    /// <summary>Column a of Z = [X | Y] in row i.</summary>
    public double Z(int row, int a) => a < P ? X[(row * XStride) + a] : Y[(row * YStride) + a - P];

    public double Weight(int row) => W is null ? 1.0 : W[row];

    /// <summary>
    /// Random data: column j is offset_j + scale_j · (u + ½·f), with u uniform in (−1, 1), f a per-row factor shared
    /// by all columns (so the co-moments are far from zero), offsets up to ±offset and scales spread over 10⁻²..10².
    /// </summary>
    public static GramProblem Random(GramCase c, bool isFloat)
    {
        var rng = new Random(c.Seed);
        var pr = new GramProblem(c.N, c.P, c.T, c.P + c.XPad, c.T + c.YPad, isFloat);
        int q = c.P + c.T;
        var off = new double[q];
        var scale = new double[q];
        for (int a = 0; a < q; a++)
        {
            off[a] = c.Offset * ((2 * rng.NextDouble()) - 1);
            scale[a] = Math.Pow(10, (4 * rng.NextDouble()) - 2);
        }

        for (int i = 0; i < c.N; i++)
        {
            double f = (2 * rng.NextDouble()) - 1;
            for (int a = 0; a < q; a++)
            {
                double v = off[a] + (scale[a] * ((2 * rng.NextDouble()) - 1 + (0.5 * f)));
                pr.Set(i, a, v);
            }
        }

        pr.W = MakeWeights(c.Weights, c.N, rng);
        if (isFloat)
        {
            pr.MakeFloat();
        }

        return pr;
    }

    /// <summary>A problem from explicit row-major values (stride = width), optionally with padding and weights.</summary>
    public static GramProblem From(double[] x, double[] y, int n, int p, int t, double[]? w = null, bool isFloat = false, int xPad = 0, int yPad = 0)
    {
        var pr = new GramProblem(n, p, t, p + xPad, t + yPad, isFloat);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < p; j++)
            {
                pr.Set(i, j, x[(i * p) + j]);
            }

            for (int k = 0; k < t; k++)
            {
                pr.Set(i, p + k, y[(i * t) + k]);
            }
        }

        pr.W = w is null ? null : (double[])w.Clone();
        if (isFloat)
        {
            pr.MakeFloat();
        }

        return pr;
    }

    public static double[]? MakeWeights(WeightKind kind, int n, Random rng)
    {
        if (kind == WeightKind.None)
        {
            return null;
        }

        var w = new double[n];
        for (int i = 0; i < n; i++)
        {
            double positive = 3 * (1 - rng.NextDouble()); // (0, 3]
            w[i] = kind switch
            {
                WeightKind.Ones => 1,
                WeightKind.Positive => positive,
                WeightKind.WithZeros => rng.Next(4) == 0 ? 0 : positive,
                WeightKind.Integers => rng.Next(4),
                WeightKind.ZeroPrefix => i < (n + 1) / 2 ? 0 : positive,
                WeightKind.ZeroRuns => (i / 256) % 2 == 0 ? 0 : positive,
                _ => 0,
            };
        }

        return w;
    }

    /// <summary>Adds rows [start, start + count) to <paramref name="acc"/> with the overload this problem calls for.</summary>
    public void AddTo(GramAccumulator acc, int start, int count)
    {
        if (IsFloat)
        {
            var xv = new MatrixView<float>(XF, N, P, XStride).SliceRows(start, count);
            var yv = new MatrixView<float>(YF, N, T, YStride).SliceRows(start, count);
            if (WF is null)
            {
                acc.Add(xv, yv);
            }
            else
            {
                acc.Add(xv, yv, WF.AsSpan(start, count));
            }
        }
        else
        {
            var xv = new MatrixView<double>(X, N, P, XStride).SliceRows(start, count);
            var yv = new MatrixView<double>(Y, N, T, YStride).SliceRows(start, count);
            if (W is null)
            {
                acc.Add(xv, yv);
            }
            else
            {
                acc.Add(xv, yv, W.AsSpan(start, count));
            }
        }
    }

    public void AddTo(GramAccumulator acc) => AddTo(acc, 0, N);

    /// <summary>A new problem holding rows [start, start + count) of this one (same strides and element type).</summary>
    public GramProblem Slice(int start, int count)
    {
        var pr = new GramProblem(count, P, T, XStride, YStride, IsFloat);
        Array.Copy(X, start * XStride, pr.X, 0, count * XStride);
        Array.Copy(Y, start * YStride, pr.Y, 0, count * YStride);
        pr.W = W?[start..(start + count)];
        if (IsFloat)
        {
            pr.MakeFloat();
        }

        return pr;
    }

    /// <summary>The rows of several problems with the same shape, one after another.</summary>
    public static GramProblem Concat(params GramProblem[] parts)
    {
        GramProblem first = parts[0];
        int n = 0;
        bool weighted = false;
        foreach (GramProblem part in parts)
        {
            n += part.N;
            weighted |= part.W is not null;
        }

        var pr = new GramProblem(n, first.P, first.T, first.XStride, first.YStride, first.IsFloat);
        int row = 0;
        pr.W = weighted ? new double[n] : null;
        foreach (GramProblem part in parts)
        {
            Array.Copy(part.X, 0, pr.X, row * pr.XStride, part.N * part.XStride);
            Array.Copy(part.Y, 0, pr.Y, row * pr.YStride, part.N * part.YStride);
            for (int i = 0; i < part.N && pr.W is not null; i++)
            {
                pr.W[row + i] = part.Weight(i);
            }

            row += part.N;
        }

        if (first.IsFloat)
        {
            pr.MakeFloat();
        }

        return pr;
    }

    /// <summary>Overwrites X[row, col] (<paramref name="inY"/> false) or Y[row, col] in both the double and float copies.</summary>
    public void Poison(bool inY, int row, int col, double value)
    {
        int i = inY ? (row * YStride) + col : (row * XStride) + col;
        (inY ? Y : X)[i] = value;
        float[]? f = inY ? YF : XF;
        if (f is not null)
        {
            f[i] = (float)value;
        }
    }

    /// <summary>Overwrites weight <paramref name="row"/> in both copies (the problem must be weighted).</summary>
    public void SetWeight(int row, double value)
    {
        W![row] = value;
        if (WF is not null)
        {
            WF[row] = (float)value;
        }
    }

    public override string ToString() =>
        $"{(IsFloat ? "float" : "double")} n={N} p={P} t={T} xStride={XStride} yStride={YStride} weighted={W is not null}";

    private void Set(int row, int a, double v)
    {
        if (a < P)
        {
            X[(row * XStride) + a] = v;
        }
        else
        {
            Y[(row * YStride) + a - P] = v;
        }
    }

    /// <summary>Rounds X, Y and W to float and keeps the rounded values (widened) as the doubles the reference reads.</summary>
    private void MakeFloat()
    {
        XF = ToFloat(X);
        YF = ToFloat(Y);
        if (W is not null)
        {
            WF = ToFloat(W);
            for (int i = 0; i < W.Length; i++)
            {
                W[i] = WF[i];
            }
        }

        for (int i = 0; i < X.Length; i++)
        {
            X[i] = double.IsNaN(X[i]) ? X[i] : XF[i];
        }

        for (int i = 0; i < Y.Length; i++)
        {
            Y[i] = double.IsNaN(Y[i]) ? Y[i] : YF[i];
        }
    }

    private static float[] ToFloat(double[] a)
    {
        var f = new float[a.Length];
        for (int i = 0; i < a.Length; i++)
        {
            f[i] = (float)a[i];
        }

        return f;
    }
}

/// <summary>The shape and seed of a generated problem (what FsCheck generates and prints on failure).</summary>
public sealed record GramCase(int N, int P, int T, int XPad, int YPad, WeightKind Weights, GramMode Mode, double Offset, int Seed);
