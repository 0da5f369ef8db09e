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


    /// <summary>The grid zone whose imported series applies (<c>FR</c>, <c>DE</c>, Electricity Maps' zone ids).</summary>
    public static readonly TextSetting Zone = new(Section, "zone", DefaultDescription: "none: yearly figures only");

    /// <summary><c>hourly</c>: jobs' emissions follow the zone's series (yearly where it does not cover); <c>yearly</c>: the yearly figure.</summary>
    public static readonly TextSetting Carbon = new(Section, "carbon", "yearly");

    public static IReadOnlyList<Setting> All { get; } = [Country, CarbonIntensity, Pue, Admins, Zone, Carbon];
}
