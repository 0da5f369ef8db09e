using System.Globalization;
using System.Net;
using System.Text;
using Coca.Storage;

namespace Coca.Server.Dashboard;

/// <summary>Encoding and the figures as the pages print them: every value that came from a job or a user goes through <see cref="E"/>.</summary>
internal static class Html
{
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static string Kwh(double? kwh) => kwh is { } v ? Num(v) + " kWh" : Unknown;

    public static string Grams(double? g) => g is { } v ? (v >= 1000 ? Num(v / 1000) + " kgCO2e" : Num(v) + " gCO2e") : Unknown;

    public static string Hours(double h) => Num(h) + " h";

    public static string Share(double? s) => s is { } v ? (v * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %" : Unknown;

    public static string Time(DateTimeOffset? t, bool seconds = false) =>
        t is { } v ? v.UtcDateTime.ToString(seconds ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC" : "—";

    /// <summary>Three significant figures at most, no exponent: a page is read, not parsed.</summary>
    public static string Num(double v)
    {
        var a = Math.Abs(v);
        var format = a == 0 ? "0" : a >= 100 ? "#,0" : a >= 10 ? "0.#" : a >= 1 ? "0.##" : a >= 0.01 ? "0.###" : "0.#####";
        return v.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>Unknown is never 0: shown as a word, with its reason beside it where the page has one.</summary>
    public const string Unknown = "<span class=\"unknown\">unknown</span>";

    /// <summary>What a sum covers: "over 12 measured jobs of 15" (and Slurm's own figure apart).</summary>
    public static string Covers(JobTotals t)
    {
        var text = $"over {t.MeasuredJobs:N0} measured job{(t.MeasuredJobs == 1 ? "" : "s")} of {t.Jobs:N0}";
        if (t.SlurmEnergyJobs > 0) text += $"; Slurm's own figure for {t.SlurmEnergyJobs:N0} more: {Kwh(t.SlurmEnergyKwh)}";
        if (t.UnknownEnergyJobs > 0) text += $"; {t.UnknownEnergyJobs:N0} with no energy known";
        return text;
    }

    public static string Query(params (string Key, string? Value)[] pairs) =>
        string.Join("&amp;", pairs.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}"));

    public static void Table(StringBuilder b, string caption, IReadOnlyList<string> head, IEnumerable<IReadOnlyList<string>> rows)
    {
        b.Append("<table><caption>").Append(caption).Append("</caption><thead><tr>");
        foreach (var h in head) b.Append("<th scope=\"col\">").Append(h).Append("</th>");
        b.Append("</tr></thead><tbody>");
        var any = false;
        foreach (var row in rows)
        {
            any = true;
            b.Append("<tr>");
            foreach (var cell in row) b.Append("<td>").Append(cell).Append("</td>");
            b.Append("</tr>");
        }
        if (!any) b.Append("<tr><td colspan=\"").Append(head.Count).Append("\">none</td></tr>");
        b.Append("</tbody></table>");
    }
}
