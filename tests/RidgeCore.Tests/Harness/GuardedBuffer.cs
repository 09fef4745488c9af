using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Xunit.Sdk;

namespace RidgeCore.Tests.Harness;

/// <summary>
/// A native buffer of <typeparamref name="T"/> with guard regions on both sides, for catching kernels that read or
/// write outside the span they were given, and for placing data at a chosen alignment.
/// </summary>
/// <remarks>
/// <para>Layout: <c>[guard: GuardBytes][lead: Offset elements][span: Length elements][guard: GuardBytes]</c>. The block
/// starts on a 64-byte boundary and <see cref="GuardBytes"/> is a multiple of 64, so the span's first element sits at
/// byte <c>Offset·sizeof(T) mod 64</c> of a cache line: offsets 0..7 for double and 0..15 for float visit every
/// element-aligned position in a 64-byte line.</para>
/// <para>Every guard and lead element holds <see cref="Sentinel"/>, a quiet NaN with a payload. That catches both
/// kinds of fault: a stray <em>write</em> changes the bit pattern (<see cref="AssertGuardsIntact"/>), and a stray
/// <em>read</em> that reaches a result turns it into NaN, which no tolerance accepts.</para>
/// </remarks>
public sealed unsafe class GuardedBuffer<T> : IDisposable
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Bytes of guard before and after the data (a multiple of 64 and of any vector width).</summary>
    public const int GuardBytes = 256;

    private const nuint BlockAlignment = 64;

    private T* _block;
    private readonly int _lead;
    private readonly int _total;

    /// <summary>Allocates a buffer of <paramref name="length"/> elements starting <paramref name="offset"/> elements
    /// past a 64-byte boundary. The span's contents are zero.</summary>
    public GuardedBuffer(int length, int offset = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        Length = length;
        Offset = offset;
        int guard = GuardBytes / sizeof(T);
        _lead = guard + offset;
        _total = _lead + length + guard;
        _block = (T*)NativeMemory.AlignedAlloc((nuint)_total * (nuint)sizeof(T), BlockAlignment);
        new Span<T>(_block, _total).Fill(Sentinel);
        Span.Clear();
    }

    /// <summary>A quiet NaN with a recognisable payload (0x7FF8_0000_DEAD_BEEF for double, 0x7FC0_BEEF for float).</summary>
    public static T Sentinel
    {
        get
        {
            if (sizeof(T) == sizeof(double))
            {
                ulong bits = 0x7FF8_0000_DEAD_BEEFUL;
                return Unsafe.As<ulong, T>(ref bits);
            }

            uint single = 0x7FC0_BEEFU;
            return Unsafe.As<uint, T>(ref single);
        }
    }

    /// <summary>Number of elements in the span.</summary>
    public int Length { get; }

    /// <summary>Elements between the 64-byte-aligned end of the leading guard and the span.</summary>
    public int Offset { get; }

    /// <summary>The span's address modulo 64 (bytes).</summary>
    public int AlignmentInCacheLine => (int)((nuint)(_block + _lead) % BlockAlignment);

    /// <summary>The guarded data.</summary>
    public Span<T> Span => new(_block + _lead, Length);

    /// <summary>The address of the span's first element (valid even when the span is empty).</summary>
    public T* Start => _block + _lead;

    /// <summary>The guarded data, read-only.</summary>
    public ReadOnlySpan<T> ReadOnlySpan => new(_block + _lead, Length);

    /// <summary>A buffer holding a copy of <paramref name="data"/> at the given offset.</summary>
    public static GuardedBuffer<T> CopyOf(ReadOnlySpan<T> data, int offset = 0)
    {
        var buffer = new GuardedBuffer<T>(data.Length, offset);
        data.CopyTo(buffer.Span);
        return buffer;
    }

    /// <summary>Throws if any guard or lead element no longer holds the sentinel's exact bits.</summary>
    public void AssertGuardsIntact(string context = "")
    {
        var all = new ReadOnlySpan<T>(_block, _total);
        T sentinel = Sentinel;
        for (int i = 0; i < _total; i++)
        {
            bool inSpan = i >= _lead && i < _lead + Length;
            if (!inSpan && !BitwiseEqual(all[i], sentinel))
            {
                string where = i < _lead ? $"{_lead - i} element(s) before the span" : $"{i - _lead - Length + 1} element(s) after the span";
                throw new XunitException($"Guard region overwritten {where} (length {Length}, offset {Offset}): found {all[i]}. {context}");
            }
        }
    }

    /// <summary>Throws unless the span holds exactly the bits of <paramref name="expected"/> (an operand that must
    /// not be written).</summary>
    public void AssertContentUnchanged(ReadOnlySpan<T> expected, string context = "")
    {
        if (expected.Length != Length)
        {
            throw new XunitException($"Expected {expected.Length} elements, buffer has {Length}. {context}");
        }

        ReadOnlySpan<T> actual = ReadOnlySpan;
        for (int i = 0; i < Length; i++)
        {
            if (!BitwiseEqual(actual[i], expected[i]))
            {
                throw new XunitException($"Read-only operand was written at index {i}: {expected[i]} became {actual[i]} (length {Length}, offset {Offset}). {context}");
            }
        }
    }

    /// <summary>Frees the native block.</summary>
    public void Dispose()
    {
        if (_block != null)
        {
            NativeMemory.AlignedFree(_block);
            _block = null;
        }
    }

    /// <summary>Compares the bit patterns (so NaN payloads and the sign of zero count).</summary>
    public static bool BitwiseEqual(T a, T b)
        => sizeof(T) == sizeof(double)
            ? Unsafe.As<T, ulong>(ref a) == Unsafe.As<T, ulong>(ref b)
            : Unsafe.As<T, uint>(ref a) == Unsafe.As<T, uint>(ref b);
}
