namespace Coca.Tracker.Results;

/// <summary>Emissions with every input needed to recompute them.</summary>
/// <param name="EmissionsG">Machine-level energy × PUE × intensity, as CodeCarbon reports it.</param>
/// <param name="AttributedEmissionsG">The measured command's own share.</param>
public sealed record CarbonResult(
    string? Country,
    double CarbonIntensityGPerKwh,
    string IntensitySource,
    double Pue,
    double EmissionsG,
    double AttributedEmissionsG)
{
    public string Method => "energy_kwh × pue × carbon_intensity_g_per_kwh";
}
