using System.Globalization;
using System.Text;
using Coca.Core.Attribution.Offline;
using Coca.Core.Units;

namespace Coca.Bench;

/// <summary>
/// The attribution engine the agent runs, replayed by <c>coca attribute</c>'s path over a generated day with known ground truth: a package counter that
/// wraps, GPU counters that reset (driver reload), GPUs known only by sampled power, gaps in the readings,
/// and jobs sharing the CPU. Reports each job's error against the truth and the books' residual.
/// </summary>
internal static class AccuracyBench
{
    public sealed record Result(int Jobs, int Readings, int Problems, double WorstErrorPercent, string WorstJob, double MeanErrorPercent, long ResidualUj, double TotalKwh);

    private const int Seconds = 86_400;
    private const int Gpus = 4;

    public static Result Run(int seed)
    {
        var random = new Random(seed);
        // Jobs: 1–4 h, each on one GPU (exclusive), with a CPU share; GPUs busy at 200–350 W while held, 60 W idle.
        var jobs = new List<(string Id, int Gpu, int Start, int End, double Share, double GpuWatts)>();
        var gpuFree = new int[Gpus];
        for (var id = 1; jobs.Count < 24 && id < 10_000; id++)
        {
            var gpu = random.Next(Gpus);
            var start = gpuFree[gpu] + random.Next(0, 3_600);
            var end = start + random.Next(3_600, 4 * 3_600);
            if (end >= Seconds) continue;
            gpuFree[gpu] = end;
            jobs.Add(($"job{id}", gpu, start, end, Math.Round(0.05 + random.NextDouble() * 0.2, 3), 200 + random.NextDouble() * 150));
        }

        // Truth, second by second. The package draws 40 W plus 150 W × the CPU shares in use.
        var truth = jobs.ToDictionary(j => j.Id, _ => 0.0);
        var packageWatts = new double[Seconds];
        var gpuWatts = new double[Gpus, Seconds];
        for (var t = 0; t < Seconds; t++)
        {
            var shares = 0.0;
            for (var g = 0; g < Gpus; g++) gpuWatts[g, t] = 60;
            foreach (var j in jobs)
            {
                if (t < j.Start || t >= j.End) continue;
                shares += j.Share;
                gpuWatts[j.Gpu, t] = j.GpuWatts;
            }
            packageWatts[t] = 40 + 150 * Math.Min(1, shares);
            foreach (var j in jobs)
            {
                if (t < j.Start || t >= j.End) continue;
                truth[j.Id] += j.GpuWatts + packageWatts[t] * j.Share;
            }
        }

        // Readings every second, with gaps (agent restarts: 5–30 s with no reading), as the agent would record them.
        var csv = new StringBuilder("time,node,device,energy_j,power_w,max_energy_j\n");
        var gaps = new bool[Seconds + 1];
        for (var k = 0; k < 20; k++)
        {
            var at = random.Next(1, Seconds - 40);
            for (var t = at; t < at + random.Next(5, 31); t++) gaps[t] = true;
        }
        const double packageRangeJ = 262_143.328850; // RAPL's range: this package wraps several times a day
        double package = 250_000, dram = 0;
        var gpuCounter = new double[Gpus];
        var resetAt = new[] { 30_000, -1, 61_000, -1 };  // GPUs 0 and 2 see a driver reload
        var powerOnly = new[] { false, false, false, true }; // GPU 3 has no energy counter (pre-Volta): sampled power only
        var readings = 0;
        for (var t = 0; t <= Seconds; t++)
        {
            if (t > 0)
            {
                package += packageWatts[t - 1];
                dram += 12;
                for (var g = 0; g < Gpus; g++)
                {
                    gpuCounter[g] = t - 1 == resetAt[g] ? 0 : gpuCounter[g];
                    gpuCounter[g] += gpuWatts[g, t - 1];
                }
            }
            if (gaps[t]) continue;
            var time = t.ToString(CultureInfo.InvariantCulture);
            csv.Append(time).Append(",n1,package-0,").Append((package % (packageRangeJ + 1e-6)).ToString("F6", CultureInfo.InvariantCulture)).Append(",,").Append(packageRangeJ.ToString("F6", CultureInfo.InvariantCulture)).Append('\n');
            csv.Append(time).Append(",n1,dram-0,").Append(dram.ToString("F6", CultureInfo.InvariantCulture)).Append(",,\n");
            for (var g = 0; g < Gpus; g++)
            {
                if (powerOnly[g]) csv.Append(time).Append(",n1,gpu").Append(g).Append(",,").Append(gpuWatts[g, Math.Min(t, Seconds - 1)].ToString("F3", CultureInfo.InvariantCulture)).Append(",\n");
                else csv.Append(time).Append(",n1,gpu").Append(g).Append(',').Append(gpuCounter[g].ToString("F6", CultureInfo.InvariantCulture)).Append(",,\n");
            }
            readings += 2 + Gpus;
        }
        var jobsCsv = new StringBuilder("job_id,user,node,start,end,gpus,cpu_share\n");
        foreach (var j in jobs) jobsCsv.Append(CultureInfo.InvariantCulture, $"{j.Id},u,n1,{j.Start},{j.End},gpu{j.Gpu},{j.Share}\n");

        var problems = new List<string>();
        var result = OfflineAttribution.Run(RecordedReadings.Parse(csv.ToString(), problems), RecordedJobs.Parse(jobsCsv.ToString(), problems));
        var errors = jobs.Select(j =>
        {
            var energy = result.JobEnergy(j.Id);
            var measured = (energy[ComponentKind.Gpu] + energy[ComponentKind.Cpu]).Joules;
            return (j.Id, Percent: Math.Abs(measured - truth[j.Id]) / truth[j.Id] * 100);
        }).ToList();
        var worst = errors.MaxBy(e => e.Percent);
        return new Result(jobs.Count, readings, problems.Count, worst.Percent, worst.Id, errors.Average(e => e.Percent), result.ResidualUj, result.Total.Kwh);
    }
}
