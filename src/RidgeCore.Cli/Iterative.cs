namespace RidgeCore.Cli;

/// <summary>Logistic regression and the iterative solvers for <c>ridge fit</c>: the bridge to the library's
/// LogisticRegression, IterativeRidge and SgdRegressor.</summary>
internal static class Iterative
{
    /// <summary>What <c>ridge bench</c> says in the SGD row.</summary>
    public static string SgdBenchmarkNote => "not available in this build (needs the library's SgdRegressor)";

    public static FitOutcome FitLogistic(FitSettings s, TrainingData data)
        => throw new UsageException("--loss logistic is not available in this build: it needs the library's LogisticRegression.");

    public static FitOutcome FitSquared(FitSettings s, TrainingData data)
        => throw new UsageException($"--solver {s.Solver} is not available in this build: it needs the library's iterative solvers.");
}
