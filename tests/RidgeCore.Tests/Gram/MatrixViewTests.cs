using System;
using Xunit;

namespace RidgeCore.Tests.Gram;

/// <summary>MatrixView validates its shape against the data it is given, and reads row i at i · stride.</summary>
public class MatrixViewTests
{
    [Theory]
    [InlineData(-1, 2, 2, "rows")]
    [InlineData(int.MinValue, 2, 2, "rows")]
    [InlineData(2, -1, 2, "columns")]
    [InlineData(2, 3, 2, "rowStride")]
    [InlineData(2, 3, -1, "rowStride")]
    public void Negative_dimensions_and_short_strides_throw_ArgumentOutOfRangeException(int rows, int columns, int stride, string param)
    {
        double[] data = new double[100];
        Assert.Equal(param, Assert.Throws<ArgumentOutOfRangeException>(() => new MatrixView<double>(data, rows, columns, stride)).ParamName);
        if (stride == columns || param != "rowStride")
        {
            Assert.Equal(param, Assert.Throws<ArgumentOutOfRangeException>(() => new MatrixView<double>(data, rows, columns)).ParamName);
        }
    }

    /// <summary>The data must hold (rows − 1)·stride + columns values: the last row needs no padding, one fewer fails.</summary>
    [Theory]
    [InlineData(1, 3, 3)]
    [InlineData(1, 3, 10)]
    [InlineData(4, 3, 3)]
    [InlineData(4, 3, 7)]
    [InlineData(7, 1, 5)]
    public void Data_must_cover_the_last_element(int rows, int columns, int stride)
    {
        int needed = ((rows - 1) * stride) + columns;
        var ok = new MatrixView<float>(new float[needed], rows, columns, stride);
        Assert.Equal((rows, columns, stride), (ok.Rows, ok.Columns, ok.RowStride));
        var e = Assert.Throws<ArgumentException>(() => new MatrixView<float>(new float[needed - 1], rows, columns, stride));
        Assert.Equal("data", e.ParamName);
        if (stride == columns)
        {
            Assert.Equal("data", Assert.Throws<ArgumentException>(() => new MatrixView<double>(new double[needed - 1], rows, columns)).ParamName);
        }
    }

    [Fact]
    public void Empty_shapes_need_no_data()
    {
        var v = new MatrixView<double>(ReadOnlySpan<double>.Empty, 0, 5, 7);
        Assert.Equal(0, v.Rows);
        var w = new MatrixView<double>(ReadOnlySpan<double>.Empty, 3, 0, 0);
        Assert.Equal(3, w.Rows);
    }

    [Fact]
    public void Indexer_rows_and_slices_use_the_stride()
    {
        double[] data = new double[(2 * 5) + 3];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = i;
        }

        var v = new MatrixView<double>(data, 3, 3, 5);
        Assert.Equal(11, v[2, 1]);
        Assert.Equal(new double[] { 5, 6, 7 }, v.Row(1).ToArray());
        MatrixView<double> s = v.SliceRows(1, 2);
        Assert.Equal((2, 3, 5), (s.Rows, s.Columns, s.RowStride));
        Assert.Equal(10, s[1, 0]);
        Assert.Equal(0, v.SliceRows(3, 0).Rows);
        Assert.Equal("row", Assert.Throws<ArgumentOutOfRangeException>(() => _ = View(data)[3, 0]).ParamName);
        Assert.Equal("column", Assert.Throws<ArgumentOutOfRangeException>(() => _ = View(data)[0, 3]).ParamName);
        Assert.Equal("row", Assert.Throws<ArgumentOutOfRangeException>(() => _ = View(data)[-1, 0]).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => View(data).SliceRows(2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => View(data).SliceRows(-1, 1));
    }

    private static MatrixView<double> View(double[] data) => new(data, 3, 3, 5);
}
