using System.Globalization;

namespace Coca.Core.Units;

/// <summary>
/// An amount of energy, kept as integer microjoules so that sums of counter readings stay exact; the unit is in the
/// type, so a figure passed around never needs a suffix or a scattered <c>/1e6</c>.
/// </summary>
public readonly record struct Energy(long Microjoules) : IComparable<Energy>
{
    public static Energy Zero => default;

    public double Joules => Microjoules / (double)EnergyUnits.MicrojoulesPerJoule;
    public double Kwh => Joules / EnergyUnits.JoulesPerKwh;

    public static Energy FromJoules(double joules) => new(EnergyUnits.JoulesToMicrojoules(joules));
    public static Energy FromKwh(double kwh) => FromJoules(kwh * EnergyUnits.JoulesPerKwh);

    /// <summary>Average power over <paramref name="seconds"/>, W; null over no time.</summary>
    public double? AveragePowerW(double seconds) => seconds > 0 ? Joules / seconds : null;

    public static Energy operator +(Energy a, Energy b) => new(a.Microjoules + b.Microjoules);
    public static Energy operator -(Energy a, Energy b) => new(a.Microjoules - b.Microjoules);
    public static bool operator <(Energy a, Energy b) => a.Microjoules < b.Microjoules;
    public static bool operator >(Energy a, Energy b) => a.Microjoules > b.Microjoules;
    public static bool operator <=(Energy a, Energy b) => a.Microjoules <= b.Microjoules;
    public static bool operator >=(Energy a, Energy b) => a.Microjoules >= b.Microjoules;

    public int CompareTo(Energy other) => Microjoules.CompareTo(other.Microjoules);

    public override string ToString() => Joules.ToString("0.######", CultureInfo.InvariantCulture) + " J";
}
