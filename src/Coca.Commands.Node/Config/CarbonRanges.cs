namespace Coca.Commands.Node.Config;

/// <summary>The ranges of the carbon inputs, the same for <c>[run]</c>, <c>[site]</c> and <c>coca carbon</c>.</summary>
public static class CarbonRanges
{
    /// <summary>The dirtiest grids are near 1,000 gCO2e/kWh; 5,000 leaves room for any fuel and refuses typos.</summary>
    public static readonly NumberRange Intensity = new(0, 5000, "gCO2e/kWh");

    /// <summary>Facility energy / IT energy: 1 is perfect, 3 is a very poor room.</summary>
    public static readonly NumberRange Pue = new(1, 10, "");

    /// <summary>An amount of energy for <c>coca carbon</c>: up to a terawatt-hour.</summary>
    public static readonly NumberRange Kwh = new(0, 1e9, "kWh");
}
