using System.Diagnostics;
using Coca.Agent.Reports;
using Coca.TestSupport;

namespace Coca.Agent.Tests.Reports;

/// <summary>
/// The append to a job's output file, done as root here as the agent is on a node: the file's user is <c>nobody</c>,
/// a real account of every Debian system. Run as another user, the ids cannot change and every append is refused.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class OutputAppenderTests : IDisposable
{
    private const string User = "nobody";
    private static readonly byte[] Report = "\ncoca: job 42, 1.2 kWh\n"u8.ToArray();
    private readonly TempDirectory _dir = new("coca-append");

    public OutputAppenderTests()
    {
        // nobody must reach the files, as a user reaches their job's output directory.
        File.SetUnixFileMode(_dir.Path, (UnixFileMode)0b111_101_101);
    }


    private string FileOf(string owner, string content, UnixFileMode mode)
    {
        var path = _dir.Combine(Guid.NewGuid().ToString("N") + ".out");
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, mode);
        Chown(owner, path);
        return path;
    }

    private static void Chown(string owner, string path)
    {
        using var p = Process.Start(new ProcessStartInfo("chown", ["-h", owner, path]))!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    [RootFact]
    public void A_file_the_user_owns_gets_the_report_appended()
    {
        var path = FileOf(User, "epoch 1 loss 0.3\n", (UnixFileMode)0b110_100_100);

        Assert.Null(OutputAppender.Append(path, User, Report));

        Assert.Equal("epoch 1 loss 0.3\n\ncoca: job 42, 1.2 kWh\n", File.ReadAllText(path));
    }

    [RootFact]
    public void A_symlink_at_the_path_is_refused_and_its_target_untouched()
    {
        var target = FileOf("root", "root:x:0:0:root:/root:/bin/bash\n", (UnixFileMode)0b110_110_110);
        var link = _dir.Combine("slurm-42.out");
        File.CreateSymbolicLink(link, target);
        Chown(User, link);

        var refused = OutputAppender.Append(link, User, Report);

        Assert.Contains("symbolic link", refused);
        Assert.Equal("root:x:0:0:root:/root:/bin/bash\n", File.ReadAllText(target));
    }

    [RootFact]
    public void A_file_another_user_owns_is_refused_even_when_the_user_may_write_it()
    {
        var path = FileOf("root", "someone else's\n", (UnixFileMode)0b110_110_110);

        var refused = OutputAppender.Append(path, User, Report);

        Assert.Contains("owned by uid 0", refused);
        Assert.Equal("someone else's\n", File.ReadAllText(path));
    }

    [RootFact]
    public void The_open_is_the_users_and_roots_rights_come_back_after_it()
    {
        // The user's own file, but read-only to them: root could write it, the user cannot.
        var path = FileOf(User, "read only\n", UnixFileMode.UserRead);

        var refused = OutputAppender.Append(path, User, Report);

        Assert.Contains("cannot open it as nobody", refused);
        Assert.Equal("read only\n", File.ReadAllText(path));
        File.AppendAllText(path, "root again\n"); // throws if the thread were still nobody's
    }

    [RootFact]
    public void A_directory_or_an_unknown_user_or_a_pattern_is_refused()
    {
        var directory = _dir.Combine("dir");
        Directory.CreateDirectory(directory);
        Chown(User, directory);

        Assert.NotNull(OutputAppender.Append(directory, User, Report));
        Assert.Contains("no user", OutputAppender.Append(FileOf(User, "", UnixFileMode.UserWrite | UnixFileMode.UserRead), "no-such-user-coca", Report));
        Assert.Contains("pattern", OutputAppender.Append(_dir.Combine("slurm-%j.out"), User, Report));
    }

    public void Dispose() => _dir.Dispose();
}
