using System.Globalization;
using System.Net;
using System.Text;
namespace Coca.Core.Analysis;

/// <summary>
/// The trade-off as an SVG figure: energy (kWh) across, the metric up, every run a dot, the Pareto front a line through
/// its runs (highlighted), the best run ringed, and the marginal step labelled. Plain SVG 1.1: any browser shows it.
/// Pure text, for <c>coca tradeoff --plot</c> and the dashboard's job page; <c>highlight</c> rings one run in blue
/// (the page's own job).
/// </summary>
public static class TradeoffSvg
{
    private const double Width = 720, Height = 480, Left = 80, Right = 30, Top = 40, Bottom = 60;

    public static string Render(TradeoffResult r, string? highlight = null)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" viewBox="0 0 {Width} {Height}" font-family="sans-serif" font-size="12">""").Append('\n');
        svg.Append("""<rect width="100%" height="100%" fill="white"/>""").Append('\n');
        var title = $"{r.Metric} against energy ({(r.Maximize ? "higher" : "lower")} is better): {r.Points.Count} runs, {r.Pareto.Count} on the front";
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Width / 2}" y="22" text-anchor="middle" font-size="14">{Esc(title)}</text>""").Append('\n');

        var (x0, x1) = Range(r.Points.Select(p => p.EnergyKwh));
        var (y0, y1) = Range(r.Points.Select(p => p.Value));
        double X(double kwh) => Left + (kwh - x0) / (x1 - x0) * (Width - Left - Right);
        double Y(double v) => Height - Bottom - (v - y0) / (y1 - y0) * (Height - Top - Bottom);

        Axes(svg, x0, x1, y0, y1, X, Y, r.Metric);
        var front = r.Pareto.Select(id => r.Points.First(p => p.Id == id)).ToList();
        if (front.Count > 1)
        {
            svg.Append("""<polyline fill="none" stroke="#d62728" stroke-width="2" points=""").Append('"')
                .Append(string.Join(' ', front.Select(p => F(X(p.EnergyKwh)) + "," + F(Y(p.Value))))).Append("\"/>\n");
        }
        foreach (var p in r.Points)
        {
            var onFront = r.Pareto.Contains(p.Id);
            svg.Append(CultureInfo.InvariantCulture, $"""<circle cx="{F(X(p.EnergyKwh))}" cy="{F(Y(p.Value))}" r="{(onFront ? 5 : 4)}" fill="{(onFront ? "#d62728" : "#7f7f7f")}"><title>{Esc($"{p.Id}: {F(p.EnergyKwh)} kWh, {r.Metric} {F(p.Value)}")}</title></circle>""").Append('\n');
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{F(X(p.EnergyKwh) + 7)}" y="{F(Y(p.Value) - 6)}" fill="#444" font-size="10">{Esc(p.Id)}</text>""").Append('\n');
        }
        if (r.Best is { } best && r.Points.FirstOrDefault(p => p.Id == best) is { } b)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<circle cx="{F(X(b.EnergyKwh))}" cy="{F(Y(b.Value))}" r="9" fill="none" stroke="#d62728" stroke-width="1.5"/>""").Append('\n');
        }
        if (highlight is not null && r.Points.FirstOrDefault(p => p.Id == highlight) is { } h)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<circle cx="{F(X(h.EnergyKwh))}" cy="{F(Y(h.Value))}" r="12" fill="none" stroke="#1f77b4" stroke-width="2"><title>{Esc($"this job, {h.Id}")}</title></circle>""").Append('\n');
        }
        if (r.Marginal is { } m)
        {
            var note = $"best {m.To}: +{F(m.DeltaValue)} {r.Metric} over {m.From} for +{F(m.DeltaKwh)} kWh ({F(m.ShareOfEnergy * 100)} % of these runs' energy)";
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left + 8}" y="{Top + 14}" fill="#d62728">{Esc(note)}</text>""").Append('\n');
        }
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left + 8}" y="{Top + 30}" fill="#444">● on the Pareto front (red line) ● dominated (grey)</text>""").Append('\n');
        return svg.Append("</svg>\n").ToString();
    }

    private static void Axes(StringBuilder svg, double x0, double x1, double y0, double y1, Func<double, double> x, Func<double, double> y, string metric)
    {
        svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left}" y1="{Height - Bottom}" x2="{Width - Right}" y2="{Height - Bottom}" stroke="black"/>""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left}" y1="{Top}" x2="{Left}" y2="{Height - Bottom}" stroke="black"/>""").Append('\n');
        for (var i = 0; i <= 5; i++)
        {
            var vx = x0 + (x1 - x0) * i / 5;
            var vy = y0 + (y1 - y0) * i / 5;
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{F(x(vx))}" y1="{Height - Bottom}" x2="{F(x(vx))}" y2="{Height - Bottom + 5}" stroke="black"/><text x="{F(x(vx))}" y="{Height - Bottom + 18}" text-anchor="middle">{F(vx)}</text>""").Append('\n');
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left - 5}" y1="{F(y(vy))}" x2="{Left}" y2="{F(y(vy))}" stroke="black"/><text x="{Left - 8}" y="{F(y(vy) + 4)}" text-anchor="end">{F(vy)}</text>""").Append('\n');
        }
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{(Left + Width - Right) / 2}" y="{Height - 15}" text-anchor="middle">energy (kWh)</text>""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<text transform="translate(20 {(Top + Height - Bottom) / 2}) rotate(-90)" text-anchor="middle">{Esc(metric)}</text>""").Append('\n');
    }

    // A little room around the data; a single value gets a unit-wide range so that the axis is never empty.
    private static (double, double) Range(IEnumerable<double> values)
    {
        var list = values.ToList();
        if (list.Count == 0) return (0, 1);
        double lo = list.Min(), hi = list.Max();
        if (hi - lo < 1e-12) return (lo - 0.5, hi + 0.5);
        var pad = (hi - lo) * 0.08;
        return (lo - pad, hi + pad);
    }

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Esc(string s) => WebUtility.HtmlEncode(s);
}
