using Coca.Core.Numerics;
using Coca.Core.Analysis;

namespace Coca.Core.Simulation;

/// <summary>A planted run of jobs (a crash loop or a sweep), by the members' generation order until ids are given.</summary>
public sealed record PlantedGroup(string Kind, IReadOnlyList<int> Members);

/// <summary>
/// Draws the submissions of <see cref="JobMix"/>: single jobs, crash loops, sweeps and job arrays, each with its
/// planted behaviours, unscheduled (no node, no start, no id yet). Every name, submit line and work directory carries
/// a tag of consonants unique to its submission, so that two submissions never share a fingerprint by chance (digits
/// drop out of fingerprints; no vowel means no <c>ood</c> or <c>jupyter</c> to read as interactive).
/// </summary>
public sealed class JobGenerator(SimulationOptions options, SplitMix64 rng)
{
    private static readonly string[] Prefixes = ["train", "finetune", "pretrain", "eval", "infer", "embed", "preprocess", "distill"];
    private readonly List<SimJob> _jobs = [];
    private readonly List<PlantedGroup> _groups = [];
    private readonly double[] _userWeights = [.. Enumerable.Range(1, options.Users).Select(r => 1.0 / Math.Pow(r, JobMix.UserZipf))];

    public (IReadOnlyList<SimJob> Jobs, IReadOnlyList<PlantedGroup> Groups) Generate()
    {
        var perUnit = (1 - JobMix.CrashLoopUnit - JobMix.SweepUnit - JobMix.ArrayUnit)
            + JobMix.CrashLoopUnit * ((JobMix.CrashLoopMin + JobMix.CrashLoopMax) / 2.0 + JobMix.CrashLoopFixed)
            + JobMix.SweepUnit * (JobMix.SweepMin + JobMix.SweepMax) / 2.0 + JobMix.ArrayUnit * (JobMix.ArrayMin + JobMix.ArrayMax) / 2.0;
        var units = (int)Math.Round(options.Users * options.Days * JobMix.JobsPerUserDay / perUnit);
        for (var u = 0; u < units; u++)
        {
            var user = rng.Pick(_userWeights);
            var submit = SubmitTime();
            var tag = Tag(u);
            var x = rng.NextDouble();
            if (x < JobMix.CrashLoopUnit) CrashLoop(user, submit, tag);
            else if (x < JobMix.CrashLoopUnit + JobMix.SweepUnit) Sweep(user, submit, tag);
            else if (x < JobMix.CrashLoopUnit + JobMix.SweepUnit + JobMix.ArrayUnit) Array(user, submit, tag);
            else Single(user, submit, tag);
        }
        return (_jobs, _groups);
    }

    private DateTimeOffset SubmitTime()
    {
        var dayWeights = Enumerable.Range(0, options.Days)
            .Select(d => options.Start.AddDays(d).DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? JobMix.Weekend : 1.0).ToArray();
        var day = rng.Pick(dayWeights);
        var hour = rng.Pick(JobMix.HourWeights);
        return options.Start.AddDays(day).AddHours(hour).AddSeconds(rng.Int(0, 3_599));
    }

