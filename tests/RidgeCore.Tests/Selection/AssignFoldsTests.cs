using System;
using System.Linq;
using Xunit;

namespace RidgeCore.Tests.Selection;

/// <summary><see cref="RidgeCV.AssignFolds"/> is the assignment seeded k-fold uses: a search given its fold numbers
/// equals the seeded search, the folds are balanced to within about one chunk of consecutive rows, and bad k is refused.</summary>
public class AssignFoldsTests
{
    private static readonly double[] Grid = [1e-3, 0.1, 10];

    [Theory]
    [InlineData(57, 2, 1)]       // row by row (chunks of one)
    [InlineData(103, 5, 11)]
    [InlineData(3000, 4, 1)]     // chunks of 11 consecutive rows
    public void A_search_on_the_assigned_folds_equals_the_seeded_search(int n, int folds, int seed)
    {
        var problem = SelectionProblem.Random(n: n, p: 3, t: 1, seed: 2, weighted: false);
        int[] ids = RidgeCV.AssignFolds(n, folds, seed);
        Assert.Equal(n, ids.Length);
        RidgeSearchResult seeded = RidgeCV.KFold(problem.XView, problem.YView, Grid, new RidgeOptions(), folds, seed);
        RidgeSearchResult given = RidgeCV.KFold(problem.XView, problem.YView, Grid, new RidgeOptions(), ids);
        for (int i = 0; i < seeded.FoldScores.Length; i++)
        {
            LeaveOneOutTests.AssertRelative(seeded.FoldScores[i], given.FoldScores[i], 1e-12, $"fold score {i}");
        }

        // Folds get chunk counts that differ by at most one, and one fold's last chunk may be short (n is rarely a
        // multiple of the chunk): sizes differ by at most one chunk plus what the short chunk lacks.
        int chunk = Math.Clamp(n / (64 * folds), 1, 256);
        int shortBy = (chunk - (n % chunk)) % chunk;
        int[] sizes = [.. Enumerable.Range(0, folds).Select(f => ids.Count(id => id == f))];
        Assert.True(sizes.Max() - sizes.Min() <= chunk + shortBy, $"fold sizes {string.Join(", ", sizes)} differ by more than {chunk} + {shortBy}");
        Assert.Equal(ids, RidgeCV.AssignFolds(n, folds, seed));                 // deterministic
        Assert.NotEqual(ids, RidgeCV.AssignFolds(n, folds, seed + 1));          // and seed-dependent
    }

    [Theory]
    [InlineData(10, 1)]
    [InlineData(10, 11)]
    public void Fold_counts_outside_2_to_n_are_refused(int n, int folds)
    {
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => RidgeCV.AssignFolds(n, folds, 1));
        Assert.Equal("folds", e.ParamName);
    }
}
