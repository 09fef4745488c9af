using System;
using System.Numerics;

namespace RidgeCore.Factorizations;

/// <summary>
/// The storage of <see cref="CholeskyFactor"/>: the lower triangle of a p × p matrix packed into the micro-panel
/// format of the Gram tile kernels, so that the factorization runs on them without ever packing or unpacking.
/// </summary>
/// <remarks>
/// <para>Micro-panel I holds rows i ∈ [I·NR, I·NR + NR) of the matrix, transposed: element (i, k) sits at
/// <c>PanelOffset(I) + k·NR + (i − I·NR)</c>. Row k of a micro-panel ("packed row k") is therefore column k of NR
/// consecutive matrix rows, one contiguous run of NR values: a B micro-panel for the tile kernel, and, read with stride NR,
/// the A operand of any MR rows. The tile's C block (rows j … j + MR − 1 of column block I) is MR consecutive packed rows
/// of micro-panel I: one contiguous MR·NR block, written with leading dimension NR.</para>
/// <para>Micro-panel I stores packed rows 0 … (I + 1)·NR + MR − 1: every k ≤ i of its rows, plus MR rows of padding so a
/// tile that starts at the diagonal may run past it. Entries with k &gt; i (the upper triangle and the padding) and the lanes
/// past p in the last micro-panel are scratch: they are zeroed on every copy-in, the kernels may write into them, and
/// nothing valid is ever computed from them (lanes never mix, and a scratch entry feeds only packed rows above the
/// diagonal of its own lane). The total is p²/2 + O(p·NR) elements, half of a full p × p copy.</para>
/// </remarks>
internal readonly struct PackedLowerLayout
{
    private readonly int _shift;

    public PackedLowerLayout(int order, int nr, int mr)
    {
        // Every family's NR (two vectors, or 4 in scalar code) is a power of two: i / NR and i % NR are a shift and a
        // mask, not two integer divisions (IndexOf runs once per row in the factorization's setup loops).
        if (!BitOperations.IsPow2(nr))
        {
            throw new ArgumentOutOfRangeException(nameof(nr), nr, "The micro-panel width must be a power of two.");
        }

        _shift = BitOperations.Log2((uint)nr);
        Order = order;
        NR = nr;
        Pad = mr;
        Panels = (order + nr - 1) / nr;
    }

    /// <summary>The matrix order p.</summary>
    public int Order { get; }

    /// <summary>The micro-panel width (rows of the matrix per micro-panel).</summary>
    public int NR { get; }

    /// <summary>Padding rows at the end of each micro-panel (the tile height MR).</summary>
    public int Pad { get; }

    /// <summary>The number of micro-panels.</summary>
    public int Panels { get; }

    /// <summary>The total number of elements.</summary>
    public long Length => PanelOffset(Panels);

    /// <summary>The packed rows stored in micro-panel <paramref name="panel"/>.</summary>
    public int PanelRows(int panel) => ((panel + 1) * NR) + Pad;

    /// <summary>Where micro-panel <paramref name="panel"/> starts: NR · Σ_{J&lt;I} ((J + 1)·NR + Pad).</summary>
    public long PanelOffset(int panel) => (long)NR * ((((long)NR * panel * (panel + 1)) >> 1) + ((long)panel * Pad));

    /// <summary>Where element (i, k), k ≤ i, is stored.</summary>
    public long IndexOf(int i, int k) => PanelOffset(i >> _shift) + ((long)k * NR) + (i & (NR - 1));
}
