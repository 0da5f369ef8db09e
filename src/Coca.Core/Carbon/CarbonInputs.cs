namespace Coca.Core.Carbon;

/// <summary>
/// Everything needed to turn energy into emissions, kept with every result so that it can be
/// recomputed with another PUE or intensity later.
/// </summary>
/// <param name="Country">ISO 3166 alpha-3 code, or null when the intensity was given directly or unknown.</param>
/// <param name="GramsPerKwh">Grid carbon intensity, gCO2e/kWh.</param>
/// <param name="IntensitySource">Where the intensity comes from, in words.</param>
/// <param name="Pue">Power usage effectiveness: facility energy / IT energy (≥ 1).</param>
public sealed record CarbonInputs(string? Country, double GramsPerKwh, string IntensitySource, double Pue)
{
    /// <summary>Resolves the intensity: an explicit figure wins, then the country's, then the world average.</summary>
    /// <exception cref="ArgumentException">Unknown country code, or a negative intensity or a PUE below 1.</exception>
    public static CarbonInputs Resolve(string? country, double? gramsPerKwh, double pue)
    {
        if (double.IsNaN(pue) || pue < 1.0)
        {
            throw new ArgumentException($"PUE must be a number ≥ 1 (facility energy / IT energy), got {pue}");
        }
        if (gramsPerKwh is { } g)
        {
            if (double.IsNaN(g) || g < 0)
            {
                throw new ArgumentException($"carbon intensity must be a number ≥ 0 gCO2e/kWh, got {g}");
            }
            return new CarbonInputs(country?.ToUpperInvariant(), g, "given on the command line", pue);
        }
        if (!string.IsNullOrWhiteSpace(country))
        {
            var row = CarbonIntensityTable.Find(country)
                ?? throw new ArgumentException(
                    $"unknown country code '{country}': use an ISO 3166 alpha-3 code such as FRA, DEU, USA, or give --carbon-intensity");
            return new CarbonInputs(row.Iso3, row.GramsPerKwh, $"{row.Name} {row.Year}, {CarbonIntensityTable.Source}", pue);
        }
        return new CarbonInputs(null, CarbonIntensityTable.WorldAverageGramsPerKwh,
            $"world average ({CarbonIntensityTable.WorldAverageSource}); give --country for a better figure", pue);
    }
}
