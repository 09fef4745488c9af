using System;
using System.Linq;
using RidgeCore.Kernels.Iterative;
using Xunit;

namespace RidgeCore.Tests.Iterative;

/// <summary>
/// The row order of a pass over all rows with <c>streams</c> set (the logistic fit's passes, the iterative ridge
/// solvers' passes over X): X read as <see cref="BatchGradientKernel.Streams"/> runs of consecutive rows at once. The
/// pass must equal, bit for bit, the indexed pass over the order it documents (each group of four rows takes one row
/// of each run, in storage order within the run; the count mod 4 rows past the last run come last), which visits every
/// row exactly once.
/// </summary>
public sealed class LogisticPassOrderTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(33)]
    [InlineData(1000)]
    [InlineData(1001)]
    [InlineData(1002)]
    [InlineData(1003)]
    public void A_streamed_pass_is_the_indexed_pass_over_interleaved_runs_then_the_remainder(int n)
    {
        const int p = 13, first = 2;
        Assert.Equal(4, BatchGradientKernel.Streams);
        int per = n / 4;
        var order = new int[n];
        for (int i = 0; i < per; i++)
        {
            for (int s = 0; s < 4; s++)
            {
                order[(4 * i) + s] = first + (s * per) + i;
            }
        }

        for (int k = 4 * per; k < n; k++)
        {
            order[k] = first + k;
        }

        Assert.Equal(Enumerable.Range(first, n), order.OrderBy(i => i));

        var random = new Random(n);
        double[] x = [.. Enumerable.Range(0, (n + first) * p).Select(_ => (random.NextDouble() * 2) - 1)];
        double[] y = [.. Enumerable.Range(0, n + first).Select(_ => (double)random.Next(2))];
        double[] w = [.. Enumerable.Range(0, n + first).Select(_ => 0.5 + random.NextDouble())];
        double[] v = [.. Enumerable.Range(0, p).Select(_ => random.NextDouble() - 0.5)];
        double[] gStreams = new double[p], gIndexed = new double[p];
        double[] mStreams = new double[n + first], mIndexed = new double[n + first];
        ref double x0 = ref x[0];
        BatchSums<double> streamed = BatchGradientKernel.Run(
            new LogisticLoss<double>(), ref x0, p, p, default, first, n, y, w, v, 1.0, 0.25, gStreams, computeLoss: true, margins: mStreams, streams: true);
        BatchSums<double> indexed = BatchGradientKernel.Run(
            new LogisticLoss<double>(), ref x0, p, p, order, 0, n, y, w, v, 1.0, 0.25, gIndexed, computeLoss: true, margins: mIndexed);

        Assert.Equal(indexed, streamed);
        Assert.Equal(gIndexed, gStreams);
        Assert.Equal(mIndexed, mStreams);
    }

    /// <summary>A fit over all rows stops where the gradient of the objective over every row vanishes, computed here
    /// naively: a pass order that skipped a row (the remainder past the last run, say) would stop elsewhere. n is large
    /// enough for the accelerated path (subsample levels, then chord passes over all rows).</summary>
    [Theory]
    [InlineData(4099)]
    [InlineData(4100)]
    [InlineData(6003)]
    public void The_fit_zeroes_the_gradient_over_every_row(int n)
    {
        const int p = 3;
        const double lambda = 1e-3;
        var random = new Random(n);
        double[] x = new double[n * p];
        double[] y = new double[n];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (random.NextDouble() * 2) - 1;
        }

        for (int i = 0; i < n; i++)
        {
            y[i] = random.NextDouble() < 1 / (1 + Math.Exp(-(x[i * p] - x[(i * p) + 1]))) ? 1 : 0;
        }

        // The last rows (the remainder of n / 4) get labels against the model, so leaving them out moves the optimum.
        for (int i = n - (n % 4) - 1; i < n; i++)
        {
            y[i] = x[i * p] > 0 ? 0 : 1;
        }

        LogisticModel model = LogisticRegression.Fit(new MatrixView<double>(x, n, p), y, new LogisticOptions { Lambda = lambda });
        double[] g = new double[p];
        double gb = 0;
        for (int i = 0; i < n; i++)
        {
            double m = model.Intercept;
            for (int j = 0; j < p; j++)
            {
                m += x[(i * p) + j] * model.Coefficients[j];
            }

            double r = (1 / (1 + Math.Exp(-m))) - y[i];
            gb += r / n;
            for (int j = 0; j < p; j++)
            {
                g[j] += r * x[(i * p) + j] / n;
            }
        }

        Assert.True(Math.Abs(gb) < 1e-8, $"intercept gradient {gb:E3}");
        for (int j = 0; j < p; j++)
        {
            double total = g[j] + (2 * lambda * model.Coefficients[j]);
            Assert.True(Math.Abs(total) < 1e-8, $"gradient component {j}: {total:E3}");
        }
    }
}
