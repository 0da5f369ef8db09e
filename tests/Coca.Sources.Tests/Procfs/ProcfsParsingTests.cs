using System.Text;
using Coca.Sources.Procfs;

namespace Coca.Sources.Tests.Procfs;

public class ProcfsParsingTests
{
    [Fact]
    public void Proc_stat_busy_excludes_idle_and_iowait()
    {
        var text = "cpu  100 20 30 1000 50 5 5 10 0 0\ncpu0 50 10 15 500 25 2 2 5 0 0\n"u8;
        Assert.True(ProcStatReader.TryParse(text, out var t));
        Assert.Equal(1220UL, t.Total);
        Assert.Equal(170UL, t.Busy);
    }

    [Fact]
    public void Utilisation_is_busy_share_of_the_interval()
    {
        var before = new CpuTimes(100, 1000);
        var after = new CpuTimes(150, 1200);
        Assert.Equal(0.25, CpuTimes.Utilisation(before, after), 9);
        Assert.True(double.IsNaN(CpuTimes.Utilisation(after, after)));
    }

    [Fact]
    public void Process_stat_with_spaces_and_parentheses_in_the_name_parses()
    {
        const string stat = "4242 (python (train) x) S 4200 4242 4200 0 -1 4194560 100 0 0 0 700 300 11 22 20 0 1 0 100 1000 10";
        Assert.True(ProcessTreeCpu.TryParseStat(Encoding.UTF8.GetBytes(stat), out var ppid, out var ticks));
        Assert.Equal(4200, ppid);
        Assert.Equal(700UL + 300 + 11 + 22, ticks);
    }

    [Fact]
    public void Process_tree_sums_descendants_and_ignores_strangers()
    {
        using var proc = new TestSupport.TempDirectory("coca-proc");
        WriteStat(proc, 1, 0, 1_000);
        WriteStat(proc, 10, 1, 100);   // the measured command
        WriteStat(proc, 11, 10, 200);  // its child
        WriteStat(proc, 12, 11, 300);  // grandchild
        WriteStat(proc, 20, 1, 5_000); // someone else
        Assert.Equal(6.0, new ProcessTreeCpu(proc.Path, 10).Seconds(), 9);
    }

    [Fact]
    public void Process_tree_rescan_reads_new_processes_but_not_strangers_seen_before()
    {
        using var proc = new TestSupport.TempDirectory("coca-proc");
        WriteStat(proc, 1, 0, 1_000);
        WriteStat(proc, 10, 1, 100);
        WriteStat(proc, 20, 1, 5_000);
        var tree = new ProcessTreeCpu(proc.Path, 10);
        Assert.Equal(1.0, tree.Seconds(), 9);

        WriteStat(proc, 15, 10, 200);  // a new child of the command: read
        WriteStat(proc, 20, 10, 7_000); // a stranger cannot be re-parented into the tree: not read again, so this lie is not seen
        Assert.Equal(3.0, tree.Seconds(), 9);

        // The stranger exits and its pid is reused by a child of the command: forgotten once gone, read afresh.
        Directory.Delete(proc.Combine("20"), recursive: true);
        Assert.Equal(3.0, tree.Seconds(), 9);
        WriteStat(proc, 20, 10, 400);
        Assert.Equal(7.0, tree.Seconds(), 9);
    }

    [Fact]
    public void Process_tree_grows_from_children_listed_before_their_parents()
    {
        using var proc = new TestSupport.TempDirectory("coca-proc");
        // After pids wrap, a grandchild can have a lower pid than its parent.
        WriteStat(proc, 300, 1, 100);
        WriteStat(proc, 5, 900, 200);
        WriteStat(proc, 900, 300, 300);
        Assert.Equal(6.0, new ProcessTreeCpu(proc.Path, 300).Seconds(), 9);
    }

    [Fact]
    public void Process_tree_is_walked_through_children_files_when_the_kernel_has_them()
    {
        using var proc = new TestSupport.TempDirectory("coca-proc");
        void Add(int pid, int ppid, int utime, params int[] children)
        {
            WriteStat(proc, pid, ppid, utime);
            Directory.CreateDirectory(proc.Combine(pid.ToString(), "task", pid.ToString()));
            File.WriteAllText(proc.Combine(pid.ToString(), "task", pid.ToString(), "children"), string.Join(' ', children) + " ");
        }
        Add(1, 0, 1_000, 10, 20);
        Add(10, 1, 100, 11);
        Add(11, 10, 200, 12);
        Add(12, 11, 300);
        Add(20, 1, 5_000);
        Assert.Equal(6.0, new ProcessTreeCpu(proc.Path, 10).Seconds(), 9);
    }

    [Fact]
    public void Process_tree_of_a_command_that_is_gone_is_empty()
    {
        using var proc = new TestSupport.TempDirectory("coca-proc");
        Directory.CreateDirectory(proc.Combine("11"));
        // A leftover that still names the gone command as its parent: the old full scan counted it.
        File.WriteAllText(proc.Combine("11", "stat"), "11 (p11) S 10 1 1 0 -1 0 0 0 0 0 200 0 0 0 20 0 1 0 1 1 1");
        Assert.Equal(0.0, new ProcessTreeCpu(proc.Path, 10).Seconds());
    }

    [Fact]
    public void Real_process_tree_of_this_test_includes_this_process()
    {
        Assert.True(new ProcessTreeCpu("/proc", Environment.ProcessId).Seconds() > 0);
    }

    // A /proc/PID/stat with the fields the tree reads: ppid (4) and utime (14).
    private static void WriteStat(TestSupport.TempDirectory proc, int pid, int ppid, int utime)
    {
        Directory.CreateDirectory(proc.Combine(pid.ToString()));
        File.WriteAllText(proc.Combine(pid.ToString(), "stat"), $"{pid} (p{pid}) S {ppid} 1 1 0 -1 0 0 0 0 0 {utime} 0 0 0 20 0 1 0 1 1 1");
    }

    [Fact]
    public void Cpuinfo_counts_physical_cores_and_sockets()
    {
        var sb = new StringBuilder();
        var id = 0;
        for (var socket = 0; socket < 2; socket++)
            for (var core = 0; core < 4; core++)
                for (var thread = 0; thread < 2; thread++)
                {
                    sb.Append($"processor\t: {id++}\nmodel name\t: Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz\nphysical id\t: {socket}\ncore id\t\t: {core}\n\n");
                }
        var info = CpuInfo.Parse(sb.ToString());
        Assert.Equal(16, info.LogicalCpus);
        Assert.Equal(8, info.PhysicalCores);
        Assert.Equal(2, info.Sockets);
        Assert.StartsWith("Intel(R) Xeon(R) Gold 6248", info.ModelName);
    }

    [Fact]
    public void Real_proc_stat_of_this_machine_parses()
    {
        using var reader = new ProcStatReader();
        Assert.True(reader.TryRead(out var t));
        Assert.True(t.Total > 0);
    }
}
