using System.Text.Json;
using Coca.Core.Attribution;

namespace Coca.Agent.State;

/// <summary>The books' <c>node_meter</c>, written by hand as <see cref="StateWriter"/> writes the rest (no allocation), byte for byte what the serializer writes.</summary>
internal static class NodeMeterJson
{
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("node_meter");
    private static readonly JsonEncodedText Device = JsonEncodedText.Encode("device");
    private static readonly JsonEncodedText Rule = JsonEncodedText.Encode("rule");
    private static readonly JsonEncodedText MeterUj = JsonEncodedText.Encode("meter_uj");
    private static readonly JsonEncodedText CoveredComponentsUj = JsonEncodedText.Encode("covered_components_uj");
    private static readonly JsonEncodedText OtherUj = JsonEncodedText.Encode("other_uj");
    private static readonly JsonEncodedText DeficitUj = JsonEncodedText.Encode("deficit_uj");
    private static readonly JsonEncodedText NegativeIntervals = JsonEncodedText.Encode("negative_intervals");

    public static void Write(Utf8JsonWriter w, NodeMeterBook? book)
    {
        if (book is null)
        {
            w.WriteNull(Name);
            return;
        }
        w.WriteStartObject(Name);
        w.WriteString(Device, book.Device);
        w.WriteString(Rule, book.Rule);
        w.WriteNumber(MeterUj, book.MeterUj);
        w.WriteNumber(CoveredComponentsUj, book.CoveredComponentsUj);
        w.WriteNumber(OtherUj, book.OtherUj);
        w.WriteNumber(DeficitUj, book.DeficitUj);
        w.WriteNumber(NegativeIntervals, book.NegativeIntervals);
        w.WriteEndObject();
    }
}