    private void Single(int user, DateTimeOffset submit, string tag)
    {
        var prefix = Prefixes[rng.Int(0, Prefixes.Length - 1)];
        var gpus = rng.Chance(JobMix.CpuOnly) ? 0 : GpuCount();
        var interactive = gpus > 0 && rng.Chance(JobMix.Interactive);
        if (interactive) gpus = 1;
        var fails = rng.Chance(JobMix.SingleFails);
        var early = fails && rng.Chance(JobMix.FailsEarly);
        var state = !fails ? "COMPLETED" : early ? JobMix.EarlyStates[rng.Pick(JobMix.EarlyStateWeights)] : JobMix.LateStates[rng.Pick(JobMix.LateStateWeights)];
        var kinds = new List<string>();
        if (fails) kinds.Add(early ? BehaviourKind.FailedEarly : BehaviourKind.FailedLate);
        string? gpuKind = null;
        if (gpus > 0 && !early)
        {
            if (interactive) gpuKind = rng.Chance(JobMix.IdleInteractiveOfInteractive) ? BehaviourKind.IdleInteractive : null;
            else
            {
                var x = rng.NextDouble();
                gpuKind = x < JobMix.ZeroGpu ? BehaviourKind.ZeroGpu : x < JobMix.ZeroGpu + JobMix.LowGpu ? BehaviourKind.LowGpu
                    : x < JobMix.ZeroGpu + JobMix.LowGpu + JobMix.DataloaderBound ? BehaviourKind.DataloaderBound : null;
            }
        }
        if (gpuKind is not null) kinds.Add(gpuKind);
        double elapsed;
        if (early) elapsed = Math.Exp(rng.Uniform(Math.Log(20), Math.Log(JobMix.FailedEarlyMaxS)));
        else if (gpuKind == BehaviourKind.IdleInteractive) elapsed = rng.Uniform(JobMix.IdleInteractiveMinS, JobMix.IdleInteractiveMaxS);
        else
        {
            elapsed = fails ? rng.LogNormal(JobMix.FailedLateMedianS, JobMix.FailedLateSigma) : rng.LogNormal(JobMix.CompletedMedianS, JobMix.CompletedSigma);
            elapsed = Math.Max(elapsed, fails ? JobMix.FailedLateMinS : 60);
            if (gpuKind is not null) elapsed = Math.Max(elapsed, JobMix.GpuKindMinS);
        }
        var (elapsedS, limitS) = Limits(elapsed, state);
        var util = gpus == 0 ? 0 : gpuKind switch
        {
            BehaviourKind.ZeroGpu => 0,
            BehaviourKind.LowGpu => rng.Int(JobMix.LowUtilMin, JobMix.LowUtilMax),
            BehaviourKind.DataloaderBound => rng.Int(JobMix.LoaderUtilMin, JobMix.LoaderUtilMax),
            BehaviourKind.IdleInteractive => rng.Int(JobMix.IdleUtilMin, JobMix.IdleUtilMax),
            _ => rng.Int(JobMix.CleanUtilMin, JobMix.CleanUtilMax),
        };
        var busy = gpuKind == BehaviourKind.DataloaderBound ? rng.Uniform(JobMix.LoaderCpuBusyMin, JobMix.LoaderCpuBusyMax) : rng.Uniform(JobMix.CleanCpuBusyMin, JobMix.CleanCpuBusyMax);
        var unused = 0;
        if (gpus >= 2 && gpuKind is null && rng.Chance(JobMix.UnusedGpusOfMultiGpu))
        {
            // At most half idle: the job's mean stays above the low-GPU threshold, so only unused_gpus names it.
            unused = rng.Int(1, gpus / 2);
            util = (int)Math.Round(util * (gpus - unused) / (double)gpus);
            kinds.Add(BehaviourKind.UnusedGpus);
        }
        else if (gpuKind == BehaviourKind.ZeroGpu) unused = gpus;
        var tail = 0.0;
        if (util > 0 && rng.Chance(JobMix.Tail))
        {
            tail = rng.Uniform(JobMix.TailShareMin, JobMix.TailShareMax);
            kinds.Add(BehaviourKind.TailAfterGpuActivity);
        }
        else if (util > 0) tail = rng.Uniform(0, JobMix.CleanTailShareMax);
        Add(new SimJob
        {
            User = UserName(user), Account = Account(user), Partition = interactive ? "interactive" : "gpu",
            Name = (interactive ? "shell" : prefix) + "-" + tag,
            SubmitLine = interactive ? "srun --partition=interactive --pty bash" : $"sbatch {prefix}_{tag}.sh",
            WorkDir = $"/home/{UserName(user)}/{tag}", Gpus = gpus, Cpus = gpus == 0 ? rng.Int(1, 8) * 4 : gpus * JobMix.CpusPerGpu,
            Submit = submit, ElapsedS = elapsedS, TimelimitS = limitS, State = state, UtilPercent = util, CpuBusy = busy,
            UnusedGpus = unused, TailShare = tail, Kinds = kinds,
        });
    }

    private void CrashLoop(int user, DateTimeOffset submit, string tag)
    {
        var prefix = Prefixes[rng.Int(0, Prefixes.Length - 1)];
        var gpus = GpuCount();
        var n = rng.Int(JobMix.CrashLoopMin, JobMix.CrashLoopMax);
        var members = new List<int>();
        var t = submit;
        for (var i = 0; i < n; i++)
        {
            var early = rng.Chance(JobMix.FailsEarly);
            var elapsed = early ? Math.Exp(rng.Uniform(Math.Log(20), Math.Log(JobMix.FailedEarlyMaxS)))
                : Math.Max(JobMix.FailedLateMinS, rng.LogNormal(JobMix.FailedLateMedianS / 3, JobMix.FailedLateSigma));
            var state = rng.Chance(0.8) ? "FAILED" : "OUT_OF_MEMORY";
            var (elapsedS, limitS) = Limits(elapsed, state);
            members.Add(Add(Member(user, tag, prefix, gpus, t, elapsedS, limitS, state, $"sbatch {prefix}_{tag}.sh --seed {i}",
                [early ? BehaviourKind.FailedEarly : BehaviourKind.FailedLate])));
            // Resubmitted after the failure, within the rule's 24 h.
            t = t.AddSeconds(rng.Uniform(20 * 60, 6 * 3_600));
        }
        _groups.Add(new PlantedGroup(BehaviourKind.CrashLoop, members));
        if (rng.Chance(JobMix.CrashLoopFixed))
        {
            var (elapsedS, limitS) = Limits(rng.LogNormal(JobMix.CompletedMedianS, JobMix.CompletedSigma), "COMPLETED");
            Add(Member(user, tag, prefix, gpus, t.AddSeconds(rng.Uniform(1_800, 3 * 3_600)), elapsedS, limitS, "COMPLETED", $"sbatch {prefix}_{tag}.sh --seed {n}", []));
        }
    }

