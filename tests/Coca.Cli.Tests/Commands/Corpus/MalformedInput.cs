namespace Coca.Cli.Tests.Commands.Corpus;

/// <summary>
/// One malformed input to a coca command: where it enters (readings CSV, jobs CSV, TOML, environment, flag), the
/// command line, and what must come out: one line on stderr, exit 1 or 2, and for a bad CSV row the good rows
/// still attributed as if it were not there.
/// </summary>
/// <param name="Kind">readings, jobs, toml, env or flag.</param>
/// <param name="Name">What is wrong, as the test list shows it.</param>
/// <param name="Readings">Readings CSV, for coca attribute; null: the good one.</param>
/// <param name="Jobs">Jobs CSV, for coca attribute; null: the good one.</param>
/// <param name="Toml">A configuration file given with --config; null: none.</param>
/// <param name="Args">The command line after `coca`; null: coca attribute over the two CSVs.</param>
/// <param name="Env">Environment variables.</param>
/// <param name="RowLevel">A bad row among good ones: the good rows must still be attributed (exit 1).</param>
public sealed record MalformedInput(
    string Kind,
    string Name,
    string? Readings = null,
    string? Jobs = null,
    string? Toml = null,
    string[]? Args = null,
    Dictionary<string, string>? Env = null,
    bool RowLevel = false)
{
    public override string ToString() => $"{Kind}: {Name}";
}
