namespace Coca.Cli.Tests.Config;

/// <summary>The README's settings table is the user's reference: it must list every setting as the code names it.</summary>
public class ReadmeSettingsTests
{
    [Fact]
    public void The_readme_settings_table_has_a_row_for_every_setting()
    {
        var readme = File.ReadAllLines(Path.Combine(RepositoryRoot(), "README.md"));
        foreach (var s in SettingTests.Every)
        {
            // | setting | flag | env | alias | config key | default |
            var row = readme.FirstOrDefault(l => l.StartsWith('|') && l.Contains($"`{s.Variable}`", StringComparison.Ordinal));
            Assert.True(row is not null, $"README.md has no settings row for {s.Variable}");
            Assert.Contains($"`{s.ConfigKey}`", row, StringComparison.Ordinal);
            if (s.Alias is { } alias) Assert.Contains($"`{alias}`", row, StringComparison.Ordinal);
            if (s.ShownDefault is { } shown) Assert.Contains(shown, row, StringComparison.Ordinal);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Coca4ai.slnx"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("Coca4ai.slnx not found above " + AppContext.BaseDirectory);
    }
}
