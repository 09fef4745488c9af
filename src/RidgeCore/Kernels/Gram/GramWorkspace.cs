using System;
using RidgeCore.Internal;

namespace RidgeCore.Kernels.Gram;

/// <summary>
/// The scratch one worker needs to run the Gram engine over [X | Y] with q columns: the packed panel, a staging row,
/// the chunk's shift and weighted sums, per-row weights, the pending Chan downdates (double) and the float product
/// block that is merged into double totals (float). Sized once; the engine allocates nothing per call.
/// </summary>
internal sealed unsafe class GramWorkspace<T> : IDisposable
    where T : unmanaged
{
    /// <summary>Chunks whose rank-one Chan downdates are collected before one subtracting macro-kernel pass applies
    /// them together (double only). Sixteen keeps that pass at about 1/16 of a pass over C per chunk.</summary>
    public const int MaxPendingDowndates = 16;

    private readonly AlignedBuffer<T> _pack;
    private readonly AlignedBuffer<T> _row;
    private readonly AlignedBuffer<double> _vectors;
    private readonly AlignedBuffer<T>? _downdates;
    private readonly AlignedBuffer<T>? _floatProducts;

    public GramWorkspace(int q, int nr, GramBlocking blocking)
    {
        Q = q;
        NR = nr;
        Blocking = blocking;
        Panels = (q + nr - 1) / nr;
        PaddedQ = Panels * nr;

        // One extra all-zero micro-panel: the A rows of a tile that runs past q point into it, so edge tiles need no
        // special kernel. It is also at least MaxPendingDowndates rows deep, for the downdate pass.
        PanelStride = (long)Math.Max(blocking.KC, MaxPendingDowndates) * nr;
        _pack = new AlignedBuffer<T>((Panels + 1) * PanelStride);
        _row = new AlignedBuffer<T>(2L * GramPacking.RowBlock * PaddedQ);
        _vectors = new AlignedBuffer<double>((3L * PaddedQ) + (2L * blocking.KC));
        DowndateStride = (long)MaxPendingDowndates * nr;
        _downdates = typeof(T) == typeof(double) ? new AlignedBuffer<T>(Panels * DowndateStride) : null;
        _floatProducts = typeof(T) == typeof(float) ? new AlignedBuffer<T>((long)q * q) : null;
    }

    public int Q { get; }

    public int NR { get; }

    public int Panels { get; }

    /// <summary>q rounded up to whole micro-panels; the shift and sums vectors are this long, zero past q.</summary>
    public int PaddedQ { get; }

    public long PanelStride { get; }

    public long DowndateStride { get; }

    public GramBlocking Blocking { get; }

    public T* Pack => _pack.Pointer;

    public T* ZeroPanel => _pack.Pointer + (Panels * PanelStride);

    /// <summary>Two sets of staging rows (each one block of <see cref="GramPacking.RowBlock"/> rows) for the last
    /// micro-panels: x tail, y, zero padding; the padding is never written.</summary>
    public T* Row => _row.Pointer;

    /// <summary>Σ wᵢ·(vᵢ − s) over the chunk, <see cref="PaddedQ"/> values.</summary>
    public double* Sums => _vectors.Pointer;

    /// <summary>The shift s subtracted while packing, <see cref="PaddedQ"/> values, zero past q.</summary>
    public double* Shift => _vectors.Pointer + PaddedQ;

    /// <summary>The chunk's mean offset m = sums / W_b, <see cref="PaddedQ"/> values.</summary>
    public double* Offset => _vectors.Pointer + (2 * PaddedQ);

    /// <summary>wᵢ for the KC rows being packed.</summary>
    public double* RowWeights => _vectors.Pointer + (3 * PaddedQ);

    /// <summary>√wᵢ for the KC rows being packed.</summary>
    public double* RowScales => _vectors.Pointer + (3 * PaddedQ) + Blocking.KC;

    /// <summary>Pending downdate rows √g·m in micro-panel layout (double only).</summary>
    public T* Downdates => _downdates is null ? null : _downdates.Pointer;

    public T* FloatProducts => _floatProducts is null ? null : _floatProducts.Pointer;

    public void ClearShift() => new Span<double>(Shift, PaddedQ).Clear();

    public void ClearFloatProducts() => _floatProducts?.Clear();

    public void Dispose()
    {
        _pack.Dispose();
        _row.Dispose();
        _vectors.Dispose();
        _downdates?.Dispose();
        _floatProducts?.Dispose();
    }
}
