using Coca.Core.Attribution;
using Coca.Core.Units;

namespace Coca.Core.Reports;

/// <summary>A job's energy as a range around its central figure (J): what the sources' stated accuracy allows.</summary>
public sealed record EnergyBand(double Low, double High);

/// <summary>
/// How sure a job's energy figure is. Each component's energy carries the relative accuracy of what produced it
/// (its provenance on that component); components come from separate sensors, so their errors are added in
/// quadrature. Time without readings widens the band upwards only: that energy was not seen, so the figure may be
/// low, never high. The figures, and where they come from, are in README's "How sure is a figure".
/// </summary>
public static class EnergyUncertainty
{
    /// <summary>
    /// Relative accuracy (half-width of the band, 0–1) of one component's figure by where it came from:
    /// GPU counters: NVML's reference gives ±5 % of the power draw; CPU package RAPL: ±5 % (Khan et al. 2018,
    /// "RAPL in Action", ACM TOMPECS: tracks plug power closely on servers that measure rather than model it);
    /// DRAM RAPL: ±15 % (Desrochers et al., MEMSYS 2016: an offset that varies between systems, worse when idle);
    /// other (a node meter's residual): ±5 %, a BMC's power-supply sensors (a wattmeter of class 1 does better);
    /// any component integrated from sampled power or a calibrated model: ±10 % (sampling misses bursts: Yang et al.
    /// 2024 found nvidia-smi's power on A100/H100 sampled a quarter of the time); a model without measurement (TDP ×
    /// utilisation): ±50 %.
    /// </summary>
    public static double Relative(ComponentKind component, Provenance provenance) => provenance switch
    {
        Provenance.Measured => component == ComponentKind.Dram ? 0.15 : 0.05,
        Provenance.Derived => 0.10,
        Provenance.Estimated => 0.50,
        _ => 0,
    };

    /// <summary>
    /// The band around <paramref name="energy"/>'s total; <paramref name="coverage"/> (0–1) is the share of the job's
    /// time that had readings; <paramref name="other"/> says where <c>other</c> came from. Null when there is no figure
    /// to put a band around.
    /// </summary>
    public static EnergyBand? Of(ComponentEnergy energy, double? coverage, OtherCharge? other = null)
    {
        var total = energy.Total.Joules;
        if (energy.Provenance == Provenance.None && total == 0) return null;
        var variance = 0.0;
        foreach (var component in ComponentEnergy.Components)
        {
            var error = Relative(component, energy.ProvenanceOf(component)) * energy[component].Joules;
            variance += error * error;
        }
        var model = ModelError(total, other);
        variance += model * model;
        var halfWidth = Math.Sqrt(variance);
        // The unseen time drew at least nothing and, at the job's measured rate, total × (1/coverage − 1) more.
        var unseen = coverage is > 0 and < 1 ? total * (1 / coverage.Value - 1) : 0;
        return new EnergyBand(Math.Max(0, total - halfWidth), total + halfWidth + unseen);
    }

    /// <summary>
    /// A calibration model's own error (J): where a model stands in for a node meter it predicts the node's whole draw,
    /// and whatever it gets wrong lands in <c>other</c> (the components are measured). Its mean absolute percentage
    /// error from <c>coca calibrate</c> is applied to the job's share of the node (its whole figure), unreduced over the
    /// job's length: a model's errors are correlated from one interval to the next (the same coefficients), so they are
    /// not taken to average out. Independent of the sensors' errors, so added in quadrature with them. 0 for a meter.
    /// </summary>
    public static double ModelError(double totalJ, OtherCharge? other) =>
        other is { Basis: "derived", MapePct: { } mape } && double.IsFinite(mape) && mape > 0 ? mape / 100 * totalJ : 0;
}
