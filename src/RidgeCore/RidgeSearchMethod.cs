namespace RidgeCore;

/// <summary>How a <see cref="RidgeSearchResult"/> scored its λ grid.</summary>
public enum RidgeSearchMethod
{
    /// <summary>Exact leave-one-out (PRESS) residuals eᵢ/(1 − hᵢᵢ) from one batched pass over the data
    /// (<see cref="RidgeCV.LeaveOneOut(MatrixView{double}, MatrixView{double}, System.ReadOnlySpan{double}, RidgeOptions)"/>).</summary>
    LeaveOneOut = 0,

    /// <summary>Generalized cross-validation (Golub, Heath and Wahba), from the statistics alone
    /// (<see cref="RidgeCV.Gcv(GramAccumulator, System.ReadOnlySpan{double}, RidgeOptions)"/>).</summary>
    GeneralizedCrossValidation = 1,

    /// <summary>k-fold cross-validation from per-fold statistics
    /// (<see cref="RidgeCV.KFold(MatrixView{double}, MatrixView{double}, System.ReadOnlySpan{double}, RidgeOptions, int, int)"/>).</summary>
    KFold = 2,
}
