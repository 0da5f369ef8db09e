namespace Coca.Sources.Wattmeter;

/// <summary>One node's power at one time, from a wattmeter's file.</summary>
/// <param name="Time">Unix seconds, the meter's clock.</param>
/// <param name="EnergyJoules">The meter's own cumulative energy, when its file gives one (the generic format's <c>energy_j</c>).</param>
public readonly record struct WattmeterSample(double Time, string Node, double Watts, double? EnergyJoules = null);

/// <summary>The formats a wattmeter's file can be in.</summary>
public enum WattmeterFormat
{
    /// <summary>Omegawatt: <c>#timestamp,#frame_is_ok,#U1,…,#current1,…,#activepow1,…</c>, one row per frame, all channels.</summary>
    Omegawatt,
    /// <summary><c>time,node,power_w[,energy_j]</c>: one row per node and time.</summary>
    Csv,
}
