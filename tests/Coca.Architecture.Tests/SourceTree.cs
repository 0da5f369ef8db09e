using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Coca.Architecture.Tests;

/// <summary>The repository's src/ as the architecture tests read it: each project, what it references, what its files use.</summary>
internal static partial class SourceTree
{
    public static string Root { get; } = FindRoot();

    public sealed record Project(string Name, string Directory, IReadOnlyList<string> References, IReadOnlyList<string> LinkedSources, IReadOnlyList<string> Files);

    public static IReadOnlyList<Project> Projects { get; } = [.. System.IO.Directory.GetDirectories(Path.Combine(Root, "src"))
        .Select(d => Path.Combine(d, Path.GetFileName(d) + ".csproj"))
        .Where(File.Exists)
        .Select(Load)
        .OrderBy(p => p.Name, StringComparer.Ordinal)];

    /// <summary>The <c>Coca.*</c> namespaces a source file imports (<c>using Coca.X.Y;</c>, <c>using static</c> and aliases too).</summary>
    public static IEnumerable<string> CocaUsings(string file) =>
        UsingLine().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value);

    public static string? Namespace(string file) => NamespaceLine().Match(File.ReadAllText(file)) is { Success: true } m ? m.Groups[1].Value : null;

    private static Project Load(string csproj)
    {
        var xml = XDocument.Load(csproj);
        var directory = Path.GetDirectoryName(csproj)!;
        var references = xml.Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
            .Distinct().ToList();
        // A Compile item that reaches outside the project's own folder compiles another project's file.
        var linked = xml.Descendants("Compile")
            .Select(c => c.Attribute("Include")?.Value)
            .Where(v => v is not null && v.Replace('\\', '/').StartsWith("../", StringComparison.Ordinal))
            .Select(v => v!)
            .ToList();
        var files = System.IO.Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        return new Project(Path.GetFileNameWithoutExtension(csproj), directory, references, linked, files);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Coca4ai.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException("Coca4ai.slnx not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?(Coca(?:\.\w+)+)", RegexOptions.Multiline)]
    private static partial Regex UsingLine();

    [GeneratedRegex(@"^\s*namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();
}
