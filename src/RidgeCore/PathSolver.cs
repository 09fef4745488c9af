namespace RidgeCore;

/// <summary>How <see cref="IterativeRidge.SolvePath"/> solves the ridge problem for each λ of a path.</summary>
public enum PathSolver
{
    /// <summary>Pick per path with the rule documented on <see cref="IterativeRidge.ChoosePathSolver"/>.</summary>
    Auto = 0,

    /// <summary>Warm-started, Jacobi-preconditioned conjugate gradient.</summary>
    ConjugateGradient = 1,

    /// <summary>One Cholesky factorization per λ.</summary>
    Cholesky = 2,
}
