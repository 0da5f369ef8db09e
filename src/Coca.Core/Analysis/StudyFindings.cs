using Coca.Core.Accounting;

namespace Coca.Core.Analysis;

/// <summary>
/// The three headline findings of the Coca4ai study, recomputed on a site's jobs (<c>coca findings</c>), read once
/// like the behaviours: (1) the share of energy spent in jobs that did not complete, by final state; (2) GPU
/// utilisation weighted by energy — its deciles, and the share of GPU energy spent below 25 % — in a histogram of
/// 1,000 bins, so a year of jobs costs 8 kB; (3) the gap between the software figure and the node's wattmeter,
/// which needs node meters: the jobs do not carry it, so the caller gives it from the store's node meter hours
/// (<see cref="MeterGap.Of"/>); <see cref="Finish"/> says there are none.
/// Energy is the agents', else Slurm's; GPU energy is the agents' GPU component, else the whole energy of a GPU job.
/// </summary>
public sealed class StudyFindings
{
    public const double LowUtilisation = 0.25;
    private const int Bins = 1000;
    private readonly double[] _gpuEnergyByUtil = new double[Bins + 1];
    private readonly Dictionary<string, (long Jobs, double EnergyJ)> _ended = new(StringComparer.Ordinal);
    private long _jobs, _knownEnergyJobs, _gpuJobs;

    public void Add(AnalysisJob job)
    {
        _jobs++;
        if (job.EnergyJ is not { } energy) return;
        _knownEnergyJobs++;
        if (JobStates.HasCompleted(job.State) is not null)
        {
            var t = _ended.GetValueOrDefault(job.State!);
            _ended[job.State!] = (t.Jobs + 1, t.EnergyJ + energy);
        }
        if (job.Gpus is > 0 && job.GpuUtilisation is { } u)
        {
            _gpuJobs++;
            _gpuEnergyByUtil[(int)Math.Round(Math.Clamp(u, 0, 1) * Bins)] += job.AgentGpuEnergyJ ?? energy;
        }
    }

    public StudyResult Finish()
    {
        var endedEnergy = _ended.Values.Sum(v => v.EnergyJ);
        var states = _ended.OrderByDescending(s => s.Value.EnergyJ).ThenBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => new StateShare(s.Key, s.Value.Jobs, s.Value.EnergyJ / 3.6e6, endedEnergy > 0 ? s.Value.EnergyJ / endedEnergy : null)).ToList();
        var notCompleted = _ended.Where(s => JobStates.HasCompleted(s.Key) == false).ToList();
        var gpuEnergy = _gpuEnergyByUtil.Sum();
        double?[] deciles = new double?[9];
        double? lowShare = null;
        if (gpuEnergy > 0)
        {
            var cumulative = 0.0;
            var next = 0;
            for (var bin = 0; bin <= Bins && next < 9; bin++)
            {
                cumulative += _gpuEnergyByUtil[bin];
                while (next < 9 && cumulative >= gpuEnergy * (next + 1) / 10) deciles[next++] = bin / (double)Bins;
            }
            lowShare = _gpuEnergyByUtil.Take((int)(LowUtilisation * Bins)).Sum() / gpuEnergy;
        }
        return new StudyResult(_jobs, _knownEnergyJobs,
            new NotCompletedShare(endedEnergy > 0 ? notCompleted.Sum(s => s.Value.EnergyJ) / endedEnergy : null, notCompleted.Sum(s => s.Value.Jobs),
                _ended.Values.Sum(v => v.Jobs), states),
            new UtilisationSpread(_gpuJobs, gpuEnergy > 0 ? gpuEnergy / 3.6e6 : null, deciles, lowShare),
            MeterGap.Of([]));
    }
}

/// <summary>A final state's jobs and energy, and its share of the energy of the jobs that ended.</summary>
public sealed record StateShare(string State, long Jobs, double EnergyKwh, double? Share);

/// <summary>Finding 1: the share of the ended jobs' energy that went to jobs that did not complete, over <see cref="EndedJobs"/>.</summary>
public sealed record NotCompletedShare(double? Share, long NotCompletedJobs, long EndedJobs, IReadOnlyList<StateShare> ByState);

/// <summary>Finding 2: deciles (10 %, 20 % … 90 % of the GPU energy) of the utilisation it was spent at, and the share spent below 25 %.</summary>
public sealed record UtilisationSpread(long GpuJobs, double? GpuEnergyKwh, IReadOnlyList<double?> Deciles, double? ShareBelow25Pct);


public sealed record StudyResult(long Jobs, long KnownEnergyJobs, NotCompletedShare NotCompleted, UtilisationSpread GpuUtilisation, MeterGap MeterGap);
