using System.Buffers.Binary;
using SkiaSharp;

namespace Coca.Cli.Tests;

/// <summary>A PNG as a test checks it: the signature and IHDR read by hand, the pixels decoded to count colours.</summary>
internal sealed class PngImage
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private readonly Dictionary<SKColor, int> _colours = [];

    public PngImage(byte[] bytes)
    {
        Assert.True(bytes.Length > 33 && bytes.AsSpan(0, 8).SequenceEqual(Signature), "not a PNG: the signature is wrong");
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4)); // the first chunk, always
        Width = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16));
        Height = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20));
        using var bitmap = SKBitmap.Decode(bytes);
        Assert.True(bitmap is not null, "the PNG does not decode");
        Assert.Equal((Width, Height), (bitmap.Width, bitmap.Height));
        foreach (var p in bitmap.Pixels) _colours[p] = _colours.GetValueOrDefault(p) + 1;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>The share of pixels that are not the most common colour (the background): 0 for a blank image.</summary>
    public double Drawn => 1 - _colours.Values.Max() / (double)(Width * Height);

    /// <summary>How many pixels are within a small distance of <paramref name="hex"/> (anti-aliasing blurs edges, not fills).</summary>
    public int PixelsNear(string hex)
    {
        var c = SKColor.Parse(hex);
        return _colours.Where(p => Math.Abs(p.Key.Red - c.Red) + Math.Abs(p.Key.Green - c.Green) + Math.Abs(p.Key.Blue - c.Blue) < 24).Sum(p => p.Value);
    }
}
