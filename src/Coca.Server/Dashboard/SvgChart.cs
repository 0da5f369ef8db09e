using System.Globalization;
using System.Text;

namespace Coca.Server.Dashboard;

/// <summary>One line of a chart: its name (the legend's) and its points, x ascending.</summary>
internal sealed record ChartSeries(string Name, IReadOnlyList<(double X, double Y)> Points);

/// <summary>
/// Charts drawn on the server as inline SVG: axes with ticks at round values, the unit on the y axis, a title and a
/// legend. No script and nothing fetched: the page's own figures table carries the numbers.
/// </summary>
internal static class SvgChart
{
    private const int Width = 760, Height = 300, Left = 64, Right = 16, Top = 28, Bottom = 44;

    /// <summary>Lines over x; <paramref name="xTicks"/> places the x ticks (<see cref="Ticks"/> unless given, <see cref="SecondsTicks"/> for elapsed time).</summary>
    public static string Lines(string id, string title, string yUnit, string xTitle, IReadOnlyList<ChartSeries> series, Func<double, string> xLabel,
        Func<double, double, double[]>? xTicks = null)
    {
        var points = series.SelectMany(s => s.Points).ToList();
        if (points.Count == 0) return $"<p class=\"muted\">{Html.E(title)}: no figures to plot.</p>";
        var (x0, x1) = (points.Min(p => p.X), points.Max(p => p.X));
        if (x1 <= x0) x1 = x0 + 1;
        var yTicks = Ticks(Math.Min(0, points.Min(p => p.Y)), points.Max(p => p.Y));
        var (y0, y1) = (yTicks[0], yTicks[^1]);
        var b = Start(id, title);
        Axes(b, yTicks, yUnit, xTitle, y0, y1);
        foreach (var t in (xTicks ?? Ticks)(x0, x1).Where(t => t >= x0 && t <= x1))
        {
            var x = X(t, x0, x1);
            b.Append(Inv($"<line x1=\"{x:0.#}\" y1=\"{Height - Bottom}\" x2=\"{x:0.#}\" y2=\"{Height - Bottom + 4}\" stroke=\"currentColor\"/>"))
                .Append(Inv($"<text x=\"{x:0.#}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">")).Append(Html.E(xLabel(t))).Append("</text>");
        }
        for (var i = 0; i < series.Count; i++)
        {
            if (series[i].Points.Count == 0) continue;
            b.Append("<polyline fill=\"none\" stroke-width=\"1.6\" class=\"s").Append(i % 8).Append("\" points=\"");
            foreach (var (px, py) in series[i].Points) b.Append(Inv($"{X(px, x0, x1):0.#},{Y(py, y0, y1):0.#} "));
            b.Append("\"><title>").Append(Html.E(series[i].Name)).Append("</title></polyline>");
        }
        Legend(b, series.Select(s => s.Name).ToList());
        return b.Append("</svg>").ToString();
    }

    public static string Bars(string id, string title, string yUnit, IReadOnlyList<(string Label, double? Value)> bars)
    {
        var known = bars.Where(v => v.Value is not null).Select(v => v.Value!.Value).ToList();
        if (known.Count == 0) return $"<p class=\"muted\">{Html.E(title)}: no figures to plot.</p>";
        var yTicks = Ticks(Math.Min(0, known.Min()), known.Max());
        var (y0, y1) = (yTicks[0], yTicks[^1]);
        var b = Start(id, title);
        Axes(b, yTicks, yUnit, "", y0, y1);
        var slot = (double)(Width - Left - Right) / bars.Count;
        var every = Math.Max(1, (int)Math.Ceiling(bars.Count / 12.0));
        for (var i = 0; i < bars.Count; i++)
        {
            var x = Left + i * slot;
            if (bars[i].Value is { } v)
            {
                var top = Y(Math.Max(v, 0), y0, y1);
                var bottom = Y(Math.Min(v, 0), y0, y1);
                b.Append(Inv($"<rect class=\"f0\" x=\"{x + slot * 0.15:0.#}\" y=\"{top:0.#}\" width=\"{slot * 0.7:0.#}\" height=\"{Math.Max(bottom - top, 0.5):0.#}\">"))
                    .Append("<title>").Append(Html.E(bars[i].Label)).Append(": ").Append(Html.Num(v)).Append(' ').Append(Html.E(yUnit)).Append("</title></rect>");
            }
            if (i % every == 0)
            {
                b.Append(Inv($"<text x=\"{x + slot / 2:0.#}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">")).Append(Html.E(bars[i].Label)).Append("</text>");
            }
        }
        return b.Append("</svg>").ToString();
    }

    /// <summary>Round tick values covering [min, max]: steps of 1, 2 or 5 times a power of ten, about five of them.</summary>
    public static double[] Ticks(double min, double max)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max)) return [0, 1];
        if (max <= min) max = min + (min == 0 ? 1 : Math.Abs(min));
        var raw = (max - min) / 5;
        var power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 5, 10 }.Select(m => m * power).First(s => s >= raw);
        // Each tick is a whole number of steps, rounded to the step's decimals: 0.3, not 0.30000000000000004.
        var decimals = Math.Clamp(-(int)Math.Floor(Math.Log10(step)), 0, 15);
        var ticks = new List<double>();
        for (var k = Math.Floor(min / step); k * step < max + step * 0.999; k++) ticks.Add(Math.Round(k * step, decimals));
        return [.. ticks];
    }

