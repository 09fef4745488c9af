using System;
using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace RidgeCore.Tests.Gram;

/// <summary>Serialize / Deserialize: bit-exact round trips, and FormatException for anything that is not a record.</summary>
public class GramSerializationTests
{
    /// <summary>
    /// The deserialized accumulator is indistinguishable from the original: same shape and mode, every statistic bit
    /// for bit, the same bytes when serialized again, and the same bytes after both take the same further batch.
    /// </summary>
    [Property(MaxTest = 60)]
    public Property Serialize_then_Deserialize_round_trips_bit_exactly() =>
        Prop.ForAll(
            Arb.From(from c in GramGenerators.Cases(GramGenerators.WorkBudget / 4)
                     from isFloat in Gen.Elements(false, true)
                     select (c, isFloat)),
            ci =>
            {
                (GramCase c, bool isFloat) = ci;
                GramProblem pr = GramProblem.Random(c, isFloat);
                int half = c.N / 2;
                using var acc = new GramAccumulator(c.P, c.T, c.Mode);
                pr.AddTo(acc, 0, half);
                byte[] bytes = GramPropertyTests.Serialized(acc);
                Assert.Equal(acc.GetSerializedSize(), bytes.Length);

                using GramAccumulator back = GramAccumulator.Deserialize(bytes);
                Assert.Equal((c.P, c.T, c.Mode), (back.Features, back.Targets, back.Mode));
                GramAssert.BitwiseEqual(GramStats.Of(acc), GramStats.Of(back), c.ToString());
                GramAssert.SameBytes(bytes, GramPropertyTests.Serialized(back), "re-serialized");

                pr.AddTo(acc, half, c.N - half);
                pr.AddTo(back, half, c.N - half);
                GramAssert.SameBytes(GramPropertyTests.Serialized(acc), GramPropertyTests.Serialized(back), $"{c} after a further batch");
            });

