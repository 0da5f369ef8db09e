namespace Coca.Core.Calibration;

/// <summary>
/// A calibrated node's model, node power ≈ intercept + cpu × (CPU + DRAM power) + gpu × GPU power, carried to nodes of
/// the same type that have no meter of their own: there it stands in for the meter, and the <c>other</c> it gives is
/// <c>derived</c>, labelled with where the model came from. Integrated over a tick it needs no power: the model is
/// linear, so its energy is intercept × seconds + cpu × (CPU + DRAM energy) + gpu × GPU energy.
/// </summary>
/// <param name="Label">Where it came from, e.g. <c>calibration n51</c>: shown as the books' node meter device.</param>
public sealed record NodeModel(string Label, double InterceptW, double Cpu, double Gpu, double? MapePct)
{
    /// <summary>The model of a calibration, or null with the reason when it has no usable coefficients.</summary>
    public static NodeModel? From(NodeCalibration calibration, out string? reason)
    {
        reason = null;
        if (calibration.InterceptW is not { } a || calibration.Cpu is not { } b)
        {
            reason = $"node {calibration.Node}: the calibration has no model (too few paired intervals, or power that never changed)";
            return null;
        }
        // A node without GPUs, or GPU power that never moved, gives no GPU coefficient: GPUs then count as themselves.
        var c = calibration.Gpu ?? 1;
        if (!double.IsFinite(a) || !double.IsFinite(b) || !double.IsFinite(c) || a < 0 || b < 0 || c < 0)
        {
            reason = $"node {calibration.Node}: the model (intercept {a} W, cpu {b}, gpu {c}) is not a node's power (negative or not finite)";
            return null;
        }
        if (calibration.MapePct is { } mape && (!double.IsFinite(mape) || mape < 0 || mape > 1000))
        {
            reason = $"node {calibration.Node}: the model's mean error (mape_pct {mape}) is not a percentage from 0 to 1000";
            return null;
        }
        return new NodeModel("calibration " + calibration.Node, a, b, c, calibration.MapePct);
    }

    /// <summary>The node's energy over <paramref name="seconds"/> (µJ) that the model gives for these components' energy.</summary>
    public long NodeUj(double seconds, long cpuAndDramUj, long gpuUj) =>
        (long)Math.Round(InterceptW * seconds * 1e6 + Cpu * cpuAndDramUj + Gpu * gpuUj);
}
