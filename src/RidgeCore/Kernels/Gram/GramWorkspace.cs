using System;
using RidgeCore.Internal;

namespace RidgeCore.Kernels.Gram;

/// <summary>
/// The scratch one worker needs to run the Gram engine over [X | Y] with q columns: the packed panel, a staging row,
/// the chunk's weighted sums and mean, and (float only) the float product block that is merged into double totals.
/// Sized once; the engine allocates nothing per call.
/// </summary>
internal sealed unsafe class GramWorkspace<T> : IDisposable
    where T : unmanaged
{
    private readonly AlignedBuffer<T> _pack;
    private readonly AlignedBuffer<T> _row;
    private readonly AlignedBuffer<double> _sums;
    private readonly AlignedBuffer<T>? _floatProducts;

    public GramWorkspace(int q, int nr, GramBlocking blocking)
    {
        Q = q;
        NR = nr;
        Blocking = blocking;
        Panels = (q + nr - 1) / nr;

        // One k row more than KC for the Chan correction row, and one extra all-zero micro-panel: the A rows of a tile
        // that runs past q point into it, so edge tiles need no special kernel.
        PanelStride = (long)(blocking.KC + 1) * nr;
        _pack = new AlignedBuffer<T>((Panels + 1) * PanelStride);
        _row = new AlignedBuffer<T>((long)(Panels + 1) * nr);
        _sums = new AlignedBuffer<double>(4L * q);
        _floatProducts = typeof(T) == typeof(float) ? new AlignedBuffer<T>((long)q * q) : null;
    }

    public int Q { get; }

    public int NR { get; }

    public int Panels { get; }

    public long PanelStride { get; }

    public GramBlocking Blocking { get; }

    public T* Pack => _pack.Pointer;

    public T* ZeroPanel => _pack.Pointer + (Panels * PanelStride);

    public T* Row => _row.Pointer;

    public double* Sums => _sums.Pointer;

    public double* ChunkMean => _sums.Pointer + Q;

    public double* Delta => _sums.Pointer + (2 * Q);

    /// <summary>q zeros, never written: the "mean" subtracted from the Chan correction row.</summary>
    public double* Zeros => _sums.Pointer + (3 * Q);

    public T* FloatProducts => _floatProducts is null ? null : _floatProducts.Pointer;

    public void ClearFloatProducts() => _floatProducts?.Clear();

    public void Dispose()
    {
        _pack.Dispose();
        _row.Dispose();
        _sums.Dispose();
        _floatProducts?.Dispose();
    }
}
