using System;
using System.Runtime.InteropServices;

namespace RidgeCore.Internal;

/// <summary>A 64-byte-aligned native buffer of <typeparamref name="T"/>, zeroed on allocation, freed on dispose or
/// finalization. Native memory keeps the packed panels out of the GC heap and lets hot loops use raw pointers.</summary>
internal sealed unsafe class AlignedBuffer<T> : IDisposable
    where T : unmanaged
{
    private T* _ptr;

    public AlignedBuffer(long length)
    {
        Length = length;
        nuint bytes = (nuint)Math.Max(1, length) * (nuint)sizeof(T);
        _ptr = (T*)NativeMemory.AlignedAlloc(bytes, 64);
        NativeMemory.Clear(_ptr, bytes);
    }

    ~AlignedBuffer() => Free();

    public long Length { get; }

    public T* Pointer => _ptr;

    public Span<T> Span => new(_ptr, checked((int)Length));

    public void Clear() => NativeMemory.Clear(_ptr, (nuint)Length * (nuint)sizeof(T));

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        if (_ptr != null)
        {
            NativeMemory.AlignedFree(_ptr);
            _ptr = null;
        }
    }
}
