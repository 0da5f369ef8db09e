using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Coca.TestSupport;

/// <summary>Which build of tests/native/fake_nvml.c.</summary>
public enum FakeNvmlVariant
{
    Full,
    /// <summary>Without the optional MIG functions (an older driver).</summary>
    NoMig,
    /// <summary>Without the required nvmlDeviceGetPowerUsage (a wrong library).</summary>
    NoPower,
}

/// <summary>One fake GPU as the state file describes it.</summary>
public sealed class FakeGpu
{
    public string Name { get; set; } = "NVIDIA H100 80GB HBM3";
    public required string Uuid { get; set; }
    public required string Pci { get; set; }
    public ulong EnergyMj { get; set; }
    public uint PowerMw { get; set; } = 100_000;
    public uint LimitMw { get; set; } = 700_000;
    public uint UtilGpu { get; set; }
    public ulong MemTotal { get; set; } = 85_899_345_920;
    public ulong MemUsed { get; set; }
    public uint Temp { get; set; } = 40;
    public bool Lost { get; set; }
    public string? Procs { get; set; }
    public List<(string Uuid, int Slices)> Mig { get; } = [];
    public Dictionary<string, int> ReturnCodes { get; } = [];
}

/// <summary>
/// The NVML test library, compiled with gcc into a temp folder, and its state file: the project's
/// real P/Invoke code loads it through <c>--nvml-lib</c>. Each instance has its own copy of the
/// library with its state file beside it (<c>&lt;library&gt;.state</c>).
/// </summary>
public sealed class FakeNvml : IDisposable
{
    private static readonly Lock BuildGate = new();
    private static readonly Dictionary<FakeNvmlVariant, string> Built = [];
    private readonly TempDirectory _dir = new("coca-nvml");

    public FakeNvml(FakeNvmlVariant variant = FakeNvmlVariant.Full)
    {
        LibraryPath = _dir.Combine("libnvidia-ml.so.1");
        File.Copy(BuildOnce(variant), LibraryPath);
    }

    public string LibraryPath { get; }
    public string StatePath => LibraryPath + ".state";
    public List<FakeGpu> Gpus { get; } = [];
    public Dictionary<string, int> GlobalReturnCodes { get; } = [];
    public string Driver { get; set; } = "550.54.15";

    /// <summary>When set, the library looks at its state file at most this often (benchmarks).</summary>
    public int? ReloadMs { get; set; }

    public static FakeGpu Gpu(int i, ulong energyMj = 0) => new()
    {
        Uuid = $"GPU-{i:x8}-1111-2222-3333-444444444444",
        Pci = $"00000000:{0x17 + i * 0x10:X2}:00.0",
        EnergyMj = energyMj,
    };

    /// <summary>Writes the state; the library re-reads it on its next call.</summary>
    public void Write()
    {
        // Atomically: the library may re-read while a test writes, and half a file reads as GPUs with zero
        // energy, a counter "reset" that the next full read turns into a whole counter's worth of joules.
        // The rename also gives a new inode, which the library compares with its mtime and size.
        var temporary = StatePath + ".tmp";
        File.WriteAllText(temporary, StateText());
        File.Move(temporary, StatePath, overwrite: true);
    }

    public string StateText()
    {
        var s = new StringBuilder();
        s.Append("driver=").Append(Driver).Append('\n');
        s.Append("count=").Append(Gpus.Count).Append('\n');
        if (ReloadMs is { } ms) s.Append(CultureInfo.InvariantCulture, $"reload_ms={ms}\n");
        foreach (var (fn, rc) in GlobalReturnCodes) s.Append($"rc.{fn}={rc}\n");
        for (var i = 0; i < Gpus.Count; i++)
        {
            var g = Gpus[i];
            void Line(string key, object value) => s.Append(CultureInfo.InvariantCulture, $"gpu{i}.{key}={value}\n");
            Line("name", g.Name);
            Line("uuid", g.Uuid);
            Line("pci", g.Pci);
            Line("minor", i);
            Line("energy_mj", g.EnergyMj);
            Line("power_mw", g.PowerMw);
            Line("limit_mw", g.LimitMw);
            Line("util_gpu", g.UtilGpu);
            Line("mem_total", g.MemTotal);
            Line("mem_used", g.MemUsed);
            Line("temp", g.Temp);
            Line("lost", g.Lost ? 1 : 0);
            if (g.Procs is not null) Line("procs", g.Procs);
            if (g.Mig.Count > 0) Line("mig", 1);
            for (var m = 0; m < g.Mig.Count; m++)
            {
                Line($"mig{m}.uuid", g.Mig[m].Uuid);
                Line($"mig{m}.slices", g.Mig[m].Slices);
            }
            foreach (var (fn, rc) in g.ReturnCodes) Line($"rc.{fn}", rc);
        }
        return s.ToString();
    }

    /// <summary>A shell line that sets one GPU's counter, for the measured command to run mid-run.</summary>
    public string ShellSetEnergy(int gpu, ulong energyMj) =>
        $"sed -i 's/^gpu{gpu}.energy_mj=.*/gpu{gpu}.energy_mj={energyMj}/' '{StatePath}'";

    private static string BuildOnce(FakeNvmlVariant variant)
    {
        lock (BuildGate)
        {
            if (Built.TryGetValue(variant, out var path)) return path;
            var source = FindSource();
            var output = Path.Combine(Path.GetTempPath(), $"coca-fake-nvml-{Environment.ProcessId}-{variant}.so");
            var define = variant switch { FakeNvmlVariant.NoMig => "-DFAKE_NO_MIG", FakeNvmlVariant.NoPower => "-DFAKE_NO_POWER", _ => "-DFAKE_FULL" };
            var gcc = Process.Start(new ProcessStartInfo("gcc", ["-shared", "-fPIC", "-O2", "-Wall", "-Wextra", "-Werror", define, "-o", output, source, "-lpthread"])
            {
                RedirectStandardError = true,
            })!;
            var errors = gcc.StandardError.ReadToEnd();
            gcc.WaitForExit();
            if (gcc.ExitCode != 0) throw new InvalidOperationException($"gcc could not build the NVML test library: {errors}");
            Built[variant] = output;
            return output;
        }
    }

    private static string FindSource()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "native", "fake_nvml.c");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("tests/native/fake_nvml.c not found above " + AppContext.BaseDirectory);
    }

    public void Dispose() => _dir.Dispose();
}
