using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;

namespace RidgeCore.Cli.Tests;

/// <summary>A minimal PNG decoder for test screenshots: 8-bit RGB or RGBA, non-interlaced (what Chromium writes).</summary>
internal sealed class PngImage
{
    private PngImage(int width, int height, byte[] rgb)
    {
        Width = width;
        Height = height;
        Rgb = rgb;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Three bytes per pixel, row by row.</summary>
    public byte[] Rgb { get; }

    public static PngImage Decode(byte[] png)
    {
        if (png.Length < 8 || png[1] != (byte)'P' || png[2] != (byte)'N' || png[3] != (byte)'G')
        {
            throw new InvalidDataException("not a PNG file");
        }

        int pos = 8, width = 0, height = 0, colorType = 0;
        using var idat = new MemoryStream();
        while (pos + 8 <= png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            string type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            ReadOnlySpan<byte> data = png.AsSpan(pos + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                if (data[8] != 8 || data[12] != 0 || (data[9] != 2 && data[9] != 6))
                {
                    throw new InvalidDataException($"unsupported PNG: bit depth {data[8]}, color type {data[9]}, interlace {data[12]}");
                }

                colorType = data[9];
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }

            pos += 12 + length;
        }

        int channels = colorType == 6 ? 4 : 3, stride = width * channels;
        idat.Position = 0;
        using var inflater = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new byte[height * (stride + 1)];
        inflater.ReadExactly(raw);
        var rgb = new byte[width * height * 3];
        var previous = new byte[stride];
        var current = new byte[stride];
        for (int y = 0; y < height; y++)
        {
            byte filter = raw[y * (stride + 1)];
            Array.Copy(raw, (y * (stride + 1)) + 1, current, 0, stride);
            for (int i = 0; i < stride; i++)
            {
                int a = i >= channels ? current[i - channels] : 0, b = previous[i], c = i >= channels ? previous[i - channels] : 0;
                int predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"bad filter {filter}"),
                };
                current[i] = (byte)(current[i] + predictor);
            }

            for (int x = 0; x < width; x++)
            {
                for (int k = 0; k < 3; k++)
                {
                    rgb[(((y * width) + x) * 3) + k] = current[(x * channels) + k];
                }
            }

            (previous, current) = (current, previous);
        }

        return new PngImage(width, height, rgb);
    }

    /// <summary>Fraction of pixels that are not (nearly) white, and the number of distinct colors.</summary>
    public (double Ink, int Colors) Statistics()
    {
        int ink = 0;
        var colors = new HashSet<int>();
        for (int i = 0; i < Rgb.Length; i += 3)
        {
            if (Rgb[i] < 240 || Rgb[i + 1] < 240 || Rgb[i + 2] < 240)
            {
                ink++;
            }

            colors.Add((Rgb[i] << 16) | (Rgb[i + 1] << 8) | Rgb[i + 2]);
        }

        return ((double)ink / (Width * Height), colors.Count);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
