using Coca.Core.Units;

namespace Coca.Core.Carbon;

/// <summary>Operational emissions: IT energy × PUE × grid intensity.</summary>
public static class CarbonCalculator
{
    public static double EmissionsGrams(double itEnergyJoules, CarbonInputs inputs) =>
        EmissionsGramsFromKwh(EnergyUnits.JoulesToKwh(itEnergyJoules), inputs);

    public static double EmissionsGramsFromKwh(double itEnergyKwh, CarbonInputs inputs)
    {
        if (double.IsNaN(itEnergyKwh) || itEnergyKwh < 0)
        {
            throw new ArgumentException($"energy must be a number ≥ 0 kWh, got {itEnergyKwh}");
        }
        return itEnergyKwh * inputs.Pue * inputs.GramsPerKwh;
    }
}
