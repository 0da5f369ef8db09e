using System.Globalization;
using System.Text.Json;

namespace Coca.Core.Analysis;

/// <summary>
/// The behaviours' JSON, written as the analysis goes (<c>coca behaviours --json</c> and <c>GET /api/v1/behaviours</c>
/// print the same bytes): <c>{"since", "until", "findings": [...], "summary": {...}[, "by": {...}]}</c>, snake_case,
/// kWh and grams; null where unknown.
/// </summary>
public sealed class BehavioursJson(Utf8JsonWriter json)
{
    // Encoded once: a year's JSON is millions of findings, and escaping the same names and tips each time was half its cost.
    private static readonly JsonEncodedText Kind = JsonEncodedText.Encode("kind"), User = JsonEncodedText.Encode("user"), Jobs = JsonEncodedText.Encode("jobs"),
        EnergyKwh = JsonEncodedText.Encode("energy_kwh"), WastedKwh = JsonEncodedText.Encode("wasted_kwh"), EmissionsG = JsonEncodedText.Encode("emissions_g"),
        WastedEmissionsG = JsonEncodedText.Encode("wasted_emissions_g"), Provenance = JsonEncodedText.Encode("provenance"), Detail = JsonEncodedText.Encode("detail"),
        TipName = JsonEncodedText.Encode("tip");
    private static readonly Dictionary<string, (JsonEncodedText Kind, JsonEncodedText Tip)> Kinds =
        BehaviourKind.All.ToDictionary(k => k, k => (JsonEncodedText.Encode(k), JsonEncodedText.Encode(BehaviourKind.Tip(k), System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping)));

    public void Start(DateTimeOffset? since, DateTimeOffset? until)
    {
        json.WriteStartObject();
        Time("since", since);
        Time("until", until);
        json.WriteStartArray("findings");
    }

    public void Write(Finding f)
    {
        var (kind, tip) = Kinds[f.Kind];
        json.WriteStartObject();
        json.WriteString(Kind, kind);
        json.WriteString(User, f.User);
        json.WriteStartArray(Jobs);
        // Indexed, not foreach: an enumerator through the interface is an object per finding.
        for (var i = 0; i < f.Jobs.Count; i++) json.WriteStringValue(f.Jobs[i]);
        json.WriteEndArray();
        Number(EnergyKwh, f.EnergyKwh);
        Number(WastedKwh, f.WastedKwh);
        Number(EmissionsG, f.EmissionsG);
        Number(WastedEmissionsG, f.WastedEmissionsG);
        json.WriteString(Provenance, f.Provenance);
        json.WriteStartObject(Detail);
        for (var i = 0; i < f.Detail.Count; i++) Value(f.Detail[i].Key, f.Detail[i].Value);
        json.WriteEndObject();
        json.WriteString(TipName, tip);
        json.WriteEndObject();
        // Hand what is written to the stream as it goes: a year's findings are gigabytes, never one buffer.
        if (json.BytesPending > FlushBytes) json.Flush();
    }

    private const int FlushBytes = 64 * 1024;

    public void End(BehaviourSummary summary, string? by = null, IReadOnlyList<ActivityGroup>? groups = null)
    {
        json.WriteEndArray();
        json.WriteStartObject("summary");
        json.WriteNumber("jobs", summary.Jobs);
        Number("energy_kwh", summary.EnergyKwh);
        json.WriteNumber("unknown_energy_jobs", summary.UnknownEnergyJobs);
        Number("wasted_kwh", summary.WastedKwh);
        json.WriteStartObject("by_kind");
        foreach (var (kind, t) in summary.ByKind)
        {
            json.WriteStartObject(kind);
            json.WriteNumber("findings", t.Findings);
            json.WriteNumber("jobs", t.Jobs);
            Number("wasted_kwh", t.WastedKwh);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
        if (by is not null && groups is not null)
        {
            json.WriteStartObject("by");
            json.WriteString("dimension", by);
            json.WriteStartArray("groups");
            foreach (var g in groups)
            {
                json.WriteStartObject();
                json.WriteString("key", g.Key);
                json.WriteNumber("jobs", g.Jobs);
                Number("energy_kwh", g.EnergyKwh);
                json.WriteNumber("unknown_energy_jobs", g.UnknownEnergyJobs);
                Number("wasted_kwh", g.WastedKwh);
                json.WriteNumber("findings", g.Findings);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.Flush();
    }

    private void Time(string name, DateTimeOffset? t)
    {
        if (t is { } v) json.WriteString(name, v.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        else json.WriteNull(name);
    }

    private void Number(JsonEncodedText name, double? value)
    {
        if (value is { } v && double.IsFinite(v)) json.WriteNumber(name, v);
        else json.WriteNull(name);
    }

    private void Number(string name, double? value)
    {
        if (value is { } v && double.IsFinite(v)) json.WriteNumber(name, v);
        else json.WriteNull(name);
    }

    private void Value(string key, object? value)
    {
        var name = DetailName(key);
        switch (value)
        {
            case null: json.WriteNull(name); break;
            case string s: json.WriteString(name, s); break;
            case bool b: json.WriteBoolean(name, b); break;
            case int i: json.WriteNumber(name, i); break;
            case long l: json.WriteNumber(name, l); break;
            case double d: Number(name, d); break;
            default: json.WriteString(name, Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    // The detail's keys are the rules' few dozen names, each encoded once per output (a year writes them tens of millions of times).
    private readonly Dictionary<string, JsonEncodedText> _detailNames = new(StringComparer.Ordinal);

    private JsonEncodedText DetailName(string key)
    {
        if (_detailNames.TryGetValue(key, out var name)) return name;
        name = JsonEncodedText.Encode(key);
        if (_detailNames.Count < 256) _detailNames[key] = name;
        return name;
    }
}
