using System.Globalization;

namespace Coca.Slurm.Cgroups;

/// <summary>
/// What a job's cgroup folder says of its steps (the same in cgroup v1 and v2: Slurm makes a <c>step_*</c> folder per
/// step under <c>job_N</c>): the processes of every step, and whether the job is a batch job or an interactive one.
/// </summary>
public static class JobSteps
{
    /// <summary>The pids in every <c>cgroup.procs</c> under the job's folder; a folder that goes while it is read (a step ending) is skipped.</summary>
    public static List<int> Processes(JobCgroup cgroup)
    {
        var pids = new List<int>();
        IEnumerable<string> files;
        try
        {
            files = Directory.EnumerateFiles(cgroup.Path, "cgroup.procs", SearchOption.AllDirectories).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return pids; // the job ended
        }
        foreach (var file in files)
        {
            try
            {
                foreach (var line in File.ReadLines(file))
                {
                    if (int.TryParse(line.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0) pids.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return pids;
    }

    /// <summary>
    /// False when the job has a batch step (<c>step_batch</c>: sbatch); true when it has an interactive step
    /// (<c>step_interactive</c>: salloc with use_interactive_step) or only numbered steps (<c>step_0</c>: srun --pty, salloc
    /// then srun); null while it has none yet (only <c>step_extern</c>, or no step) — ask again later.
    /// </summary>
    /// <param name="multiNode">
    /// The job spans several nodes: its batch step runs on the first one only, so numbered steps alone say nothing here.
    /// </param>
    public static bool? Interactive(JobCgroup cgroup, bool multiNode)
    {
        try
        {
            if (Directory.Exists(Path.Combine(cgroup.Path, "step_batch"))) return false;
            if (Directory.Exists(Path.Combine(cgroup.Path, "step_interactive"))) return true;
            if (multiNode) return null;
            foreach (var dir in Directory.EnumerateDirectories(cgroup.Path, "step_*"))
            {
                var step = Path.GetFileName(dir.AsSpan())["step_".Length..];
                if (step.Length > 0 && !step.ContainsAnyExceptInRange('0', '9')) return true;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }
}
