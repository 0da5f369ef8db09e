using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Coca.Bench;

/// <summary>
/// `coca run`'s own cost: a CPU-bound command (hashing 1 GiB) run bare and under `coca run`, alternated,
/// CPU time of the whole process tree from getrusage(RUSAGE_CHILDREN).
/// </summary>
internal static partial class RunOverheadBench
{
    public sealed record Result(int Pairs, double BareMedianS, double CocaMedianS, double AddedS, double AddedPercent, IReadOnlyList<(double Bare, double Coca)> Runs);

    public const string Workload = "head -c 1073741824 /dev/zero | sha256sum > /dev/null";

    public static Result Run(string cocaCommand, int pairs)
    {
        var runs = new List<(double, double)>();
        for (var i = 0; i < pairs; i++)
        {
            var bare = ChildCpu("sh", ["-c", Workload]);
            var parts = cocaCommand.Split(' ');
            var coca = ChildCpu(parts[0], [.. parts[1..], "run", "--no-csv", "--no-gpu", "--", "sh", "-c", Workload]);
            runs.Add((bare, coca));
        }
        var bareMedian = Median(runs.Select(r => r.Item1));
        var cocaMedian = Median(runs.Select(r => r.Item2));
        return new Result(pairs, bareMedian, cocaMedian, cocaMedian - bareMedian, (cocaMedian - bareMedian) / bareMedian * 100, runs);
    }

    private static double ChildCpu(string file, string[] args)
    {
        var before = ChildrenSeconds();
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        _ = p.StandardOutput.ReadToEndAsync();
        _ = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
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
