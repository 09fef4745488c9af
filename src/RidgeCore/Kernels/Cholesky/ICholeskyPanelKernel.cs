namespace RidgeCore.Kernels.Cholesky;

/// <summary>
/// The per-family vector kernels of the Cholesky factor that are not matrix products (those run on the Gram tile
/// kernels): the leaf triangular solve of the blocked factorization and the two streaming loops of the triangular
/// solves. All of them work on the packed lower storage described in <see cref="Factorizations.PackedLowerLayout"/>:
/// a micro-panel holds NR rows of the matrix, element (i, k) at <c>k·NR + i mod NR</c>, so NR consecutive rows of one
/// column are one contiguous run of NR values (two vectors of the family).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal unsafe interface ICholeskyPanelKernel<T>
    where T : unmanaged
{
    /// <summary>The micro-panel width; equal to the NR of the family's Gram tile.</summary>
    static abstract int NR { get; }

    /// <summary>The leaf width (rows solved at once); equal to the MR of the family's Gram tile.</summary>
    static abstract int MR { get; }

    /// <summary>
    /// Solves the MR packed rows <c>z[r·NR .. r·NR + NR)</c>, r &lt; MR, in place against the MR × MR leaf factor:
    /// row r becomes <c>(z_r + Σ_{t&lt;r} f[r·MR + t] · z_t) · f[r·MR + r]</c>, where the factor holds the negated
    /// off-diagonal entries −L[r, t] and the reciprocal diagonal 1/L[r, r]. Lanes below <paramref name="skipLanes"/>
    /// (rows of the matrix at or above the leaf's diagonal block) are left as they were.
    /// </summary>
    /// <param name="z">Row K of one micro-panel, K being the first column of the leaf.</param>
    /// <param name="factor">The MR × MR leaf factor, row-major, negated below the diagonal, reciprocal on it.</param>
    /// <param name="skipLanes">The number of leading lanes to leave untouched (0 for a panel wholly below the leaf).</param>
    static abstract void SolveLeaf(T* z, T* factor, int skipLanes);

    /// <summary>acc[0 .. NR) −= Σ_{k &lt; rows} x[k] · panel[k·NR .. k·NR + NR): the part of a forward substitution that
    /// one micro-panel receives from the unknowns already solved.</summary>
    /// <param name="panel">The first row of the micro-panel.</param>
    /// <param name="rows">The number of packed rows (columns of the matrix) to combine.</param>
    /// <param name="x">The solved unknowns x[0 .. rows).</param>
    /// <param name="acc">NR accumulators, updated in place.</param>
    static abstract void SubtractCombination(T* panel, nint rows, T* x, T* acc);

    /// <summary>z[k] −= Σ_{c &lt; NR} panel[k·NR + c] · x[c] for k &lt; rows: what one micro-panel's solved unknowns
    /// take from the earlier unknowns in a back substitution with the transposed factor.</summary>
    /// <param name="panel">The first row of the micro-panel.</param>
    /// <param name="rows">The number of packed rows to update.</param>
    /// <param name="x">The micro-panel's NR solved unknowns (zero beyond the matrix order).</param>
    /// <param name="z">The right-hand side being reduced, z[0 .. rows).</param>
    static abstract void SubtractRowDots(T* panel, nint rows, T* x, T* z);
}
