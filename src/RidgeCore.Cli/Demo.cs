using System;
using System.Globalization;
using System.IO;

namespace RidgeCore.Cli;

/// <summary>
/// <c>ridge demo</c>: the statistics a ridge fit starts from (column means, centred sums of squares, correlations),
/// computed with <see cref="VectorPrimitives"/> on a small synthetic design whose columns are chosen to be awkward.
/// </summary>
internal static class Demo
{
    private const int Rows = 2000;
    private const int Seed = 20261;

    public static void Run(TextWriter output)
    {
        output.WriteLine(KernelSelection.Report);
        output.WriteLine();

        (string Name, double[] Values)[] columns = MakeDesign(out double[] y);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Synthetic design: {Rows} rows x {columns.Length} columns (seed {Seed}); y = 2*x1 - 3*(x2 - 1e8) + 500*x4 + N(0, 0.5^2)."));
        output.WriteLine();

        double[] ones = new double[Rows];
        Array.Fill(ones, 1.0);
        double[] yc = Centre(y, ones, out double yMean);
        double syy = VectorPrimitives.SumOfSquares(yc);

        var centred = new double[columns.Length][];
        output.WriteLine("column                   mean        std dev    corr(x, y)   one-pass var   centred var");
        for (int j = 0; j < columns.Length; j++)
        {
            double[] x = columns[j].Values;
            centred[j] = Centre(x, ones, out double mean);
            double sxx = VectorPrimitives.SumOfSquares(centred[j]);
            double sxy = VectorPrimitives.Dot(centred[j], yc);

            // The textbook one-pass formula (Σx² − n·x̄²)/(n − 1) loses every digit on a column with a large offset;
            // centring first (what RidgeCore's Gram step does) keeps them.
            double onePass = (VectorPrimitives.SumOfSquares(x) - (Rows * mean * mean)) / (Rows - 1);
            double variance = sxx / (Rows - 1);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{columns[j].Name,-18} {mean,14:G9} {Math.Sqrt(variance),12:G6} {sxy / Math.Sqrt(sxx * syy),11:F4}   {onePass,12:G4}   {variance,11:G4}"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"y",-18} {yMean,14:G9} {Math.Sqrt(syy / (Rows - 1)),12:G6}"));
        output.WriteLine();

        output.WriteLine("Correlation matrix of the columns:");
        output.Write("      ");
        for (int j = 0; j < columns.Length; j++)
        {
            output.Write(string.Create(CultureInfo.InvariantCulture, $"{"x" + (j + 1),9}"));
        }

        output.WriteLine();
        for (int i = 0; i < columns.Length; i++)
        {
            output.Write(string.Create(CultureInfo.InvariantCulture, $"{"x" + (i + 1),-6}"));
            double sii = VectorPrimitives.SumOfSquares(centred[i]);
            for (int j = 0; j < columns.Length; j++)
            {
                double r = VectorPrimitives.Dot(centred[i], centred[j]) / Math.Sqrt(sii * VectorPrimitives.SumOfSquares(centred[j]));
                output.Write(string.Create(CultureInfo.InvariantCulture, $"{r,9:F4}"));
            }

            output.WriteLine();
        }

        output.WriteLine();
        output.WriteLine("Ridge fitting itself (Gram, Cholesky, lambda selection) arrives with later issues.");
    }

    /// <summary>x − x̄, computed as a copy of x plus (−x̄)·1 with <see cref="VectorPrimitives.Axpy(double, ReadOnlySpan{double}, Span{double})"/>.</summary>
    private static double[] Centre(double[] x, double[] ones, out double mean)
    {
        mean = VectorPrimitives.Mean(x);
        double[] centred = (double[])x.Clone();
        VectorPrimitives.Axpy(-mean, ones, centred);
        return centred;
    }

    private static (string Name, double[] Values)[] MakeDesign(out double[] y)
    {
        var rng = new Random(Seed);
        double[] x1 = new double[Rows], x2 = new double[Rows], x3 = new double[Rows], x4 = new double[Rows], x5 = new double[Rows];
        y = new double[Rows];
        for (int i = 0; i < Rows; i++)
        {
            x1[i] = Uniform(rng);
            x2[i] = 1e8 + Uniform(rng);                 // large common offset, small spread
            x3[i] = x1[i] + (0.01 * Gaussian(rng));     // nearly collinear with x1
            x4[i] = 1e-3 * Gaussian(rng);               // a column measured in small units
            x5[i] = Gaussian(rng);                      // unrelated to y
            y[i] = (2 * x1[i]) - (3 * (x2[i] - 1e8)) + (500 * x4[i]) + (0.5 * Gaussian(rng));
        }

        return [("x1 uniform", x1), ("x2 offset 1e8", x2), ("x3 ~ x1", x3), ("x4 scale 1e-3", x4), ("x5 noise", x5)];
    }

    private static double Uniform(Random rng) => (2 * rng.NextDouble()) - 1;

    private static double Gaussian(Random rng)
    {
        // Box–Muller; 1 − U avoids log(0).
        double u = 1 - rng.NextDouble(), v = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }
}
