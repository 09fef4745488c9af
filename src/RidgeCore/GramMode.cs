namespace RidgeCore;

/// <summary>Whether a <see cref="GramAccumulator"/> centers the data (for fits with an intercept) or not.</summary>
public enum GramMode
{
    /// <summary>Weighted means are removed: the statistics are centered co-moments Σ wᵢ(xᵢ − x̄)(xᵢ − x̄)ᵀ.</summary>
    Centered = 0,

    /// <summary>Raw cross products XᵀWX, XᵀWY and YᵀWY, for fits without an intercept; means are reported as zero.</summary>
    Uncentered = 1,
}
