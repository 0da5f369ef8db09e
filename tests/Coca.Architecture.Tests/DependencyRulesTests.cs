namespace Coca.Architecture.Tests;

/// <summary>
/// The architecture of docs/architecture.md, executable: which project may depend on which (by ProjectReference and
/// by <c>using Coca.…</c>), every assembly's namespace its own, no project compiling another's files, no file over
/// 400 lines. A forbidden dependency fails here before it reaches review.
/// </summary>
public class DependencyRulesTests
{
    // Everything a project may reach, itself aside. Core is the pure centre: it reaches nothing.
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["Coca.Core"] = [],
        ["Coca.Sources"] = ["Coca.Core"],
        ["Coca.Slurm"] = ["Coca.Core"],
        ["Coca.Storage"] = ["Coca.Core"],
        ["Coca.Tracker"] = ["Coca.Core", "Coca.Sources"],
        ["Coca.Agent"] = ["Coca.Core", "Coca.Sources", "Coca.Slurm"],
        ["Coca.Server"] = ["Coca.Core", "Coca.Storage"],
        ["Coca.Commands.Node"] = ["Coca.Core", "Coca.Sources", "Coca.Slurm", "Coca.Tracker", "Coca.Agent"],
        ["Coca.Commands.Site"] = ["Coca.Core", "Coca.Slurm", "Coca.Storage", "Coca.Server", "Coca.Commands.Node"],
        ["Coca.Cli"] = ["Coca.Commands.Node", "Coca.Commands.Site"],
        ["Coca.AgentDaemon"] = ["Coca.Commands.Node"],
    };

    public static TheoryData<string> Projects() => [.. SourceTree.Projects.Select(p => p.Name)];

    [Fact]
    public void Every_project_in_src_has_a_rule()
    {
        Assert.NotEmpty(SourceTree.Projects);
        Assert.All(SourceTree.Projects, p => Assert.True(Allowed.ContainsKey(p.Name), $"{p.Name} has no rule here: add it to the architecture (docs/architecture.md) and to this test"));
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void A_project_references_only_what_the_architecture_allows(string name)
    {
        var project = SourceTree.Projects.Single(p => p.Name == name);
        var forbidden = project.References.Where(r => !Allowed[name].Contains(r)).ToList();
        Assert.True(forbidden.Count == 0, $"{name} references {string.Join(", ", forbidden)}: allowed are {string.Join(", ", Allowed[name])}");
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void A_project_uses_only_the_namespaces_of_what_it_may_reach(string name)
    {
        var project = SourceTree.Projects.Single(p => p.Name == name);
        var reachable = Allowed[name].Append(name).ToArray();
        var bad = project.Files
            .SelectMany(f => SourceTree.CocaUsings(f).Select(u => (File: Path.GetRelativePath(SourceTree.Root, f), Using: u)))
            .Where(x => !reachable.Any(r => x.Using == r || x.Using.StartsWith(r + ".", StringComparison.Ordinal)))
            .Select(x => $"{x.File}: using {x.Using}")
            .ToList();
        Assert.True(bad.Count == 0, $"{name} uses what it may not reach:\n{string.Join("\n", bad)}");
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Every_file_is_in_its_own_assemblys_namespace(string name)
    {
        var project = SourceTree.Projects.Single(p => p.Name == name);
        var foreign = project.Files
            .Select(f => (File: f, Namespace: SourceTree.Namespace(f)))
            .Where(x => x.Namespace is not null && x.Namespace != name && !x.Namespace.StartsWith(name + ".", StringComparison.Ordinal))
            .Select(x => $"{Path.GetRelativePath(SourceTree.Root, x.File)}: namespace {x.Namespace}")
            .ToList();
        Assert.True(foreign.Count == 0, $"{name} holds files of other namespaces:\n{string.Join("\n", foreign)}");
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void No_project_compiles_another_projects_files(string name)
    {
        var project = SourceTree.Projects.Single(p => p.Name == name);
        Assert.True(project.LinkedSources.Count == 0, $"{name} compiles {string.Join(", ", project.LinkedSources)} by link");
    }

    [Fact]
    public void No_file_in_src_is_over_400_lines()
    {
        var long_ = SourceTree.Projects.SelectMany(p => p.Files)
            .Select(f => (File: Path.GetRelativePath(SourceTree.Root, f), Lines: File.ReadLines(f).Count()))
            .Where(x => x.Lines > 400)
            .Select(x => $"{x.File}: {x.Lines} lines")
            .ToList();
        Assert.True(long_.Count == 0, $"split these by job:\n{string.Join("\n", long_)}");
    }
}
