using System.Globalization;
using System.Net;
using System.Text;

namespace Coca.Core.Feedback;

/// <summary>A behaviour of the user's in the digest's period: its kind, how many findings and jobs, what could have been avoided, the tip.</summary>
public sealed record DigestFinding(string Kind, long Findings, long Jobs, double? WastedKwh, string Tip);

/// <summary>
/// One user's weekly digest: the period's totals (the agents' energy, else Slurm's, never mixed: <see cref="EnergySource"/>),
/// the energy of each day (null: no figure that day), the top findings with their tips, and the dashboard's address when set.
/// </summary>
public sealed record DigestModel(string User, DateOnly From, DateOnly To, long Jobs, long KnownEnergyJobs, double? EnergyKwh, string EnergySource, double? EmissionsG,
    IReadOnlyList<double?> KwhPerDay, IReadOnlyList<DigestFinding> Findings, string? DashboardUrl);

/// <summary>
/// The digest as text and as HTML. Its plot of energy per day is drawn at the edge (a PNG, Commands.Site's
/// <c>DigestPlotPng</c>: most mail clients show no SVG) at <see cref="PlotWidth"/> × <see cref="PlotHeight"/>.
/// </summary>
public static class DigestRender
{
    public const int TopFindings = 3;
    public const int PlotWidth = 420;
    public const int PlotHeight = 160;

    public static string Subject(DigestModel d) => I($"Coca4ai: your GPU jobs {d.From:yyyy-MM-dd} to {d.To.AddDays(-1):yyyy-MM-dd}");

    public static string Text(DigestModel d)
    {
        var s = new StringBuilder();
        s.AppendLine(I($"Hello {d.User},")).AppendLine();
        s.AppendLine(Totals(d)).AppendLine();
        s.AppendLine("Energy per day:");
        for (var i = 0; i < d.KwhPerDay.Count; i++) s.AppendLine(I($"  {d.From.AddDays(i):ddd yyyy-MM-dd}  {(d.KwhPerDay[i] is { } k ? $"{k:0.##} kWh" : "-")}"));
        s.AppendLine();
        if (d.Findings.Count == 0) s.AppendLine("No energy-wasting behaviour was found in your jobs this period. Thank you.");
        foreach (var f in d.Findings.Take(TopFindings))
        {
            s.AppendLine(I($"* {f.Kind}: {f.Findings} finding(s) over {f.Jobs} job(s){(f.WastedKwh is { } w ? $", {w:0.##} kWh avoidable" : "")}"));
            s.AppendLine("  " + f.Tip);
        }
        if (d.DashboardUrl is { } url) s.AppendLine().AppendLine("Your jobs: " + url);
        s.AppendLine().AppendLine("To stop these digests and tips: coca feedback opt-out " + d.User);
        return s.ToString();
    }

    /// <param name="plotCid">The content id of the plot's image, referenced by the HTML.</param>
    public static string Html(DigestModel d, string plotCid)
    {
        static string E(string t) => WebUtility.HtmlEncode(t);
        var s = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
        s.Append(I($"<p>Hello {E(d.User)},</p><p>{E(Totals(d))}</p>"));
        s.Append(I($"<p><img src=\"cid:{plotCid}\" alt=\"energy per day\" width=\"{PlotWidth}\" height=\"{PlotHeight}\"></p>"));
        if (d.Findings.Count == 0) s.Append("<p>No energy-wasting behaviour was found in your jobs this period. Thank you.</p>");
        else s.Append("<ul>");
        foreach (var f in d.Findings.Take(TopFindings))
        {
            s.Append(I($"<li><b>{E(f.Kind)}</b>: {f.Findings} finding(s) over {f.Jobs} job(s){(f.WastedKwh is { } w ? $", {w:0.##} kWh avoidable" : "")}<br>{E(f.Tip)}</li>"));
        }
        if (d.Findings.Count > 0) s.Append("</ul>");
        if (d.DashboardUrl is { } url) s.Append(I($"<p><a href=\"{E(url)}\">Your jobs</a></p>"));
        s.Append(I($"<p style=\"color:#777\">To stop these digests and tips: <code>coca feedback opt-out {E(d.User)}</code></p></body></html>"));
        return s.ToString();
    }

    private static string Totals(DigestModel d)
    {
        var energy = d.EnergyKwh is { } k ? I($"{k:0.##} kWh") + (d.EnergySource == "slurm" ? " (Slurm's figure)" : "") : "an unknown energy";
        var carbon = d.EmissionsG is { } g ? I($", {g / 1000:0.###} kgCO2e with the room's PUE") : "";
        var covered = d.KnownEnergyJobs < d.Jobs ? I($" ({d.Jobs - d.KnownEnergyJobs} job(s) without a figure)") : "";
        return I($"From {d.From:yyyy-MM-dd} to {d.To.AddDays(-1):yyyy-MM-dd} you ran {d.Jobs} job(s): {energy}{carbon}{covered}.");
    }

    private static string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
