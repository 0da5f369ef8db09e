using System.Globalization;
using Coca.TestSupport;
using Coca.Tracker;
using Coca.Tracker.Commands;

namespace Coca.Cli.Tests.Tracker;

public class CommandRunnerTests
{
    private static TrackerOptions Options(SysfsFixture f) => EmissionsTrackerTests.Options(f);

    [Fact]
    public async Task The_run_starts_before_the_command_and_ends_after_it()
    {
        using var f = SysfsFixture.TwoSocketXeon(start: 0);
        using var dir = new TempDirectory("coca-runner");
        var stamps = dir.Combine("stamps");
        // The command writes the wall clock at its first and last instruction.
        var result = await CommandRunner.RunAsync(["sh", "-c", $"date +%s.%N > {stamps}; sleep 0.2; date +%s.%N >> {stamps}"], "unit", Options(f));

        var times = File.ReadAllLines(stamps).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray();
        Assert.True(result.StartedAt.ToUnixTimeMilliseconds() / 1000.0 <= times[0], $"run started at {result.StartedAt:O}, after the command ({times[0]})");
        Assert.True(result.EndedAt.ToUnixTimeMilliseconds() / 1000.0 >= times[1], $"run ended at {result.EndedAt:O}, before the command did ({times[1]})");
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task A_command_that_cannot_start_leaves_no_csv_row()
    {
        using var f = SysfsFixture.TwoSocketXeon(start: 0);
        using var dir = new TempDirectory("coca-runner");
        var options = Options(f);
        options.OutputDirectory = dir.Path;
        var e = await Assert.ThrowsAsync<CommandStartException>(() => CommandRunner.RunAsync(["/nonexistent/command"], "unit", options));
        Assert.Equal(127, e.ExitCode);
        Assert.Empty(Directory.EnumerateFiles(dir.Path));
    }
}
