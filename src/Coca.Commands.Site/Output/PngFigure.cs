using ScottPlot;

namespace Coca.Commands.Site.Output;

/// <summary>
/// What every PNG figure shares: one sans-serif family (DejaVu Sans, Debian's fonts-dejavu-core, which SkiaSharp finds
/// without fontconfig) and the encoding. PNG because most mail clients show no SVG; files and pages keep their SVG.
/// </summary>
internal static class PngFigure
{
    public const string Font = "DejaVu Sans";

    public static Plot New()
    {
        var plot = new Plot();
        plot.Font.Set(Font);
        return plot;
    }

    public static byte[] Encode(Plot plot, int width, int height) => plot.GetImageBytes(width, height, ImageFormat.Png);
}
