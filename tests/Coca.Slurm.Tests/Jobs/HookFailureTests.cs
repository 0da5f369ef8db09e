using System.Diagnostics;
using Coca.Slurm.Jobs;
using Coca.TestSupport;

namespace Coca.Slurm.Tests.Jobs;

public sealed class HookFailureTests : IDisposable
{
    private readonly TempDirectory _dir = new("coca-hook");

    [Fact]
    public void Drain_policy_drains_the_node_with_the_reason_and_lets_the_job_run()
    {
        var drained = new List<(string Node, string Reason)>();
        var output = new StringWriter();
        var code = HookFailure.Handle(HookFailurePolicy.Drain, "prolog", "gpu07", "42", new IOException("No space left on device"),
            (node, reason) => { drained.Add((node, reason)); return true; }, output);
        Assert.Equal(0, code);
        var (n, r) = Assert.Single(drained);
        Assert.Equal("gpu07", n);
        Assert.Contains("No space left on device", r, StringComparison.Ordinal);
        Assert.Contains("drained", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Drain_policy_fails_the_hook_when_the_drain_itself_fails()
    {
        var code = HookFailure.Handle(HookFailurePolicy.Drain, "epilog", "gpu07", "42", new IOException("disk full"), (_, _) => false, new StringWriter());
        Assert.Equal(1, code);
    }

    [Fact]
    public void Fail_policy_fails_the_hook()
    {
        var code = HookFailure.Handle(HookFailurePolicy.Fail, "prolog", "gpu07", "42", new IOException("disk full"), (_, _) => throw new InvalidOperationException(), new StringWriter());
        Assert.Equal(1, code);
        Assert.True(HookFailure.TryParsePolicy("fail", out var p) && p == HookFailurePolicy.Fail);
        Assert.False(HookFailure.TryParsePolicy("ignore", out _));
    }

    [Fact]
    public void A_record_that_cannot_be_written_on_a_full_disk_throws_and_leaves_no_temporary_file()
    {
        var mount = _dir.Combine("tmpfs");
        Directory.CreateDirectory(mount);
        if (!Run("mount", "-t", "tmpfs", "-o", "size=8k", "tmpfs", mount)) return; // needs root: the seam below covers the rest
        try
        {
            var store = new PrologRecords(mount);
            Directory.CreateDirectory(store.Directory);
            File.WriteAllBytes(Path.Combine(mount, "filler"), new byte[4096]);
            try { File.WriteAllBytes(Path.Combine(mount, "filler2"), new byte[8192]); } catch (IOException) { } // fills the rest
            var big = new Dictionary<string, string> { ["SLURM_PAD"] = new string('x', 16384) };
            Assert.ThrowsAny<IOException>(() => store.WriteProlog(new JobRecord { JobId = "42", StartedAt = DateTimeOffset.UnixEpoch, SlurmEnvironment = big }));
            Assert.Empty(Directory.GetFiles(store.Directory));
        }
        finally
        {
            Run("umount", mount);
        }
    }

    private static bool Run(string file, params string[] args)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    public void Dispose() => _dir.Dispose();
}
