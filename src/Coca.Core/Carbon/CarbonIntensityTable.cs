namespace Coca.Core.Carbon;

/// <summary>Grid carbon intensity per country (ISO 3166 alpha-3), with the world average for the rest.</summary>
public static class CarbonIntensityTable
{
    public const string Source =
        "Our World in Data / Ember yearly electricity data as compiled by CodeCarbon (global_energy_mix.json, 2022-2023 figures)";

    /// <summary>World average, used when the country is unknown.</summary>
    public const double WorldAverageGramsPerKwh = 475.0;

    public const string WorldAverageSource = "IEA Global Energy & CO2 Status Report 2019, as used by Green Algorithms";

    private static readonly Dictionary<string, CountryIntensity> ByIso3 =
        CountryIntensityData.Rows.ToDictionary(r => r.Iso3, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyCollection<CountryIntensity> All => CountryIntensityData.Rows;

    public static CountryIntensity? Find(string iso3) =>
        ByIso3.TryGetValue(iso3.Trim(), out var row) ? row : null;
}
