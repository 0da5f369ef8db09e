using Xunit;

namespace Coca.TestSupport;

/// <summary>A test in Debian's headless Chromium through its chromedriver: skipped, with the reason shown, where either is not installed (.ci/run installs both).</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Browser = "/usr/bin/chromium";
    public const string Driver = "/usr/bin/chromedriver";

    public static bool Installed => File.Exists(Browser) && File.Exists(Driver);

    public ChromiumFactAttribute()
    {
        if (!Installed) Skip = "chromium or chromedriver not installed (apt-get install chromium chromium-driver; .ci/run does)";
    }
}
