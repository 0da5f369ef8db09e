using Xunit;

namespace Coca.TestSupport;

/// <summary>A test against the real Slurm daemons: skipped, with the reason shown, where they are not installed or we are not root (.ci/run installs them).</summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        if (!File.Exists("/usr/sbin/slurmctld") || !File.Exists("/usr/sbin/slurmd") || !File.Exists("/usr/sbin/munged"))
        {
            Skip = "Slurm not installed (apt-get install munge slurmctld slurmd slurm-client; .ci/run does)";
        }
        else if (Environment.UserName != "root")
        {
            Skip = "the Slurm end-to-end test starts slurmctld and slurmd, which needs root";
        }
    }
}
