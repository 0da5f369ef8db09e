namespace Coca.TestSupport;

/// <summary>
/// The real captures in <c>../shared/data</c> beside the repository (present in CI). Conformance
/// tests that need them report themselves as skipped, visibly, when they are absent.
/// </summary>
public static class SharedData
{
    public static string? Root { get; } = Find();

    public static string? PathOf(string relative) => Root is null ? null : System.IO.Path.Combine(Root, relative);

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("COCA_SHARED_DATA") is { Length: > 0 } env && Directory.Exists(env)) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(candidate) && File.Exists(System.IO.Path.Combine(candidate, "SOURCES.md"))) return candidate;
        }
        return null;
    }
}
