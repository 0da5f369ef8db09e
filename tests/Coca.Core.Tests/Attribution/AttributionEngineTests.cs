using Coca.Core.Attribution;
using Coca.Core.Readings;
using Coca.Core.Units;

namespace Coca.Core.Tests.Attribution;

public class AttributionEngineTests
{
    private const ulong RaplMax = 262_143_328_850;

    private static readonly DeviceInfo[] Devices =
    [
        new("package-0", ComponentKind.Cpu, true, "rapl", "pkg") { CounterUnitUj = 1, CounterMax = RaplMax, MaxPowerW = 200 },
        new("dram-0", ComponentKind.Dram, true, "rapl", "dram") { CounterUnitUj = 1, CounterMax = RaplMax, MaxPowerW = 50 },
        new("gpu:GPU-a", ComponentKind.Gpu, true, "nvml", "A") { CounterUnitUj = 1000, MaxPowerW = 700 },
        new("gpu:GPU-b", ComponentKind.Gpu, true, "nvml", "B") { CounterUnitUj = 1000, MaxPowerW = 700 },
        new("core-0", ComponentKind.Cpu, false, "rapl", "core") { CounterUnitUj = 1, CounterMax = RaplMax },
    ];

    /// <summary>A simulated node: constant power per device, hardware counters that start anywhere and wrap.</summary>
    private sealed class Node(double[] watts, ulong[] rawStart)
    {
        private readonly double[] _sourceUj = new double[watts.Length];   // what a source counts since it opened
        private readonly double[] _hardwareUj = new double[watts.Length]; // what the hardware counted since the test began
        private double _last = double.NaN;

        public DeviceSample[] At(double t)
        {
            if (!double.IsNaN(_last))
            {
                for (var i = 0; i < watts.Length; i++)
                {
                    var uj = watts[i] * (t - _last) * 1e6;
                    _sourceUj[i] += uj;
                    _hardwareUj[i] += uj;
                }
            }
            _last = t;
            return Enumerable.Range(0, watts.Length).Select(i =>
            {
                var unit = Devices[i].CounterUnitUj;
                var range = (UInt128)(Devices[i].CounterMax ?? ulong.MaxValue - 1) + 1;
                var raw = (ulong)(((UInt128)rawStart[i] + (UInt128)(ulong)(_hardwareUj[i] / unit)) % range);
                return new DeviceSample
                {
                    EnergyUj = (long)_sourceUj[i],
                    RawCounter = raw,
                    Provenance = Provenance.Measured,
                    PowerW = watts[i],
                    Utilisation = i == 2 ? 0.9 : i == 3 ? 0.0 : double.NaN,
                    MemoryUsedBytes = double.NaN,
                    State = DeviceState.Ok,
                };
            }).ToArray();
        }

        /// <summary>A restarted agent's sources count from zero again; the hardware counters do not.</summary>
        public void RestartSources() => Array.Clear(_sourceUj);
    }

    private static Holder Job(string id, double from, double to, double share, params string[] gpus) =>
        new(id, "u" + id, from, to, gpus, gpus.Select(g => Array.FindIndex(Devices, d => d.Id == g)).ToArray(), share, "test share");

    // A new list each time: a job caches its books, which belong to one engine.
    private static Holder[] TwoJobs =>
    [
        Job("1", 1000, double.PositiveInfinity, 0.25, "gpu:GPU-a"),
        Job("2", 1005, 1015, 0.5, "gpu:GPU-b"),
    ];

