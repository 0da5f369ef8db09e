using System.Globalization;
using Coca.Slurm.Jobs;
using Coca.TestSupport;

namespace Coca.Bench;

/// <summary>
/// The benchmark node of issue 6: 2 CPU packages (with core and DRAM sub-zones), 8 GPUs through the NVML
/// test library, 64 running Slurm jobs with their cgroups (8 of them holding a GPU each), a 64-CPU procfs.
/// </summary>
internal sealed class NodeFixture : IDisposable
{
    public const int Jobs = 64;
    public const int Gpus = 8;

    public NodeFixture()
    {
        Sysfs = SysfsFixture.TwoSocketXeon(start: 1_000_000);
        Nvml = new FakeNvml { ReloadMs = 60_000 };
        for (var i = 0; i < Gpus; i++) Nvml.Gpus.Add(FakeNvml.Gpu(i, 1_000_000));
        Nvml.Write();
        Dir = new TempDirectory("coca-bench-node");
        Directory.CreateDirectory(Dir.Combine("proc"));
        File.WriteAllText(Dir.Combine("proc", "cpuinfo"), string.Concat(Enumerable.Range(0, 64).Select(i =>
            $"processor\t: {i}\nmodel name\t: Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz\nphysical id\t: {i / 32}\ncore id\t: {i % 32}\n\n")));
        File.WriteAllText(Dir.Combine("proc", "stat"), "cpu  1000000 0 200000 9000000 1000 0 500 0 0 0\n" + string.Concat(Enumerable.Range(0, 64).Select(i => $"cpu{i} 1 0 1 1 0 0 0 0 0 0\n")));
        File.WriteAllText(Dir.Combine("proc", "meminfo"), "MemTotal: 527000000 kB\n");
        var store = new PrologRecords(StateDirectory);
        for (var j = 0; j < Jobs; j++)
        {
            var id = (1000 + j).ToString(CultureInfo.InvariantCulture);
            var cgroup = Dir.Combine("cgroup", "system.slice", "slurmstepd.scope", "job_" + id);
            Directory.CreateDirectory(cgroup);
            File.WriteAllText(Path.Combine(cgroup, "cpu.stat"), $"usage_usec {j * 1_000_000}\nuser_usec 0\nsystem_usec 0\n");
            File.WriteAllText(Path.Combine(cgroup, "cgroup.procs"), (20_000 + j).ToString(CultureInfo.InvariantCulture) + "\n");
            var env = new Dictionary<string, string> { ["SLURM_JOB_ID"] = id, ["SLURM_JOB_USER"] = "user" + (j % 10), ["SLURM_CPUS_ON_NODE"] = "1" };
            if (j < Gpus) env["SLURM_JOB_GPUS"] = j.ToString(CultureInfo.InvariantCulture);
            store.WriteProlog(PrologEnvironment.Parse(env, DateTimeOffset.UtcNow.AddMinutes(-5)));
        }
    }

    public SysfsFixture Sysfs { get; }
    public FakeNvml Nvml { get; }
    public TempDirectory Dir { get; }
    public string StateDirectory => Dir.Combine("state");
    public string ProcRoot => Dir.Combine("proc");
    public string CgroupRoot => Dir.Combine("cgroup");

    public void Dispose()
    {
        Sysfs.Dispose();
        Nvml.Dispose();
        Dir.Dispose();
    }
}
