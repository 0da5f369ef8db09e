namespace Coca.Commands.Node.Config;

/// <summary>
/// Every setting this build reads, so that a key in the configuration file that none reads (a typo: <c>intervall</c>)
/// is an error with its line rather than silently ignored. Libraries of commands register theirs; sections that
/// belong to another edition (the site's <c>[server]</c> in a file shared with compute nodes) are skipped, not refused.
/// </summary>
public static class KnownSettings
{
    private static readonly object Gate = new();
    private static readonly List<Setting> Settings = [.. AgentSettings.All, .. RunSettings.All, .. GpuSettings.All, .. HostSettings.All, .. MeterSettings.All, .. AttributionSettings.All];

    // The full edition's sections, as a node's binaries (node edition, coca-agent) see them in a shared file: the
    // site library registers their keys where it is built in, and then they are checked.
    private static readonly HashSet<string> OtherEditions = new(["server", "site", "store", "embodied"], StringComparer.Ordinal);

    public static void Register(IEnumerable<Setting> settings)
    {
        lock (Gate)
        {
            foreach (var s in settings)
            {
                if (!Settings.Contains(s)) Settings.Add(s);
                OtherEditions.Remove(s.Section);
            }
        }
    }

    /// <summary>Null when the file's key <c>section.key</c> (or a top-level <c>key</c>) is read; else why not.</summary>
    public static string? Unknown(string name)
    {
        lock (Gate)
        {
            var dot = name.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0) return Settings.Any(s => s.Key == name) ? null : $"unknown key '{name}'";
            var (section, key) = (name[..dot], name[(dot + 1)..]);
            if (OtherEditions.Contains(section)) return null; // read by the full edition, not built in here
            if (!Settings.Any(s => s.Section == section)) return $"unknown section [{section}] (known: {string.Join(", ", Settings.Select(s => s.Section).Distinct())})";
            return Settings.Any(s => s.Section == section && s.Key == key) ? null : $"unknown key '{key}' in [{section}] (known: {string.Join(", ", Settings.Where(s => s.Section == section).Select(s => s.Key))})";
        }
    }
}