    [Fact]
    public void Overlapping_jobs_are_charged_their_gpus_and_cpu_shares_and_the_books_balance()
    {
        var node = new Node([50, 10, 100, 200, 30], [RaplMax - 500_000_000, 7, 1_000, 2_000, 0]);
        var engine = new AttributionEngine(Devices, new Books());
        var active = TwoJobs;
        for (var t = 1000; t <= 1020; t++) engine.Tick(t, node.At(t), active);

        var jobs = engine.Books.Jobs;
        Assert.Equal(100 * 20 * 1e6, jobs["1"].Energy[ComponentKind.Gpu].Microjoules, 3);
        Assert.Equal(200 * 10 * 1e6, jobs["2"].Energy[ComponentKind.Gpu].Microjoules, 3);
        // package: job 1 holds 1/4 for 20 s, job 2 holds 1/2 for 10 s (its end at 1015 falls on a tick).
        Assert.Equal(50 * 0.25 * 20 * 1e6, jobs["1"].Energy[ComponentKind.Cpu].Microjoules, 3);
        Assert.Equal(50 * 0.5 * 10 * 1e6, jobs["2"].Energy[ComponentKind.Cpu].Microjoules, 3);
        Assert.Equal(200 * 10 * 1e6, engine.Books.Idle[ComponentKind.Gpu].Microjoules, 3);
        Assert.Equal(0, engine.Residual());
        Assert.Equal(30 * 20 * 1e6, engine.Books.Devices["core-0"].TotalUj, 3); // reported, never charged
    }

    [Fact]
    public void Gpu_passed_from_one_job_to_the_next_mid_tick_is_split_by_time_and_a_gpu_listed_twice_counts_once()
    {
        var node = new Node([50, 10, 100, 200, 30], [0, 0, 0, 0, 0]);
        var engine = new AttributionEngine(Devices, new Books());
        // Job 3 holds GPU a until 1010.5, job 4 from then on; job 5 names GPU b twice.
        Holder[] jobs = [Job("3", 1000, 1010.5, 0, "gpu:GPU-a"), Job("4", 1010.5, double.PositiveInfinity, 0, "gpu:GPU-a"), Job("5", 1000, double.PositiveInfinity, 0, "gpu:GPU-b", "gpu:GPU-b")];
        for (var t = 1000; t <= 1020; t++) engine.Tick(t, node.At(t), jobs);

        var books = engine.Books.Jobs;
        Assert.Equal(100 * 10.5 * 1e6, books["3"].Energy[ComponentKind.Gpu].Microjoules, 3);
        Assert.Equal(100 * 9.5 * 1e6, books["4"].Energy[ComponentKind.Gpu].Microjoules, 3);
        Assert.Equal(200 * 20 * 1e6, books["5"].Energy[ComponentKind.Gpu].Microjoules, 3);
        Assert.Equal(20, books["5"].GpuSeconds, 6);
        Assert.Equal(0, engine.Residual());
    }

    [Fact]
    public void Gpu_use_and_energy_after_last_activity_are_kept_per_job()
    {
        var node = new Node([50, 10, 100, 200, 30], [0, 0, 0, 0, 0]);
        var engine = new AttributionEngine(Devices, new Books());
        var jobs = TwoJobs;
        for (var t = 1000; t <= 1020; t++) engine.Tick(t, node.At(t), jobs);
        var busy = engine.Books.Jobs["1"];
        Assert.Equal(20, busy.GpuSeconds, 6);
        Assert.Equal(0.9, busy.GpuBusySeconds / busy.GpuSeconds, 6);
        Assert.Equal(1020, busy.LastGpuActivity);
        var idle = engine.Books.Jobs["2"];
        Assert.Equal(10, idle.IdleGpuSeconds, 6);
        Assert.Null(idle.LastGpuActivity);
        Assert.Equal(idle.Energy.Total.Microjoules, idle.EnergyAfterLastGpuActivityUj);
    }

