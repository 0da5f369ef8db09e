using System.Globalization;
using System.Text;
using Coca.Core.Attribution.Offline;
using Coca.Core.Units;
using Coca.Slurm.Jobs;
using Coca.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Coca.Agent.Tests;

/// <summary>
/// The agent on a node and <c>coca attribute</c> over what that node's counters said must give every job the same
/// figures, to the microjoule: they run one engine. The agent reads a sysfs tree and an NVML library; the same
/// readings, as the CSV a site would record, go through the offline path.
/// </summary>
[Collection(NvmlCollection.Name)]
public sealed class AgentMatchesAttributeTests(NvmlCollection.Library library) : IDisposable
{
    private readonly SysfsFixture _sysfs = new SysfsFixture()
        .Zone("intel-rapl:0", "package-0", SysfsFixture.RealMaxEnergyRangeUj - 40_000_000) // wraps a few seconds in
        .Zone("intel-rapl:0:0", "dram", 5_000_000);
    private readonly FakeNvml _nvml = library.Fresh();
    private readonly TempDirectory _dir = new("coca-same");

    [Fact]
    public void Agent_and_coca_attribute_give_every_job_the_same_microjoules()
    {
        _nvml.Gpus.Add(FakeNvml.Gpu(0, 1_000));
        _nvml.Gpus.Add(FakeNvml.Gpu(1, 2_000));
        _nvml.Write();
        Directory.CreateDirectory(_dir.Combine("proc"));
        File.WriteAllText(_dir.Combine("proc", "cpuinfo"), string.Concat(Enumerable.Range(0, 4).Select(i => $"processor\t: {i}\n")));
        File.WriteAllText(_dir.Combine("proc", "stat"), "cpu  10 0 10 100 0 0 0 0 0 0\n");
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_750_000_000));
        var records = new PrologRecords(_dir.Combine("state"));
        using var agent = new AgentHost(new AgentOptions
        {
            StateDirectory = _dir.Combine("state"),
            Listen = "127.0.0.1:0",
            CgroupRoot = _dir.Combine("cgroup"),
            Scontrol = "/bin/false",
            NodeName = "n1",
            TimeProvider = clock,
            HousekeepingInterval = TimeSpan.FromSeconds(1), // the CPU window closes every tick, as the replay's does
            Sources = new Sources.SourceSetOptions { SysfsRoot = _sysfs.Root, ProcfsRoot = _dir.Combine("proc"), Gpu = { NvmlLibrary = _nvml.LibraryPath } },
        }, _ => { });

        // Jobs: (id, GPU index, CPUs of 4, start tick, end tick).
        (string Id, int Gpu, int Cpus, int Start, int End)[] jobs = [("10", 0, 1, 3, 40), ("11", 1, 2, 8, 25), ("12", 1, 1, 30, 55)];
        var random = new Random(7);
        var readings = new StringBuilder("time,node,device,energy_j,power_w,max_energy_j\n");
        var package = SysfsFixture.RealMaxEnergyRangeUj - 40_000_000;
        ulong dram = 5_000_000;
        var gpuMj = new ulong[] { 1_000, 2_000 };
        var gpuIds = new List<string>();
        for (var tick = 0; tick <= 60; tick++)
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
            // Records written two ticks ahead, as a Prolog runs before the job does; the agent hears of them through inotify.
            var wrote = false;
            foreach (var job in jobs)
            {
                if (tick == job.Start - 2)
                {
                    wrote = true;
                    records.WriteProlog(PrologEnvironment.Parse(new Dictionary<string, string>
                    {
                        ["SLURM_JOB_ID"] = job.Id, ["SLURM_JOB_USER"] = "u" + job.Id, ["SLURM_JOB_GPUS"] = job.Gpu.ToString(CultureInfo.InvariantCulture),
                        ["SLURM_CPUS_ON_NODE"] = job.Cpus.ToString(CultureInfo.InvariantCulture),
                    }, clock.GetUtcNow().AddSeconds(2).AddMilliseconds(-400)));
                }
                if (tick == job.End - 2)
                {
                    wrote = true;
                    records.WriteEpilog(job.Id, clock.GetUtcNow().AddSeconds(2).AddMilliseconds(-250));
                }
            }
            if (wrote) Thread.Sleep(300); // the watcher's thread sets the flag the next tick reads
            agent.Tick();
            if (tick == 0) gpuIds.AddRange(agent.Books.Devices.Keys.Where(k => k.StartsWith("gpu:", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
            string J(ulong uj) => (uj / 1e6).ToString("0.000000", CultureInfo.InvariantCulture);
            string T = now.ToString("R", CultureInfo.InvariantCulture);
            readings.Append(CultureInfo.InvariantCulture, $"{T},n1,package-0,{J(package)},,{J(SysfsFixture.RealMaxEnergyRangeUj)}\n");
            readings.Append(CultureInfo.InvariantCulture, $"{T},n1,dram-0,{J(dram)},,\n");
            for (var g = 0; g < 2; g++) readings.Append(CultureInfo.InvariantCulture, $"{T},n1,{gpuIds[g]},{J(gpuMj[g] * 1000)},,\n");

            // The next second: power that moves every second, the package counter passing its maximum.
            package = (package + (ulong)random.Next(20_000_000, 160_000_000)) % (SysfsFixture.RealMaxEnergyRangeUj + 1);
            dram += (ulong)random.Next(3_000_000, 9_000_000);
            for (var g = 0; g < 2; g++) _nvml.Gpus[g].EnergyMj = gpuMj[g] += (ulong)random.Next(60_000, 400_000);
            _sysfs.SetEnergy("intel-rapl:0", package);
            _sysfs.SetEnergy("intel-rapl:0:0", dram);
            _nvml.Write();
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        var jobsCsv = new StringBuilder("job_id,user,node,start,end,gpus,cpu_share\n");
        var t0 = 1_750_000_000.0;
        foreach (var job in jobs)
        {
            var start = (t0 + job.Start - 0.4).ToString("R", CultureInfo.InvariantCulture);
            var end = (t0 + job.End - 0.25).ToString("R", CultureInfo.InvariantCulture);
            jobsCsv.Append(CultureInfo.InvariantCulture, $"{job.Id},u{job.Id},n1,{start},{end},{gpuIds[job.Gpu]},{(job.Cpus / 4.0).ToString(CultureInfo.InvariantCulture)}\n");
        }
        var problems = new List<string>();
        var replay = OfflineAttribution.Run(RecordedReadings.Parse(readings.ToString(), problems), RecordedJobs.Parse(jobsCsv.ToString(), problems));

        Assert.Empty(problems);
        Assert.Equal(0, agent.Residual());
        Assert.Equal(0, replay.ResidualUj);
        foreach (var job in jobs)
        {
            var live = agent.Books.Jobs[job.Id].Energy;
            var offline = replay.JobEnergy(job.Id);
            Assert.True(live[ComponentKind.Cpu].Microjoules > 0 && live[ComponentKind.Gpu].Microjoules > 0, $"job {job.Id} got no energy");
            foreach (var c in ComponentEnergy.Components) Assert.Equal(live[c].Microjoules, offline[c].Microjoules);
        }
        var books = replay.Nodes["n1"];
        Assert.Equal(agent.Books.Idle.Total, books.Idle.Total);
        Assert.Equal(agent.Books.Devices["package-0"].Wraps, books.Devices["package-0"].Wraps);
    }

    public void Dispose()
    {
        _sysfs.Dispose();
        _dir.Dispose();
    }
}
