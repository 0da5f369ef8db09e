using Coca.Core.Accounting;

namespace Coca.Slurm.Accounting;

/// <summary>
/// One job's sacct lines folded into its record: the job line (for a heterogeneous job, component +0 leads and the
/// others add their GPUs) and its steps, which give what the job line lacks: energy and CPU time (summed), MaxRSS
/// (the largest), TRES usage, and whether the job was interactive.
/// </summary>
internal sealed class SacctJobFolder
{
    private AccountingJob? _job;
    private readonly List<AccountingJob> _steps = [];
    private readonly List<string> _stepNames = [];
    private readonly List<AccountingJob> _components = [];

    private bool _leader;

    public void SetJob(AccountingJob job, bool leader)
    {
        if (_job is null)
        {
            (_job, _leader) = (job, leader);
        }
        else if (leader && !_leader)
        {
            _components.Add(_job);
            (_job, _leader) = (job, true);
        }
        else
        {
            _components.Add(job);
        }
    }

    public void AddStep(AccountingJob step, string name)
    {
        _steps.Add(step);
        _stepNames.Add(name);
    }

    public AccountingJob? Build()
    {
        if (_job is null) return null;
        var energy = _job.SlurmEnergyJ;
        if (energy is null && _steps.Any(s => s.SlurmEnergyJ is not null)) energy = _steps.Sum(s => s.SlurmEnergyJ ?? 0);
        var gpus = _job.Gpus;
        if (_components.Count > 0) gpus = (gpus ?? 0) + _components.Sum(c => c.Gpus ?? 0);
        var usage = _job.TresUsageInTot is { Length: > 0 } ? _job.TresUsageInTot : _steps.Select(s => s.TresUsageInTot).FirstOrDefault(t => !string.IsNullOrEmpty(t));
        var usageAve = _job.TresUsageInAve ?? _steps.Select(s => s.TresUsageInAve).FirstOrDefault(t => t is not null);
        // sacct prints the job's TotalCPU on its line (the sum over its steps); older versions leave it empty there.
        var cpu = _job.TotalCpuS;
        if (cpu is null && _steps.Any(s => s.TotalCpuS is not null)) cpu = _steps.Sum(s => s.TotalCpuS ?? 0);
        var rss = _steps.Select(s => s.MaxRssBytes).Append(_job.MaxRssBytes).Max();
        return _job with
        {
            SlurmEnergyJ = energy,
            Gpus = gpus,
            TresUsageInTot = usage,
            TresUsageInAve = usageAve,
            GpuUtilisation = Tres.GpuUtilisation(usage, gpus),
            TotalCpuS = cpu,
            MaxRssBytes = rss,
            Interactive = Interactive(),
        };
    }

    // A batch job has a batch step; salloc and srun --pty jobs have an interactive step (Slurm ≥ 20.11) or only numbered
    // and extern steps. No steps at all (a job that never ran, or an old dump) says nothing.
    private bool? Interactive()
    {
        if (_stepNames.Count == 0) return null;
        if (_stepNames.Contains("batch", StringComparer.Ordinal)) return false;
        return true;
    }
}
