using Xunit;

namespace Coca.TestSupport;

/// <summary>A check that must act as another user (opening a file as the job's owner): skipped, with the reason shown, unless run as root (CI is).</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (Environment.UserName != "root") Skip = "needs root to act as another user (CI runs as root)";
    }
}
