namespace Coca.Core.Units;

/// <summary>
/// Conversions between the units Coca4ai uses internally (joules, watts, grams; counters in
/// integer microjoules so that sums are exact) and the units people read (kWh, kg, t).
/// </summary>
public static class EnergyUnits
{
    public const double JoulesPerKwh = 3_600_000.0;
    public const long MicrojoulesPerJoule = 1_000_000;

    public static double JoulesToKwh(double joules) => joules / JoulesPerKwh;
    public static double KwhToJoules(double kwh) => kwh * JoulesPerKwh;
    public static double MicrojoulesToJoules(long microjoules) => microjoules / (double)MicrojoulesPerJoule;
    public static long JoulesToMicrojoules(double joules) => (long)Math.Round(joules * MicrojoulesPerJoule, MidpointRounding.AwayFromZero);
    public static double GramsToKg(double grams) => grams / 1000.0;
    public static double GramsToTonnes(double grams) => grams / 1_000_000.0;
}
