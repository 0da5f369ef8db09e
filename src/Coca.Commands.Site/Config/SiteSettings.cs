using Coca.Commands.Node.Config;

namespace Coca.Commands.Site.Config;

/// <summary><c>[site]</c>: the site's carbon inputs, stored with each job's energy, and its admins.</summary>
public static class SiteSettings
{
    public const string Section = "site";

    public static readonly TextSetting Country = new(Section, "country", DefaultDescription: "world average");
    public static readonly NumberSetting CarbonIntensity = new(Section, "carbon_intensity") { Range = CarbonRanges.Intensity };
    public static readonly NumberSetting Pue = new(Section, "pue", 1.0) { Range = CarbonRanges.Pue };

    /// <summary>Who sees every user's findings from the command line (root always does); comma-separated user names.</summary>
    public static readonly TextSetting Admins = new(Section, "admins", DefaultDescription: "root only");

    public static IReadOnlyList<Setting> All { get; } = [Country, CarbonIntensity, Pue, Admins];
}