    [Fact]
    public void Restart_resumes_from_the_raw_counters_without_losing_or_double_counting()
    {
        double[] watts = [50, 10, 100, 200, 30];
        ulong[] start = [RaplMax - 400_000_000, 5, 10, 20, 0]; // package wraps while the agent is down
        var uninterrupted = new AttributionEngine(Devices, new Books());
        var reference = new Node(watts, start);
        var referenceJobs = TwoJobs;
        for (var t = 1000; t <= 1020; t++) uninterrupted.Tick(t, reference.At(t), referenceJobs);

        var node = new Node(watts, start);
        var state = new Books();
        var first = new AttributionEngine(Devices, state);
        var firstJobs = TwoJobs;
        for (var t = 1000; t <= 1007; t++) first.Tick(t, node.At(t), firstJobs);
        // SIGKILL at 1007.x: the state saved after the tick at 1007 survives; 1008–1011 pass unobserved.
        node.At(1011);
        node.RestartSources();
        var second = new AttributionEngine(Devices, Roundtrip(state));
        var secondJobs = TwoJobs;
        for (var t = 1011; t <= 1020; t++) second.Tick(t, node.At(t), secondJobs);

        foreach (var id in new[] { "1", "2" })
        {
            for (var c = 0; c < 4; c++)
            {
                Close(uninterrupted.Books.Jobs[id].Energy[(ComponentKind)c].Microjoules, second.Books.Jobs[id].Energy[(ComponentKind)c].Microjoules, 2_000); // µJ rounding only
            }
        }
        Close(uninterrupted.Books.Devices["package-0"].TotalUj, second.Books.Devices["package-0"].TotalUj, 2_000);
        Assert.Equal(0, second.Residual());
    }

    [Fact]
    public void Implausible_counter_jump_after_restart_is_not_counted()
    {
        var node = new Node([50, 10, 100, 200, 30], [0, 0, 0, 0, 0]);
        var state = new Books();
        var first = new AttributionEngine(Devices, state);
        first.Tick(1000, node.At(1000), []);
        first.Tick(1001, node.At(1001), []);
        state.Devices["gpu:GPU-a"].Raw = 5; // as if the driver reloaded and its counter restarted near zero…
        var later = new Node([50, 10, 100, 200, 30], [0, 0, 50_000_000_000, 0, 0]); // …then read 50 MJ two seconds on
        var second = new AttributionEngine(Devices, Roundtrip(state));
        later.At(1003);
        second.Tick(1003, later.At(1003), []);
        Assert.Equal(100 * 1e6, second.Books.Devices["gpu:GPU-a"].TotalUj, 3); // only the first second counted
        Assert.Equal(0, second.Residual());
    }

    [Fact]
    public void Job_without_cpu_share_leaves_cpu_unattributed_and_gpu_charged()
    {
        var node = new Node([50, 10, 100, 200, 30], [0, 0, 0, 0, 0]);
        var engine = new AttributionEngine(Devices, new Books());
        Holder[] jobs = [Job("9", 1000, double.PositiveInfinity, double.NaN, "gpu:GPU-a")];
        for (var t = 1000; t <= 1010; t++) engine.Tick(t, node.At(t), jobs);
        Assert.Equal(50 * 10 * 1e6, engine.Books.Unattributed[ComponentKind.Cpu].Microjoules, 3);
        Assert.Equal(100 * 10 * 1e6, engine.Books.Jobs["9"].Energy[ComponentKind.Gpu].Microjoules, 3);
        Assert.Equal(0, engine.Residual());
    }

    [Fact]
    public void Cpu_energy_is_held_until_its_window_closes_and_split_by_that_windows_shares()
    {
        var node = new Node([50, 10, 100, 200, 30], [0, 0, 0, 0, 0]);
        var engine = new AttributionEngine(Devices, new Books());
        var jobs = new[] { Job("1", 1000, double.PositiveInfinity, 0.25, "gpu:GPU-a") };
        engine.Tick(1000, node.At(1000), jobs, settle: true);
        for (var t = 1001; t < 1010; t++) engine.Tick(t, node.At(t), jobs, settle: false);
        var cpu = (int)ComponentKind.Cpu;
        Assert.Equal(0, engine.Books.Jobs["1"].Energy[(ComponentKind)cpu].Microjoules);               // held, not yet split
        Assert.Equal(100 * 9 * 1e6, engine.Books.Jobs["1"].Energy[ComponentKind.Gpu].Microjoules, 3); // GPUs every tick
        Assert.Equal((50 + 10) * 9 * 1e6, engine.HeldUj, 3);
        Assert.Equal(0, engine.Residual());                                   // held energy is counted, not lost

        jobs[0].CpuShare = 0.75; // what the job used over this window, measured at its end
        engine.Tick(1010, node.At(1010), jobs, settle: true);
        Assert.Equal(0, engine.HeldUj);
        Assert.Equal(50 * 0.75 * 10 * 1e6, engine.Books.Jobs["1"].Energy[(ComponentKind)cpu].Microjoules, 3);
        Assert.Equal(50 * 0.25 * 10 * 1e6, engine.Books.Idle[(ComponentKind)cpu].Microjoules, 3);
        Assert.Equal(10, engine.Books.Jobs["1"].CoveredSeconds, 9);
        Assert.Equal(0, engine.Residual());
    }

