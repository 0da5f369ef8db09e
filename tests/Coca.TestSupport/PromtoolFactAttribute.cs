using Xunit;

namespace Coca.TestSupport;

/// <summary>A check with Prometheus' own promtool: skipped, with the reason shown, where it is not installed (.ci/run installs it).</summary>
public sealed class PromtoolFactAttribute : FactAttribute
{
    public const string Path = "/usr/bin/promtool";

    public PromtoolFactAttribute()
    {
        if (!File.Exists(Path)) Skip = "promtool not installed (apt-get install prometheus; .ci/run does)";
    }
}
