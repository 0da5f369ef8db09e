using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Coca.Bench;

/// <summary>
/// `coca run`'s own cost: CPU-bound commands (hashing a fixed amount of zeros) run bare and under `coca run`,
/// alternated, CPU time of the whole process tree from getrusage(RUSAGE_CHILDREN), less (under coca) the command's own
/// CPU as coca measured it (its getrusage of the reaped command): coca's cost inside the very run, which the
/// difference of medians cannot resolve when runs of the command alone vary by more; and the two parts of that
/// cost apart: what starting and stopping costs once (`coca run -- true`) and what each second of sampling
/// costs (`coca run -- sleep 10` less that).
/// </summary>
internal static partial class RunOverheadBench
{
    /// <param name="Runs">Each pair: bare tree CPU, tree CPU under coca, and within that run the command's own CPU as coca measured it.</param>
    public sealed record Pairs(string Workload, int Count, double BareMedianS, double CocaMedianS, IReadOnlyList<(double Bare, double Coca, double Command)> Runs)
    {
        public double AddedS => CocaMedianS - BareMedianS;
        public double AddedPercent => AddedS / BareMedianS * 100;

        /// <summary>What coca itself cost inside each run under it: the tree's CPU less the command's (median).</summary>
        public double InRunAddedS => Median(Runs.Select(r => r.Coca - r.Command));

        /// <summary>The noise of a median of bare runs: their spread (MAD × 1.4826) over √n, times 1.25 for a median.</summary>
        public double BareMedianNoiseS
        {
            get
            {
                var bare = Runs.Select(r => r.Bare).ToArray();
                var median = Median(bare);
                return 1.4826 * Median(bare.Select(b => Math.Abs(b - median))) * 1.2533 / Math.Sqrt(bare.Length);
            }
        }
    }

    public sealed record Costs(double StartStopMs, double PerSecondMs);

    /// <summary>SHA-256 over MiB of zeros: about 2.9 s of CPU per GiB on the reference machine.</summary>
    public static string Hashing(int mib) => $"head -c {mib * 1_048_576L} /dev/zero | sha256sum > /dev/null";

    public static Pairs Run(string[] coca, string workload, int pairs)
    {
        var runs = new List<(double, double, double)>();
        for (var i = 0; i < pairs; i++)
        {
            var bare = ChildCpu("sh", ["-c", workload]);
            var stdout = new System.Text.StringBuilder();
            var measured = ChildCpu(coca[0], [.. coca[1..], "run", "--no-csv", "--no-gpu", "--json", "--", "sh", "-c", workload], stdout);
            var command = System.Text.Json.JsonDocument.Parse(stdout.ToString()).RootElement.GetProperty("cpu_time_s").GetDouble();
            runs.Add((bare, measured, command));
        }
        return new Pairs(workload, pairs, Median(runs.Select(r => r.Item1)), Median(runs.Select(r => r.Item2)), runs);
    }

    public static Costs Split(string[] coca, int repeats, int sleepSeconds)
    {
        var startStop = StartStopSeconds(coca, repeats);
        var sleeping = Median(Enumerable.Range(0, Math.Max(1, repeats / 3)).Select(_ =>
            ChildCpu(coca[0], [.. coca[1..], "run", "--no-csv", "--no-gpu", "--json", "--", "sleep", sleepSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)])));
        return new Costs(startStop * 1000, (sleeping - startStop) * 1000 / sleepSeconds);
    }

    /// <summary>CPU of `coca run -- true`: starting, sampling twice, stopping and reporting (median).</summary>
    public static double StartStopSeconds(string[] coca, int repeats) =>
        Median(Enumerable.Range(0, repeats).Select(_ => ChildCpu(coca[0], [.. coca[1..], "run", "--no-csv", "--no-gpu", "--json", "--", "true"])));

    private static double ChildCpu(string file, string[] args, System.Text.StringBuilder? stdout = null)
    {
        var before = ChildrenSeconds();
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = p.StandardOutput.ReadToEndAsync();
        _ = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        stdout?.Append(output.Result);
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {p.ExitCode}");
        return ChildrenSeconds() - before;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static double ChildrenSeconds()
    {
        Span<long> usage = stackalloc long[18];
        unsafe
        {
            fixed (long* p = usage) GetRusage(-1, p);
        }
        return usage[0] + usage[1] / 1e6 + usage[2] + usage[3] / 1e6;
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static unsafe partial int GetRusage(int who, long* usage);
}