    [Fact]
    public void Windows_of_any_length_charge_what_every_tick_charges_when_shares_hold_still()
    {
        var everyTick = new AttributionEngine(Devices, new Books());
        var everySeventh = new AttributionEngine(Devices, new Books());
        double[] wattsA = [47.3, 9.1, 100, 200, 30], wattsB = [47.3, 9.1, 100, 200, 30];
        var a = new Node(wattsA, [RaplMax - 123_456, 5, 0, 0, 0]);
        var b = new Node(wattsB, [RaplMax - 123_456, 5, 0, 0, 0]);
        var jobsA = TwoJobs;
        var jobsB = TwoJobs;
        for (var t = 1000; t <= 1030; t++)
        {
            // The package's power moves every second; job 2 (1005 to 1015) starts and ends inside windows.
            wattsA[0] = wattsB[0] = 20 + (t % 5) * 17.5;
            everyTick.Tick(t, a.At(t), jobsA);
            everySeventh.Tick(t, b.At(t), jobsB, settle: t % 7 == 0 || t == 1030);
        }
        foreach (var id in new[] { "1", "2" })
        {
            for (var c = 0; c < 4; c++) Close(everyTick.Books.Jobs[id].Energy[(ComponentKind)c].Microjoules, everySeventh.Books.Jobs[id].Energy[(ComponentKind)c].Microjoules, 3); // rounding only
            Assert.Equal(everyTick.Books.Jobs[id].CoveredSeconds, everySeventh.Books.Jobs[id].CoveredSeconds, 9);
        }
        for (var c = 0; c < 4; c++) Close(everyTick.Books.Idle[(ComponentKind)c].Microjoules, everySeventh.Books.Idle[(ComponentKind)c].Microjoules, 3);
        Assert.Equal(0, everyTick.Residual());
        Assert.Equal(0, everySeventh.Residual());
        Assert.Equal(0, everySeventh.HeldUj);
    }

    [Fact]
    public void A_window_split_after_the_gpus_went_idle_counts_only_its_part_after_the_last_activity()
    {
        var node = new Node([60, 0, 100, 200, 0], [0, 0, 0, 0, 0]);
        var engine = new AttributionEngine(Devices, new Books());
        var jobs = new[] { Job("1", 1000, double.PositiveInfinity, 1.0, "gpu:GPU-a") }; // GPU a is 90 % busy throughout
        engine.Tick(1000, node.At(1000), jobs, settle: true);
        for (var t = 1001; t < 1010; t++) engine.Tick(t, node.At(t), jobs, settle: false);
        var book = engine.Books.Jobs["1"];
        book.LastGpuActivity = 1006; // as if its GPU had gone idle at 1006
        book.EnergyAfterLastGpuActivityUj = 0;
        engine.Settle(1009, jobs);
        Assert.Equal(60 * 9 * 1e6, book.Energy[ComponentKind.Cpu].Microjoules, 3);
        Assert.Equal(60 * 3 * 1e6, book.EnergyAfterLastGpuActivityUj, 3); // 1006 to 1009 of the window 1000 to 1009
    }

