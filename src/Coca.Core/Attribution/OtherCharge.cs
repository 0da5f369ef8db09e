using System.Globalization;
using System.Text.Json.Serialization;

namespace Coca.Core.Attribution;

/// <summary>
/// How a job's <c>other</c> (what only a node meter sees) was charged: the <see cref="OtherRule"/> and where the node's
/// total came from — a meter of the node's own (<c>node:redfish</c>, <c>node:wattmeter</c>…: basis <c>measured</c>) or
/// a calibration's model standing in for one (<c>model:calibration n51</c>: basis <c>derived</c>, with the model's mean
/// absolute percentage error from <c>coca calibrate</c>). Carried from the agent's books through the ingest batch into
/// the store, so that every report of the job says the same.
/// </summary>
/// <param name="Rule">The rule's word (<c>proportional</c>, <c>equal</c>, <c>cores</c>); several, comma-separated, when a job's nodes differ.</param>
/// <param name="Source">The meter's device, or <c>model:</c> and the calibration's label; several, comma-separated, when a job's nodes differ.</param>
/// <param name="MapePct">The calibration model's mean absolute percentage error (%); null for a meter, or a model without one.</param>
public sealed record OtherCharge(string Rule, string Source, double? MapePct = null)
{
    /// <summary>The prefix of a model's device in the books (<see cref="AttributionEngine"/>).</summary>
    public const string ModelPrefix = "model:";

    /// <summary><c>derived</c> when a calibration's model gave the node's total (on any of the job's nodes), else <c>measured</c> (a node meter).</summary>
    public string Basis => Source.Contains(ModelPrefix, StringComparison.Ordinal) ? "derived" : "measured";

    /// <summary>The calibration the model came from (<c>calibration n51</c>); null when a meter measured the node.</summary>
    public string? Calibration => Source.Split(", ").FirstOrDefault(s => s.StartsWith(ModelPrefix, StringComparison.Ordinal)) is { } model ? model[ModelPrefix.Length..] : null;

    /// <summary>"the proportional rule, from node:redfish (measured by the node's meter)", as every report prints it.</summary>
    [JsonIgnore]
    public string Text => $"the {Rule} rule, from {Source} (" + (Calibration is { } c
        ? $"derived from {c}{(MapePct is { } m ? $", mean error {m.ToString("0.#", CultureInfo.InvariantCulture)} %" : "")})"
        : "measured by the node's meter)");

    /// <summary>The charge the books' node meter account names; null without a meter or a model.</summary>
    public static OtherCharge? Of(NodeMeterBook? meter) => meter is { Device.Length: > 0 } m ? new OtherCharge(m.Rule, m.Device, m.MapePct) : null;
}
