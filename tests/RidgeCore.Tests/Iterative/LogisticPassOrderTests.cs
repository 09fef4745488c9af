using System;
using System.Linq;
using RidgeCore.Iterative;
using Xunit;

namespace RidgeCore.Tests.Iterative;

/// <summary>
/// The row order of a logistic pass over all rows (<see cref="LogisticEngine.StreamOrder"/>): X read as
/// <see cref="LogisticEngine.PassStreams"/> runs of consecutive rows at once. It must visit every row exactly once,
/// whatever n, and each group of four consecutive entries must take one row from each run, in storage order within the
/// run, so that the hardware sees four sequential streams.
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
    [InlineData(100_000)]
    public void Every_row_once_as_interleaved_runs_then_the_remainder(int n)
    {
        int[] order = new int[n];
        LogisticEngine.StreamOrder(order);

        Assert.Equal(Enumerable.Range(0, n), order.OrderBy(i => i));

        int streams = LogisticEngine.PassStreams, per = n / streams;
        Assert.Equal(4, streams);
        for (int i = 0; i < per; i++)
        {
            for (int s = 0; s < streams; s++)
            {
                Assert.Equal((s * per) + i, order[(i * streams) + s]);
            }
        }

        for (int k = streams * per; k < n; k++)
        {
            Assert.Equal(k, order[k]);
        }
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