    private void Sweep(int user, DateTimeOffset submit, string tag)
    {
        var n = rng.Int(JobMix.SweepMin, JobMix.SweepMax);
        var gpus = Math.Min(GpuCount(), 2);
        var members = new List<int>();
        var t = submit;
        for (var i = 0; i < n; i++)
        {
            var (elapsedS, limitS) = Limits(rng.LogNormal(JobMix.SweepMedianS, JobMix.SweepSigma), "COMPLETED");
            members.Add(Add(Member(user, tag, "sweep", gpus, t, elapsedS, limitS, "COMPLETED", $"sbatch sweep_{tag}.sh --lr 0.{i + 1:000} --seed {i}", [])));
            t = t.AddSeconds(rng.Uniform(60, 15 * 60));
        }
        _groups.Add(new PlantedGroup(BehaviourKind.Sweep, members));
    }

    private void Array(int user, DateTimeOffset submit, string tag)
    {
        var n = rng.Int(JobMix.ArrayMin, JobMix.ArrayMax);
        var members = new List<int>();
        for (var i = 0; i < n; i++)
        {
            var (elapsedS, limitS) = Limits(rng.LogNormal(JobMix.SweepMedianS, JobMix.SweepSigma), "COMPLETED");
            members.Add(Add(Member(user, tag, "grid", 1, submit, elapsedS, limitS, "COMPLETED", $"sbatch --array=0-{n - 1} grid_{tag}.sh", []) with { ArrayOf = tag }));
        }
        _groups.Add(new PlantedGroup(BehaviourKind.Sweep, members));
    }

    // A member of a run: it used its GPUs well and left nothing behind; only its state and its run make it a finding.
    private SimJob Member(int user, string tag, string prefix, int gpus, DateTimeOffset submit, long elapsedS, long limitS, string state, string submitLine, List<string> kinds) => new()
    {
        User = UserName(user), Account = Account(user), Partition = "gpu", Name = prefix + "-" + tag, SubmitLine = submitLine,
        WorkDir = $"/home/{UserName(user)}/{tag}", Gpus = gpus, Cpus = gpus * JobMix.CpusPerGpu, Submit = submit, ElapsedS = elapsedS,
        TimelimitS = limitS, State = state, UtilPercent = rng.Int(JobMix.CleanUtilMin, JobMix.CleanUtilMax),
        CpuBusy = rng.Uniform(JobMix.CleanCpuBusyMin, JobMix.CleanCpuBusyMax), TailShare = rng.Uniform(0, JobMix.CleanTailShareMax), Kinds = kinds,
    };

    private int Add(SimJob job)
    {
        var order = _jobs.Count;
        _jobs.Add(job with { Order = order, QueueDelayS = rng.Int(5, 120), NodeHint = rng.Int(0, options.Nodes - 1) });
        return order;
    }

    private int GpuCount() => Math.Min(JobMix.GpuCounts[rng.Pick(JobMix.GpuCountWeights)], options.GpusPerNode);

    // Whole seconds, and the smallest usual limit above them; a TIMEOUT ran to its limit.
    private static (long ElapsedS, long LimitS) Limits(double elapsed, string state)
    {
        var e = (long)Math.Clamp(Math.Round(elapsed), 1, 47 * 3_600);
        var limit = JobMix.TimeLimitsS.FirstOrDefault(l => l >= e, JobMix.TimeLimitsS[^1]);
        return (state == "TIMEOUT" ? limit : e, limit);
    }

    private static string UserName(int user) => $"u{user + 1:000}";

    private static string Account(int user) => "lab-" + Tag(user % 8);

    /// <summary>Consonants only, at least three: unique per submission, and free of every interactive pattern.</summary>
    internal static string Tag(int n)
    {
        const string letters = "bcdfghjklmnpqrstvwxz";
        var chars = new List<char>();
        do
        {
            chars.Add(letters[n % letters.Length]);
            n /= letters.Length;
        } while (n > 0 || chars.Count < 3);
        return new string([.. chars]);
    }
}
