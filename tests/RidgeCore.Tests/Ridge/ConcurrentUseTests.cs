using System;
using System.Collections.Generic;
using System.Threading;
using RidgeCore.Tests.Gram;
using Xunit;

namespace RidgeCore.Tests.RidgeEstimator;

/// <summary>
/// The library keeps no shared mutable state: many threads calling the public entry points at once, each with its own
/// objects (accumulators, solvers, factors, regressors) over shared read-only data, get bitwise the results one thread
/// gets. A scratch buffer made static, a cache filled without synchronisation or a workspace shared between instances
/// would show up here as a differing result or an exception.
/// </summary>
public class ConcurrentUseTests
{
    private const int Rows = 600;
    private const int Features = 21;
    private const int Threads = 8;
    private const int Rounds = 3;

    /// <summary>Eight threads start together (a barrier) and run every job three times, each thread in its own rotated
    /// order so that different kernels overlap; every result must equal the one computed first on the test thread.
    /// </summary>
    [Fact]
    public void Public_entry_points_give_one_threads_bits_when_many_threads_call_them_at_once()
    {
        (string Name, Func<double[]> Run)[] jobs = Jobs();
        var expected = new double[jobs.Length][];
        for (int j = 0; j < jobs.Length; j++)
        {
            expected[j] = jobs[j].Run();
            Assert.True(expected[j].Length > 0, jobs[j].Name);
            Assert.All(expected[j], v => Assert.True(double.IsFinite(v), $"{jobs[j].Name} gave a non-finite value"));
        }

        var failures = new List<string>();
        using var start = new Barrier(Threads);
        var threads = new Thread[Threads];
        for (int t = 0; t < Threads; t++)
        {
            int offset = t;
            threads[t] = new Thread(() =>
            {
                start.SignalAndWait();
                for (int round = 0; round < Rounds; round++)
                {
                    for (int k = 0; k < jobs.Length; k++)
                    {
                        int j = (k + offset + round) % jobs.Length;
                        string? problem = null;
                        try
                        {
                            double[] actual = jobs[j].Run();
                            if (!actual.AsSpan().SequenceEqual(expected[j]))
                            {
                                problem = $"{jobs[j].Name}: thread {offset}, round {round} differs from one thread";
                            }
                        }
                        catch (Exception e)
                        {
                            problem = $"{jobs[j].Name}: thread {offset}, round {round} threw {e.GetType().Name}: {e.Message}";
                        }

                        if (problem is not null)
                        {
                            lock (failures)
                            {
                                failures.Add(problem);
                            }
                        }
                    }
                }
            });
            threads[t].Start();
        }

        foreach (Thread thread in threads)
        {
            Assert.True(thread.Join(TimeSpan.FromMinutes(5)), "a thread did not finish in five minutes");
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    /// <summary>Every job builds its own objects from the shared data and returns its result as numbers.</summary>
    private static (string Name, Func<double[]> Run)[] Jobs()
    {
        var rng = new Random(2024);
        var x = new double[Rows * Features];
        var y = new double[Rows];
        var labels = new double[Rows];
        var weights = new double[Rows];
        var beta = new double[Features];
        for (int j = 0; j < Features; j++)
        {
            beta[j] = rng.NextDouble() - 0.5;
        }

        for (int i = 0; i < Rows; i++)
        {
            double m = 0.3;
            for (int j = 0; j < Features; j++)
            {
                x[(i * Features) + j] = (2 * rng.NextDouble()) - 1 + (j == 3 ? 5 : 0);
                m += x[(i * Features) + j] * beta[j];
            }

            y[i] = m + (0.1 * (rng.NextDouble() - 0.5));
            labels[i] = rng.NextDouble() < 1 / (1 + Math.Exp(-m)) ? 1 : 0;
            weights[i] = 0.5 + rng.NextDouble();
        }

        float[] xf = Array.ConvertAll(x, v => (float)v);
        float[] yf = Array.ConvertAll(y, v => (float)v);
        // MatrixView is a ref struct, so each job makes its views of the shared arrays.
        MatrixView<double> xv() => new(x, Rows, Features);
        MatrixView<double> yv() => new(y, Rows, 1);
        double[] lambdas = [1e-3, 1e-2, 1e-1, 1];

        // 40 000 rows make a striped Add (its helpers run on the thread pool, shared by every test thread).
        GramProblem big = GramProblem.Random(new GramCase(40_000, 6, 1, 1, 0, WeightKind.Positive, GramMode.Centered, 10, 77), isFloat: false);

        return
        [
            ("GramAccumulator.Add, weighted", () =>
            {
                using var acc = new GramAccumulator(Features, 1);
                acc.Add(xv(), yv(), weights);
                return Bytes(acc);
            }),
            ("GramAccumulator.Add, float", () =>
            {
                using var acc = new GramAccumulator(Features, 1);
                acc.Add(new MatrixView<float>(xf, Rows, Features), new MatrixView<float>(yf, Rows, 1));
                return Bytes(acc);
            }),
            ("GramAccumulator.Add, striped over two threads", () =>
            {
                using var acc = new GramAccumulator(6, 1) { DegreeOfParallelism = 2 };
                big.AddTo(acc);
                return Bytes(acc);
            }),
            ("Ridge.Fit", () =>
            {
                RidgeModel model = Ridge.Fit(xv(), yv(), new RidgeOptions { Lambda = 0.01 });
                return [.. model.Coefficients, .. model.Intercepts];
            }),
            ("RidgeSolver.Fit, weighted", () =>
            {
                using var solver = new RidgeSolver(Features);
                solver.Fit(xv(), yv(), new RidgeOptions { Lambda = 0.05 }, weights);
                return [.. solver.Coefficients, .. solver.Intercepts];
            }),
            ("RidgeCV.LeaveOneOut", () =>
            {
                RidgeSearchResult r = RidgeCV.LeaveOneOut(xv(), yv(), lambdas, new RidgeOptions());
                return [.. r.Scores, r.BestLambda, .. r.Model.Coefficients];
            }),
            ("RidgeCV.KFold", () =>
            {
                RidgeSearchResult r = RidgeCV.KFold(xv(), yv(), lambdas, new RidgeOptions(), folds: 5, seed: 3);
                return [.. r.Scores, r.BestLambda];
            }),
            ("CholeskyFactor", () =>
            {
                using var acc = new GramAccumulator(Features, 1);
                acc.Add(xv(), yv());
                var c = new double[Features * Features];
                acc.CopyCxx(c);
                using var factor = new CholeskyFactor(Features);
                factor.Factor(new MatrixView<double>(c, Features, Features), 1.0);
                var b = new double[Features];
                Array.Fill(b, 1.0);
                factor.Solve(b);
                return [.. b, factor.LogDeterminant()];
            }),
            ("IterativeRidge.ConjugateGradient", () =>
            {
                IterativeFitResult r = IterativeRidge.ConjugateGradient(xv(), y, new IterativeRidgeOptions { Lambda = 0.01 });
                return [.. r.Coefficients, r.Intercept];
            }),
            ("SgdRegressor.Fit", () =>
            {
                var sgd = new SgdRegressor(new SgdOptions { Lambda = 1e-3, MaxEpochs = 5, Tolerance = null, Seed = 9, Average = true });
                IterativeFitResult r = sgd.Fit(xv(), y);
                return [.. r.Coefficients, r.Intercept];
            }),
            ("SgdRegressor.Fit, shuffled once (a copy rented from the shared pool)", () =>
            {
                var sgd = new SgdRegressor(new SgdOptions { Lambda = 1e-3, MaxEpochs = 4, Tolerance = null, Seed = 10, Shuffle = SgdShuffle.Once });
                IterativeFitResult r = sgd.Fit(xv(), y);
                return [.. r.Coefficients, r.Intercept];
            }),
            ("LogisticRegression.Fit", () =>
            {
                LogisticModel m = LogisticRegression.Fit(xv(), labels, new LogisticOptions { Lambda = 1e-3 }, weights);
                return [.. m.Coefficients, m.Intercept];
            }),
        ];
    }

    private static double[] Bytes(GramAccumulator acc)
    {
        byte[] bytes = GramPropertyTests.Serialized(acc);
        var result = new double[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            result[i] = bytes[i];
        }

        return result;
    }
}
