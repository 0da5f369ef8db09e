namespace Coca.Core.Units;

/// <summary>
/// Where an energy figure comes from. Ordered from strongest to weakest: combining two figures
/// keeps the weaker label, so provenance is never upgraded on the way through.
/// </summary>
public enum Provenance
{
    /// <summary>No figure at all (the component was not seen).</summary>
    None = 0,
    /// <summary>A hardware energy counter or a meter.</summary>
    Measured = 1,
    /// <summary>Integrated from sampled power, or a calibrated model.</summary>
    Derived = 2,
    /// <summary>A model without measurement: TDP × utilisation, watts per GB.</summary>
    Estimated = 3,
}

public static class ProvenanceExtensions
{
    /// <summary>The weaker of two labels; <see cref="Provenance.None"/> is neutral.</summary>
    public static Provenance Combine(this Provenance a, Provenance b) => (Provenance)Math.Max((int)a, (int)b);

    /// <summary>The label a <see cref="ToWire"/> word names; an unknown word is <see cref="Provenance.None"/>.</summary>
    public static Provenance FromWire(string word) => word switch
    {
        "measured" => Provenance.Measured,
        "derived" => Provenance.Derived,
        "estimated" => Provenance.Estimated,
        _ => Provenance.None,
    };

    /// <summary>The lower-case word used in JSON, CSV and reports.</summary>
    public static string ToWire(this Provenance p) => p switch
    {
        Provenance.Measured => "measured",
        Provenance.Derived => "derived",
        Provenance.Estimated => "estimated",
        _ => "none",
    };
}
