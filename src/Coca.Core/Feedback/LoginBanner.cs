using System.Globalization;
using Coca.Core.Units;

namespace Coca.Core.Feedback;

/// <summary>One of the user's latest jobs as the banner shows it; a figure null when unknown.</summary>
public sealed record BannerJob(string JobId, string? Node, DateTimeOffset? Start, long? ElapsedS, double? EnergyJ, string? EnergySource, double? EmissionsG, double? Pue);

/// <summary>A week's energy: what the agents measured, or Slurm's (<paramref name="Slurm"/>) where they measured none, over how many of how many jobs.</summary>
public sealed record WeekEnergy(double? Kwh, long Jobs, long KnownJobs, bool Slurm = false);

/// <summary>The tip of the behaviour that cost the user most in the last weeks.</summary>
public sealed record BannerTip(string Kind, long Findings, double? WastedKwh, string Text);

/// <summary>
/// <c>coca motd</c>'s banner: the user's last jobs, this week against their four before, and one tip from their own
/// findings, in at most <see cref="MaxLines"/> lines of at most <see cref="Width"/> characters (a login screen).
/// </summary>
public static class LoginBanner
{
    public const int MaxLines = 12;
    public const int Width = 100;
    private const int TipLines = 3;

    /// <param name="previousFour">The four weeks before this one, summed (the banner shows their weekly mean).</param>
    public static IReadOnlyList<string> Lines(string user, IReadOnlyList<BannerJob> jobs, WeekEnergy week, WeekEnergy previousFour, BannerTip? tip)
    {
        var lines = new List<string> { $"Coca4ai: {user}'s GPU jobs (energy at the plug, gCO2e with the room's PUE)" };
        foreach (var j in jobs.Take(5))
        {
            var energy = j.EnergyJ is { } e ? Readable.Joules(e) + (j.EnergySource == "slurm" ? " (Slurm)" : "") : "energy unknown";
            var carbon = j.EmissionsG is { } g ? Readable.Grams(g) + " CO2e" + (j.Pue is { } p ? I($" (PUE {p:0.##})") : "") : "";
            lines.Add(Clip($"  {j.Node ?? "?",-12} {j.JobId,-12} {j.Start?.UtcDateTime.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "?",-11} " +
                          $"{(j.ElapsedS is { } s ? Readable.Duration(s) : "?"),-11} {energy,-16} {carbon}".TrimEnd()));
        }
        if (jobs.Count == 0) lines.Add("  no jobs in the last five weeks");
        lines.Add(Clip(WeekLine(week, previousFour)));
        if (tip is not null)
        {
            var head = $"Tip ({tip.Kind}: {tip.Findings} finding(s) in four weeks" + (tip.WastedKwh is { } w ? I($", {w:0.##} kWh avoidable") : "") + "): ";
            lines.AddRange(Wrap(head + tip.Text, TipLines));
        }
        return lines.Take(MaxLines).ToList();
    }

    private static string WeekLine(WeekEnergy week, WeekEnergy previous)
    {
        static string Kwh(double? k, bool slurm = false) => k is { } v ? I($"{v:0.##} kWh") + (slurm ? " (Slurm)" : "") : "unknown";
        var text = $"Last 7 days: {Kwh(week.Kwh, week.Slurm)} over {week.Jobs} job(s)" + (week.KnownJobs < week.Jobs ? $" ({week.Jobs - week.KnownJobs} without a figure)" : "");
        if (previous.Jobs == 0) return text + "; none in the four weeks before.";
        var mean = previous.Kwh / 4;
        text += $"; the four weeks before: {Kwh(mean, previous.Slurm)} a week";
        if (week.Kwh is { } now && mean is > 0) text += I($" ({(now - mean.Value) / mean.Value:+0%;-0%;0%})");
        return text + ".";
    }

    private static IEnumerable<string> Wrap(string text, int maxLines)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > Width)
            {
                lines.Add(line);
                line = "  ";
            }
            line += (line.Trim().Length > 0 ? " " : "") + word;
        }
        if (line.Trim().Length > 0) lines.Add(line);
        if (lines.Count > maxLines)
        {
            lines = lines.Take(maxLines).ToList();
            lines[^1] = Clip(lines[^1][..Math.Min(lines[^1].Length, Width - 1)] + "…");
        }
        return lines;
    }

    private static string Clip(string line) => line.Length <= Width ? line : line[..(Width - 1)] + "…";

    private static string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