    [Fact]
    public void Retired_jobs_keep_the_books_balanced()
    {
        var node = new Node([50, 10, 100, 200, 30], [0, 0, 0, 0, 0]);
        var engine = new AttributionEngine(Devices, new Books());
        var jobs = TwoJobs;
        for (var t = 1000; t <= 1020; t++) engine.Tick(t, node.At(t), jobs);
        engine.Retire("2");
        Assert.False(engine.Books.Jobs.ContainsKey("2"));
        Assert.Equal(0, engine.Residual());
    }

    [Fact]
    public void A_held_gpu_never_seen_busy_is_unused_with_the_energy_charged_from_it()
    {
        var node = new Node([50, 10, 100, 200, 30], [0, 0, 0, 0, 0]);
        var engine = new AttributionEngine(Devices, new Books());
        Holder[] jobs = [Job("9", 1000, double.PositiveInfinity, 0.5, "gpu:GPU-a", "gpu:GPU-b")]; // a at 90 %, b at 0 %
        for (var t = 1000; t <= 1020; t++) engine.Tick(t, node.At(t), jobs);

        var book = engine.Books.Jobs["9"];
        Assert.Equal(1, book.UnusedGpus(out var unusedUj));
        Assert.Equal(200 * 20 * 1e6, unusedUj, 3); // GPU b's whole draw
        Assert.Equal(book.Energy[ComponentKind.Gpu].Microjoules, book.GpuEnergyUj!.Sum());
        Assert.Equal([0.9, 0.0], book.GpuPeakUtilisation!.Select(p => p!.Value));
        Assert.Equal(0, engine.Residual());
    }

    [Fact]
    public void A_gpu_busy_once_is_used_and_a_gpu_never_read_is_not_counted_unused()
    {
        var book = new JobBook { Gpus = ["gpu:GPU-a", "gpu:GPU-b", "gpu:GPU-c"], GpuEnergyUj = [5, 7, 11], GpuPeakUtilisation = [0.01, null, 0] };
        Assert.Equal(1, book.UnusedGpus(out var uj));
        Assert.Equal(11, uj);
        Assert.Equal(0, new JobBook().UnusedGpus(out uj)); // books before per-GPU figures: nothing known unused
    }

    [Fact]
    public void Per_gpu_figures_survive_a_restart_and_old_books_without_them_are_sized_when_the_job_is_taken()
    {
        var node = new Node([50, 10, 100, 200, 30], [0, 0, 0, 0, 0]);
        var engine = new AttributionEngine(Devices, new Books());
        Holder[] jobs = [Job("9", 1000, double.PositiveInfinity, 0.5, "gpu:GPU-a", "gpu:GPU-b")];
        for (var t = 1000; t <= 1010; t++) engine.Tick(t, node.At(t), jobs);
        var saved = Roundtrip(engine.Books);
        Assert.Equal(engine.Books.Jobs["9"].GpuEnergyUj, saved.Jobs["9"].GpuEnergyUj);

        saved.Jobs["9"].GpuEnergyUj = null; // as books written before these figures
        saved.Jobs["9"].GpuPeakUtilisation = null;
        var resumed = new AttributionEngine(Devices, saved);
        jobs = [Job("9", 1000, double.PositiveInfinity, 0.5, "gpu:GPU-a", "gpu:GPU-b")];
        for (var t = 1011; t <= 1020; t++) resumed.Tick(t, node.At(t), jobs);
        Assert.Equal(1, resumed.Books.Jobs["9"].UnusedGpus(out var uj));
        Assert.Equal(200 * 10 * 1e6, uj, 3); // since the restart: what came before was not kept per GPU
    }

    private static void Close(long expected, long actual, long tolerance) => Assert.InRange(actual, expected - tolerance, expected + tolerance);

    // Through JSON, as the agent saves its books (the agent's own state-file tests cover the file itself).
    private static readonly System.Text.Json.JsonSerializerOptions BooksJson = new()
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static Books Roundtrip(Books state) =>
        System.Text.Json.JsonSerializer.Deserialize<Books>(System.Text.Json.JsonSerializer.Serialize(state, BooksJson), BooksJson)!;
}
