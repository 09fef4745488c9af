namespace RidgeCore.Cli;

/// <summary>λ selection for <c>ridge fit</c> (leave-one-out, GCV, K-fold): the bridge to the library's RidgeCV.</summary>
internal static class Search
{
    public static FitOutcome Fit(FitSettings s, TrainingData data)
        => throw new UsageException(
            "choosing λ (no --lambda, or --lambdas/--loo/--gcv/--cv) is not available in this build: it needs the library's λ search (RidgeCV). Give a fixed --lambda L.");
}
