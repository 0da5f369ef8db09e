namespace Coca.Core.Carbon;

/// <summary>A country's average grid carbon intensity in gCO2e per kWh, for the year given.</summary>
public sealed record CountryIntensity(string Iso3, string Name, double GramsPerKwh, int Year);
