using Coca.Commands.Node.Config;

namespace Coca.Commands.Site.Config;

/// <summary><c>[server]</c>: <c>coca server</c>'s settings and their defaults, written here and nowhere else.</summary>
public static class ServerSettings
{
    public const string Section = "server";

    /// <summary>Named server_listen (env COCA_SERVER_LISTEN) since before settings had sections: the agent's listen was COCA_LISTEN.</summary>
    public static readonly TextSetting Listen = new(Section, "server_listen", "http://127.0.0.1:8080");

    /// <summary>Days of per-GPU series; job totals are kept for ever.</summary>
    public static readonly NumberSetting SeriesRetention = new(Section, "series_retention", 30) { Range = new(0, 36500, "days") };

    public static IReadOnlyList<Setting> All { get; } = [Listen, SeriesRetention];
}