    [Fact]
    public void Serialize_writes_exactly_the_announced_size_and_nothing_beyond()
    {
        using var acc = new GramAccumulator(3, 2);
        GramProblem.Random(new GramCase(50, 3, 2, 0, 0, WeightKind.Positive, GramMode.Centered, 10, 3), false).AddTo(acc);
        int size = acc.GetSerializedSize();
        Assert.Equal(32 + (8 * 5) + (8 * 15), size); // header, q means, q(q+1)/2 lower-triangle entries
        byte[] buffer = new byte[size + 16];
        buffer.AsSpan().Fill(0xA5);
        Assert.Equal(size, acc.Serialize(buffer.AsSpan(0, size + 16)));
        Assert.All(buffer[size..], b => Assert.Equal(0xA5, b));

        // The documented layout: magic "RCGA", version 1, flags bit 0 = centered, p, t, rows, Σw.
        Assert.Equal("RCGA"u8.ToArray(), buffer[..4]);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(4)));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(6)));
        Assert.Equal(3, BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(8)));
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(12)));
        Assert.Equal(50, BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(16)));
        Assert.Equal(acc.WeightSum, BinaryPrimitives.ReadDoubleLittleEndian(buffer.AsSpan(24)));

        var e = Assert.Throws<ArgumentException>(() => acc.Serialize(new byte[size - 1]));
        Assert.Equal("destination", e.ParamName);
    }

    [Fact]
    public void Every_truncation_of_a_record_throws_FormatException()
    {
        foreach (GramMode mode in new[] { GramMode.Centered, GramMode.Uncentered })
        {
            using var acc = new GramAccumulator(3, 2, mode);
            GramProblem.Random(new GramCase(20, 3, 2, 0, 0, WeightKind.None, mode, 1, 4), false).AddTo(acc);
            byte[] bytes = GramPropertyTests.Serialized(acc);
            for (int len = 0; len < bytes.Length; len++)
            {
                byte[] prefix = bytes[..len];
                Assert.Throws<FormatException>(() => GramAccumulator.Deserialize(prefix));
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(0xFFFF)]
    public void A_record_of_another_version_throws_FormatException(int version)
    {
        byte[] bytes = SmallRecord();
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), (ushort)version);
        Assert.Throws<FormatException>(() => GramAccumulator.Deserialize(bytes));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_record_with_a_damaged_magic_throws_FormatException(int index)
    {
        byte[] bytes = SmallRecord();
        bytes[index] ^= 0x20;
        Assert.Throws<FormatException>(() => GramAccumulator.Deserialize(bytes));
    }

    /// <summary>Header fields outside what Serialize can write: unknown flag bits, p or t below 1, p + t above the limit.</summary>
    [Theory]
    [InlineData(6, 2)] // flags bit 1
    [InlineData(6, 0x8001)]
    [InlineData(8, 0)] // p = 0
    [InlineData(8, -3)]
    [InlineData(12, 0)] // t = 0
    [InlineData(12, int.MinValue)]
    [InlineData(8, 40_000)] // p + t = 40 002
    [InlineData(12, 39_999)]
    public void A_record_with_an_impossible_shape_or_flags_throws_FormatException(int offset, int value)
    {
        byte[] bytes = SmallRecord();
        if (offset == 6)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(6), (ushort)value);
        }
        else
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(offset), value);
        }

        Assert.Throws<FormatException>(() => GramAccumulator.Deserialize(bytes));
    }

    [Fact]
    public void Random_garbage_throws_FormatException()
    {
        var rng = new Random(11);
        foreach (int len in new[] { 0, 1, 3, 4, 31, 32, 33, 64, 232, 1000 })
        {
            for (int k = 0; k < 20; k++)
            {
                byte[] junk = new byte[len];
                rng.NextBytes(junk);
                Assert.Throws<FormatException>(() => GramAccumulator.Deserialize(junk));
            }
        }

        // Garbage behind a valid magic and version: shape fields are then random too.
        for (int k = 0; k < 200; k++)
        {
            byte[] junk = new byte[64];
            rng.NextBytes(junk);
            "RCGA"u8.CopyTo(junk);
            BinaryPrimitives.WriteUInt16LittleEndian(junk.AsSpan(4), 1);
            BinaryPrimitives.WriteInt32LittleEndian(junk.AsSpan(8), 1 + rng.Next(40));
            BinaryPrimitives.WriteInt32LittleEndian(junk.AsSpan(12), 1 + rng.Next(40));
            Assert.Throws<FormatException>(() => GramAccumulator.Deserialize(junk));
        }
    }

    /// <summary>
    /// A record whose header is well formed but whose counts cannot come from Serialize: a negative row count, or a
    /// weight sum that is negative, NaN or infinite. Deserializing such bytes yields an accumulator whose statistics are
    /// meaningless (and which poisons every merge), so it should be rejected as garbage.
    /// </summary>
    [Theory]
    [InlineData(16, -1.0)] // rows = -1 (written as an integer)
    [InlineData(24, -1.0)] // Σw < 0
    [InlineData(24, double.NaN)]
    [InlineData(24, double.PositiveInfinity)]
    public void A_record_with_impossible_counts_throws_FormatException(int offset, double value)
    {
        byte[] bytes = SmallRecord();
        if (offset == 16)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(16), (long)value);
        }
        else
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(24), value);
        }

        Assert.Throws<FormatException>(() => GramAccumulator.Deserialize(bytes));
    }

    private static byte[] SmallRecord()
    {
        using var acc = new GramAccumulator(2, 1);
        GramProblem.Random(new GramCase(10, 2, 1, 0, 0, WeightKind.None, GramMode.Centered, 1, 5), false).AddTo(acc);
        byte[] bytes = GramPropertyTests.Serialized(acc);
        using GramAccumulator ok = GramAccumulator.Deserialize(bytes); // the unmodified record is accepted
        return bytes;
    }
}