    /// <summary>Ticks for elapsed seconds at steps a clock reads well: 1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min, 1, 2, 3, 6, 12 h, days.</summary>
    public static double[] SecondsTicks(double min, double max)
    {
        double[] steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
        var raw = Math.Max((max - min) / 6, 1e-9);
        var step = steps.FirstOrDefault(s => s >= raw, Math.Ceiling(raw / 86400) * 86400);
        var ticks = new List<double>();
        for (var t = Math.Ceiling(min / step) * step; t <= max; t += step) ticks.Add(t);
        return [.. ticks];
    }

    private static StringBuilder Start(string id, string title) =>
        new StringBuilder().Append(Inv($"<svg id=\"{id}\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-labelledby=\"{id}-title\">"))
            .Append("<title id=\"").Append(id).Append("-title\">").Append(Html.E(title)).Append("</title>")
            .Append(Inv($"<text x=\"{Left}\" y=\"16\" font-weight=\"600\">")).Append(Html.E(title)).Append("</text>");

    private static void Axes(StringBuilder b, double[] yTicks, string yUnit, string xTitle, double y0, double y1)
    {
        b.Append(Inv($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"currentColor\"/>"))
            .Append(Inv($"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"currentColor\"/>"));
        foreach (var t in yTicks)
        {
            var y = Y(t, y0, y1);
            b.Append(Inv($"<line x1=\"{Left - 4}\" y1=\"{y:0.#}\" x2=\"{Width - Right}\" y2=\"{y:0.#}\" stroke=\"currentColor\" stroke-opacity=\"0.15\"/>"))
                .Append(Inv($"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">")).Append(Html.Num(t)).Append("</text>");
        }
        b.Append(Inv($"<text transform=\"translate(14 {(Top + Height - Bottom) / 2}) rotate(-90)\" text-anchor=\"middle\">")).Append(Html.E(yUnit)).Append("</text>");
        if (xTitle.Length > 0) b.Append(Inv($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 6}\" text-anchor=\"middle\">")).Append(Html.E(xTitle)).Append("</text>");
    }

    private static void Legend(StringBuilder b, IReadOnlyList<string> names)
    {
        var x = Left + 260.0;
        for (var i = 0; i < names.Count && i < 8; i++)
        {
            b.Append(Inv($"<line x1=\"{x:0.#}\" y1=\"12\" x2=\"{x + 16:0.#}\" y2=\"12\" stroke-width=\"3\" class=\"s{i % 8}\"/>"))
                .Append(Inv($"<text x=\"{x + 20:0.#}\" y=\"16\">")).Append(Html.E(names[i].Length > 22 ? names[i][..21] + "…" : names[i])).Append("</text>");
            x += 24 + Math.Min(names[i].Length, 22) * 6.5;
        }
    }

    private static double X(double v, double x0, double x1) => Left + (v - x0) / (x1 - x0) * (Width - Left - Right);

    private static double Y(double v, double y0, double y1) => Height - Bottom - (v - y0) / (y1 - y0) * (Height - Top - Bottom);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
