namespace Coca.Core.Carbon;

/// <summary>How a job's operational emissions were produced: <c>hourly</c> (a series covered some of it) or <c>yearly</c>.</summary>
public static class CarbonMethods
{
    public const string Hourly = "hourly";
    public const string Yearly = "yearly";
}

/// <summary>
/// A job's operational emissions and every input that produced them, as stored with the job.
/// <paramref name="SeriesCoverage"/> is the share (0–1) of its energy that met an hourly figure; the rest met the
/// yearly one. <paramref name="EnergyFromSeries"/> says whether the timeline came from the job's series or was a
/// uniform spread.
/// </summary>
public sealed record EmissionsFigure(double Grams, string Method, double Pue, double YearlyGramsPerKwh, double EffectiveGramsPerKwh,
    string? Zone, string? Basis, double SeriesCoverage, bool EnergyFromSeries);

/// <summary>Energy timeline × intensity in force at each moment × PUE, the yearly figure filling what the series does not cover.</summary>
public static class OperationalEmissions
{
    /// <param name="series">The zone's series; null: yearly only.</param>
    public static EmissionsFigure Compute(EnergyTimeline timeline, IntensitySeries? series, double yearlyGramsPerKwh, double pue, string? zone = null, string? basis = null)
    {
        if (!double.IsFinite(pue) || pue < 1) throw new ArgumentException($"PUE must be a number ≥ 1, got {pue}");
        if (!double.IsFinite(yearlyGramsPerKwh) || yearlyGramsPerKwh < 0) throw new ArgumentException($"yearly intensity must be ≥ 0 g/kWh, got {yearlyGramsPerKwh}");
        double totalKwh = 0, grams = 0, hourlyKwh = 0;
        foreach (var s in timeline.Slices)
        {
            if (s.Kwh <= 0) continue;
            totalKwh += s.Kwh;
            if (series is null)
            {
                grams += s.Kwh * yearlyGramsPerKwh;
                continue;
            }
            if (s.ToMs == s.FromMs)
            {
                var at = series.At(DateTimeOffset.FromUnixTimeMilliseconds(s.FromMs));
                grams += s.Kwh * (at ?? yearlyGramsPerKwh);
                if (at is not null) hourlyKwh += s.Kwh;
                continue;
            }
            var span = (double)(s.ToMs - s.FromMs);
            var (gramMs, covered) = series.Integrate(s.FromMs, s.ToMs);
            // Uniform within the slice: each ms carries Kwh/span; covered ms meet the series, the rest the yearly figure.
            grams += s.Kwh / span * (gramMs + yearlyGramsPerKwh * (span - covered));
            hourlyKwh += s.Kwh * covered / span;
        }
        var coverage = totalKwh > 0 ? Math.Clamp(hourlyKwh / totalKwh, 0, 1) : 0;
        var method = series is not null && hourlyKwh > 0 ? CarbonMethods.Hourly : CarbonMethods.Yearly;
        var effective = totalKwh > 0 ? grams / totalKwh : yearlyGramsPerKwh;
        return new EmissionsFigure(grams * pue, method, pue, yearlyGramsPerKwh, effective, zone, basis, coverage, timeline.FromSeries);
    }
}
