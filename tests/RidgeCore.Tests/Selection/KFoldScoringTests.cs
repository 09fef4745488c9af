using System;
using RidgeCore.Kernels.Selection;
using RidgeCore.Selection;
using RidgeCore.Tests.Eigen;
using Xunit;

namespace RidgeCore.Tests.Selection;

/// <summary>
/// The pieces of the fast k-fold scoring, each against an obviously-correct reference: the tridiagonal reduction
/// (Q·T·Qᵀ = A, QᵀQ = I, T's eigenvalues are A's), the shifted tridiagonal solve (dense elimination), the batched
/// held-out scorer in both training forms (a refit by dense elimination on the training rows, scored row by row on
/// the held-out rows), the fallback to the eigenbasis, and fold accumulators sharing one workspace (bitwise the same
/// statistics). Shapes straddle the register and panel widths of every tier.
/// </summary>
public unsafe class KFoldScoringTests
{
    private const double Eps = 2.220446049250313e-16;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(17)]
    [InlineData(33)]
    [InlineData(64)]
    public void Tridiagonal_form_reconstructs_the_matrix_with_an_orthogonal_basis(int p)
    {
        foreach (double[] a in new[] { SymmetricEigenSolverTests.RandomSymmetric(p, 100 + p, scale: 3), LowRank(p, seed: 7 + p), new double[p * p] })
        {
            var d = new double[p];
            var e = new double[Math.Max(1, p - 1)];
            var qt = new double[p * p];
            using var solver = new SymmetricEigenSolver(p);
            solver.Tridiagonalize(new MatrixView<double>(a, p, p), d, e, qt);

            double norm = 1e-300;
            foreach (double v in a) norm = Math.Max(norm, Math.Abs(v));
            double tolerance = 20 * p * Eps;
            for (int i = 0; i < p; i++)
            {
                for (int j = 0; j < p; j++)
                {
                    // (Q·T·Qᵀ)[i, j] = Σₖ Q[i,k]·(T·Qᵀ)[k, j], with Q[i, k] = qt[k·p + i].
                    double s = 0, g = 0;
                    for (int k = 0; k < p; k++)
                    {
                        double tq = d[k] * qt[(k * p) + j];
                        if (k > 0) tq += e[k - 1] * qt[((k - 1) * p) + j];
                        if (k < p - 1) tq += e[k] * qt[((k + 1) * p) + j];
                        s += qt[(k * p) + i] * tq;
                        g += qt[(i * p) + k] * qt[(j * p) + k];
                    }

                    Assert.True(Math.Abs(s - a[(i * p) + j]) <= tolerance * norm, $"p={p}: (QTQᵀ)[{i},{j}] = {s}, A = {a[(i * p) + j]}");
                    Assert.True(Math.Abs(g - (i == j ? 1 : 0)) <= tolerance, $"p={p}: (QᵀQ)[{i},{j}] = {g}");
                }
            }

            // T's eigenvalues are A's.
            var dense = new double[p * p];
            for (int k = 0; k < p; k++)
            {
                dense[(k * p) + k] = d[k];
                if (k < p - 1) dense[(k * p) + k + 1] = dense[((k + 1) * p) + k] = e[k];
            }

            using var eigenT = new SymmetricEigenSolver(p);
            using var eigenA = new SymmetricEigenSolver(p);
            eigenT.Decompose(new MatrixView<double>(dense, p, p), computeVectors: false);
            eigenA.Decompose(new MatrixView<double>(a, p, p), computeVectors: false);
            for (int k = 0; k < p; k++)
                Assert.True(Math.Abs(eigenT.Values[k] - eigenA.Values[k]) <= tolerance * norm * p, $"p={p}: Λ[{k}] {eigenT.Values[k]} vs {eigenA.Values[k]}");
        }
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(2, 1)]
    [InlineData(3, 5)]
    [InlineData(8, 9)]
    [InlineData(17, 16)]
    [InlineData(64, 7)]
    public void Reflectors_apply_the_same_basis_as_the_formed_one(int p, int columns)
    {
        double[] a = SymmetricEigenSolverTests.RandomSymmetric(p, 300 + p);
        var d = new double[p];
        var e = new double[p];
        var qt = new double[p * p];
        using var solver = new SymmetricEigenSolver(p);
        solver.Tridiagonalize(new MatrixView<double>(a, p, p), d, e, qt);
        var random = new Random(p + columns);
        int stride = columns + 3;
        var z = new double[p * stride];
        for (int i = 0; i < z.Length; i++) z[i] = (2 * random.NextDouble()) - 1;
        var qz = (double[])z.Clone();
        var qtz = (double[])z.Clone();
        var scratch = new double[columns];
        fixed (double* pq = qz, pqt = qtz, ps = scratch)
        {
            solver.ApplyBasis(pq, stride, columns, ps);
            solver.ApplyBasisTransposed(pqt, stride, columns, ps);
        }

        for (int i = 0; i < p; i++)
        {
            for (int c = 0; c < columns; c++)
            {
                double expectQ = 0, expectQt = 0;
                for (int k = 0; k < p; k++)
                {
                    expectQ += qt[(k * p) + i] * z[(k * stride) + c];   // Q[i, k]
                    expectQt += qt[(i * p) + k] * z[(k * stride) + c];  // Qᵀ[i, k]
                }

                Assert.True(Math.Abs(expectQ - qz[(i * stride) + c]) <= 20 * p * Eps, $"p={p}: (QZ)[{i},{c}]");
                Assert.True(Math.Abs(expectQt - qtz[(i * stride) + c]) <= 20 * p * Eps, $"p={p}: (QᵀZ)[{i},{c}]");
            }

            for (int c = columns; c < stride; c++)
            {
                Assert.Equal(z[(i * stride) + c], qz[(i * stride) + c]);   // padding untouched
            }
        }

        // Decompose replaces the reflectors: applying them afterwards is an error, not a silent wrong answer.
        solver.Decompose(new MatrixView<double>(a, p, p));
        Assert.Throws<InvalidOperationException>(() =>
        {
            fixed (double* pq = qz, ps = scratch) solver.ApplyBasis(pq, stride, columns, ps);
        });
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(3, 8)]
    [InlineData(10, 9)]
    [InlineData(31, 17)]
    [InlineData(64, 50)]
    public void Shifted_tridiagonal_solve_equals_dense_elimination_for_every_lambda(int p, int count)
    {
        var random = new Random(p + (100 * count));
        var d = new double[p];
        var e = new double[p];
        for (int i = 0; i < p; i++)
        {
            e[i] = (2 * random.NextDouble()) - 1;
            d[i] = random.NextDouble() * 3;
        }

        // Positive semidefinite by diagonal dominance; every λ > 0 makes it definite.
        for (int i = 0; i < p; i++) d[i] += Math.Abs(i > 0 ? e[i - 1] : 0) + Math.Abs(i < p - 1 ? e[i] : 0);
        int t = 2;
        var rhs = new double[p * t];
        for (int i = 0; i < rhs.Length; i++) rhs[i] = (2 * random.NextDouble()) - 1;
        var grid = new double[count];
        for (int l = 0; l < count; l++) grid[l] = Math.Pow(10, -3 + (5.0 * l / Math.Max(1, count - 1)));
        int stride = (t * (count + 8)) + 1, targetStride = count + 8;   // room for a padded register of λ
        var z = new double[p * stride];
        var scratch = new double[2 * p * ShiftedTridiagonalSolve.MaxLanes];
        fixed (double* pd = d, pe = e, pr = rhs, pz = z, ps = scratch)
        {
            Assert.True(ShiftedTridiagonalSolve.Run(pd, pe, p, grid, 0, pr, t, pz, stride, targetStride, ps));
        }

        for (int l = 0; l < count; l++)
        {
            for (int q = 0; q < t; q++)
            {
                var a = new double[p, p];
                var c = new double[p, 1];
                for (int i = 0; i < p; i++)
                {
                    a[i, i] = d[i] + grid[l];
                    if (i < p - 1) a[i, i + 1] = a[i + 1, i] = e[i];
                    c[i, 0] = rhs[(i * t) + q];
                }

                double[] expected = SelectionProblem.GaussSolve(a, c, p, 1);
                for (int i = 0; i < p; i++)
                    LeaveOneOutTests.AssertRelative(expected[i], z[(i * stride) + (q * targetStride) + l], 1e-11, $"p={p} λ={grid[l]} q={q} z[{i}]");
            }
        }
    }

    [Fact]
    public void Shifted_tridiagonal_solve_refuses_pivots_at_or_below_the_floor()
    {
        var scratch = new double[4 * ShiftedTridiagonalSolve.MaxLanes];
        var z = new double[2 * 16];
        double[] rhs = [1, 1];
        foreach ((double[] d, double lambda, double floor) in new[]
        {
            (new[] { 1.0, -3.0 }, 0.5, 0.0),       // indefinite
            (new[] { 1.0, 1.0 }, 1e-10, 1e-8),     // singular T, λ below the floor
            (new[] { double.NaN, 1.0 }, 1.0, 0.0), // NaN
        })
        {
            double[] e = [1.0];
            fixed (double* pd = d, pe = e, pr = rhs, pz = z, ps = scratch)
            {
                Assert.False(ShiftedTridiagonalSolve.Run(pd, pe, 2, [lambda], floor, pr, 1, pz, 16, 0, ps));
            }
        }
    }

    [Theory]
    [InlineData(1, 1, 1, true, false, false)]
    [InlineData(3, 2, 3, true, true, true)]
    [InlineData(5, 1, 8, false, false, true)]
    [InlineData(9, 3, 9, true, false, true)]
    [InlineData(9, 1, 17, false, true, false)]
    [InlineData(4, 2, 16, true, true, false)]
    public void Held_out_scores_in_both_forms_equal_a_refit_scored_row_by_row(int p, int t, int count, bool intercept, bool standardize, bool weighted)
    {
        var problem = SelectionProblem.Random(n: 90, p, t, seed: (p * 31) + count, weighted, noise: 1.2);
        var grid = new double[count];
        for (int l = 0; l < count; l++) grid[l] = Math.Pow(10, -3 + (4.0 * l / Math.Max(1, count - 1)));
        var held = new bool[problem.N];
        for (int i = 0; i < problem.N; i++) held[i] = i % 3 == 1;
        using GramAccumulator train = Statistics(problem, held, want: false);
        using GramAccumulator heldStats = Statistics(problem, held, want: true);

        var tridiagonal = new double[count * t];
        var tridiagonalR2 = new double[count * t];
        var eigen = new double[count * t];
        var eigenR2 = new double[count * t];
        using var spectral = new SpectralRidge(p, t);
        using var scorer = new HeldOutScorer(p, t, count);
        spectral.LoadTridiagonal(train, intercept, standardize, []);
        Assert.True(scorer.TryScore(spectral, heldStats, grid, tridiagonal, tridiagonalR2));
        spectral.Load(train, intercept, standardize, []);
        Assert.True(scorer.TryScore(spectral, heldStats, grid, eigen, eigenR2));

        var use = new bool[problem.N];
        for (int i = 0; i < problem.N; i++) use[i] = !held[i];
        for (int l = 0; l < count; l++)
        {
            var (theta, b) = problem.Solve(use, intercept, TrainingLoads(problem, use, grid[l], intercept, standardize));
            for (int q = 0; q < t; q++)
            {
                double sse = 0, sw = 0, mean = 0, tss = 0;
                for (int i = 0; i < problem.N; i++)
                {
                    if (!held[i]) continue;
                    double r = problem.Y[(i * t) + q] - problem.Predict(i, q, theta, b);
                    sse += problem.Weight(i) * r * r;
                    sw += problem.Weight(i);
                    mean += problem.Weight(i) * problem.Y[(i * t) + q];
                }

                mean /= sw;
                for (int i = 0; i < problem.N; i++)
                    if (held[i]) tss += problem.Weight(i) * Math.Pow(problem.Y[(i * t) + q] - mean, 2);
                string at = $"λ={grid[l]:G3}, target {q}";
                LeaveOneOutTests.AssertRelative(sse / sw, tridiagonal[(l * t) + q], 1e-9, "tridiagonal " + at);
                LeaveOneOutTests.AssertRelative(sse / sw, eigen[(l * t) + q], 1e-9, "eigen " + at);
                LeaveOneOutTests.AssertRelative(1 - (sse / tss), tridiagonalR2[(l * t) + q], 1e-9, "tridiagonal R² " + at);
                LeaveOneOutTests.AssertRelative(1 - (sse / tss), eigenR2[(l * t) + q], 1e-9, "eigen R² " + at);
            }
        }
    }

    [Fact]
    public void A_lambda_below_the_rounding_of_a_singular_gram_falls_back_to_the_eigenbasis()
    {
        // Column 2 repeats column 0: the scaled Gram is singular, so T + λI has a pivot at rounding level for λ = 1e-20.
        var problem = SelectionProblem.Random(n: 40, p: 3, t: 1, seed: 3, weighted: false);
        for (int i = 0; i < problem.N; i++) problem.X[(i * 3) + 2] = problem.X[i * 3];
        double[] grid = [1e-20, 0.05];
        var fold = new int[problem.N];
        for (int i = 0; i < problem.N; i++) fold[i] = i % 2;
        var held = new bool[problem.N];
        for (int i = 0; i < problem.N; i++) held[i] = fold[i] == 0;
        using GramAccumulator train = Statistics(problem, held, want: false);
        using GramAccumulator heldStats = Statistics(problem, held, want: true);
        using var spectral = new SpectralRidge(3, 1);
        using var scorer = new HeldOutScorer(3, 1, grid.Length);
        var mse = new double[2];
        var r2 = new double[2];
        spectral.LoadTridiagonal(train, true, false, []);
        Assert.False(scorer.TryScore(spectral, heldStats, grid, mse, r2));
        spectral.Load(train, true, false, []);
        Assert.True(scorer.TryScore(spectral, heldStats, grid, mse, r2));

        // RidgeCV takes the same fallback: its fold-0 scores are the eigenbasis scores (its fold statistics come from
        // batched Adds, so they agree to rounding, not bitwise).
        RidgeSearchResult result = RidgeCV.KFold(problem.XView, problem.YView, grid, new RidgeOptions(), fold);
        LeaveOneOutTests.AssertRelative(mse[0], result.FoldScores[0], 1e-9, "λ = 1e-20");
        LeaveOneOutTests.AssertRelative(mse[1], result.FoldScores[1], 1e-9, "λ = 0.05");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_constant_column_dropped_by_standardization_scores_like_a_refit(bool intercept)
    {
        // Column 1 is constant: standardizing drops it (scale 0), which leaves a zero row and column in the scaled Gram
        // that the tridiagonal path must carry through to θ₁ = 0.
        var problem = SelectionProblem.Random(n: 120, p: 4, t: 1, seed: 21, weighted: true);
        for (int i = 0; i < problem.N; i++) problem.X[(i * 4) + 1] = 2.5;
        double[] grid = [1e-3, 0.1, 3];
        var fold = new int[problem.N];
        for (int i = 0; i < problem.N; i++) fold[i] = (i * 7) % 3;
        var options = new RidgeOptions { Standardize = true, FitIntercept = intercept };
        RidgeSearchResult result = RidgeCV.KFold(problem.XView, problem.YView, grid, options, fold, problem.W!);
        for (int f = 0; f < 3; f++)
        {
            int nt = 0;
            foreach (int id in fold) nt += id == f ? 0 : 1;
            var xs = new double[nt * 4];
            var ys = new double[nt];
            var ws = new double[nt];
            for (int i = 0, a = 0; i < problem.N; i++)
            {
                if (fold[i] == f) continue;
                Array.Copy(problem.X, i * 4, xs, a * 4, 4);
                ys[a] = problem.Y[i];
                ws[a++] = problem.Weight(i);
            }

            for (int l = 0; l < grid.Length; l++)
            {
                RidgeModel model = Ridge.Fit(new MatrixView<double>(xs, nt, 4), new MatrixView<double>(ys, nt, 1), new RidgeOptions { Lambda = grid[l], Standardize = true, FitIntercept = intercept }, ws);
                double sse = 0, sw = 0;
                var prediction = new double[1];
                for (int i = 0; i < problem.N; i++)
                {
                    if (fold[i] != f) continue;
                    model.Predict(problem.XView.SliceRows(i, 1), prediction);
                    sse += problem.Weight(i) * Math.Pow(problem.Y[i] - prediction[0], 2);
                    sw += problem.Weight(i);
                }

                LeaveOneOutTests.AssertRelative(sse / sw, result.FoldScores[(f * grid.Length) + l], 1e-9, $"fold {f}, λ={grid[l]}");
            }
        }
    }

    [Fact]
    public void Accumulators_sharing_one_workspace_hold_bitwise_the_same_statistics()
    {
        var random = new Random(12);
        int p = 11, t = 2, n = 1500;
        var x = new double[n * p];
        var y = new double[n * t];
        var w = new double[n];
        for (int i = 0; i < x.Length; i++) x[i] = 3 + random.NextDouble();
        for (int i = 0; i < y.Length; i++) y[i] = random.NextDouble() - 7;
        for (int i = 0; i < n; i++) w[i] = random.NextDouble();
        float[] xf = Array.ConvertAll(x, v => (float)v), yf = Array.ConvertAll(y, v => (float)v), wf = Array.ConvertAll(w, v => (float)v);
        var own = new[] { new GramAccumulator(p, t), new GramAccumulator(p, t), new GramAccumulator(p, t) };
        var shared = new[] { new GramAccumulator(p, t), new GramAccumulator(p, t), new GramAccumulator(p, t) };
        try
        {
            shared[1].BorrowWorkspaces(shared[0]);
            shared[2].BorrowWorkspaces(shared[0]);
            shared[0].BorrowWorkspaces(shared[0]); // borrowing from itself is a no-op
            for (int start = 0, k = 0; start < n; k++)
            {
                int rows = Math.Min(n - start, 1 + random.Next(600));
                int f = k % 3;
                foreach (GramAccumulator[] set in new[] { own, shared })
                {
                    if (k % 2 == 0)
                        set[f].Add(new MatrixView<double>(x, n, p).SliceRows(start, rows), new MatrixView<double>(y, n, t).SliceRows(start, rows), w.AsSpan(start, rows));
                    else
                        set[f].Add(new MatrixView<float>(xf, n, p).SliceRows(start, rows), new MatrixView<float>(yf, n, t).SliceRows(start, rows), wf.AsSpan(start, rows));
                }

                start += rows;
            }

            for (int f = 0; f < 3; f++)
            {
                Assert.Equal(own[f].WeightSum, shared[f].WeightSum);
                Assert.Equal(own[f].MeanX.ToArray(), shared[f].MeanX.ToArray());
                Assert.Equal(own[f].MeanY.ToArray(), shared[f].MeanY.ToArray());
                double[] a = new double[p * p], b = new double[p * p];
                own[f].CopyCxx(a);
                shared[f].CopyCxx(b);
                Assert.Equal(a, b);
                a = new double[p * t];
                b = new double[p * t];
                own[f].CopyCxy(a);
                shared[f].CopyCxy(b);
                Assert.Equal(a, b);
            }
        }
        finally
        {
            foreach (GramAccumulator g in own) g.Dispose();
            foreach (GramAccumulator g in shared) g.Dispose();
        }
    }

    /// <summary>A p × p matrix B·Bᵀ of rank about p/2 (zero eigenvalues).</summary>
    private static double[] LowRank(int p, int seed)
    {
        var random = new Random(seed);
        int r = Math.Max(1, p / 2);
        var b = new double[p * r];
        for (int i = 0; i < b.Length; i++) b[i] = (2 * random.NextDouble()) - 1;
        var a = new double[p * p];
        for (int i = 0; i < p; i++)
            for (int j = 0; j < p; j++)
                for (int k = 0; k < r; k++)
                    a[(i * p) + j] += b[(i * r) + k] * b[(j * r) + k];
        return a;
    }

    /// <summary>Centered statistics of the rows where held[i] == want.</summary>
    private static GramAccumulator Statistics(SelectionProblem problem, bool[] held, bool want)
    {
        var stats = new GramAccumulator(problem.P, problem.T);
        for (int i = 0; i < problem.N; i++)
        {
            if (held[i] != want) continue;
            stats.Add(problem.XView.SliceRows(i, 1), problem.YView.SliceRows(i, 1), [problem.Weight(i)]);
        }

        return stats;
    }

    /// <summary>The training set's own penalty loads: Σw·λ, or λ·Σw(x − x̄)² when standardizing (raw Σw·x² without an
    /// intercept), over the used rows.</summary>
    private static double[] TrainingLoads(SelectionProblem problem, bool[] use, double lambda, bool intercept, bool standardize)
    {
        int p = problem.P;
        double sw = problem.WeightSum(use);
        var load = new double[p];
        for (int j = 0; j < p; j++)
        {
            if (!standardize)
            {
                load[j] = lambda * sw;
                continue;
            }

            double mean = 0;
            if (intercept)
                for (int i = 0; i < problem.N; i++) if (use[i]) mean += problem.Weight(i) * problem.X[(i * p) + j] / sw;
            double s = 0;
            for (int i = 0; i < problem.N; i++)
                if (use[i]) s += problem.Weight(i) * Math.Pow(problem.X[(i * p) + j] - mean, 2);
            load[j] = lambda * s;
        }

        return load;
    }
}
