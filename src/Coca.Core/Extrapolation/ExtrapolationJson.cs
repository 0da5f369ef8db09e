using System.Globalization;
using System.Text.Json;

namespace Coca.Core.Extrapolation;

/// <summary>
/// <c>coca extrapolate --json</c>: <c>{"site", "target", "what_if", "rebound"}</c> (README), snake_case, kWh at the site,
/// MWh and tonnes CO2e a year at the target, ranges as [LOW, MID, HIGH]; null where unknown, with a <c>reason</c>.
/// </summary>
public static class ExtrapolationJson
{
    public static void Write(ExtrapolationResult r, Utf8JsonWriter json)
    {
        var s = r.Site;
        json.WriteStartObject();
        json.WriteStartObject("site");
        json.WriteNumber("jobs", s.Jobs);
        json.WriteNumber("gpu_jobs", s.GpuJobs);
        json.WriteNumber("measured_gpu_jobs", s.MeasuredGpuJobs);
        json.WriteNumber("unknown_energy_jobs", s.UnknownEnergyJobs);
        Time(json, "from", s.From);
        Time(json, "to", s.To);
        Number(json, "period_days", s.PeriodDays);
        Number(json, "gpu_hours", s.GpuHours);
        Number(json, "energy_kwh", s.EnergyKwh);
        Number(json, "kwh_per_gpu_hour", s.KwhPerGpuHour);
        Triple(json, "kwh_per_gpu_hour_range", s.BootstrapFactor is { } f && s.KwhPerGpuHour is { } k ? f.Times(k) : null);
        json.WriteStartArray("by_gpu_type_and_state");
        foreach (var t in s.ByTypeAndState)
        {
            json.WriteStartObject();
            json.WriteString("gpu_type", t.GpuType);
            json.WriteString("state", t.State);
            json.WriteNumber("jobs", t.Jobs);
            Number(json, "gpu_hours", t.GpuHours);
            Number(json, "energy_kwh", t.EnergyKwh);
            Number(json, "kwh_per_gpu_hour", t.KwhPerGpuHour);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        Number(json, "idle_kwh_per_gpu_hour", s.IdleKwhPerGpuHour);
        Number(json, "waste_share", r.SiteWasteShare);
        Number(json, "pue", r.SitePue);
        json.WriteEndObject();

        var t3 = r.Target;
        json.WriteStartObject("target");
        json.WriteString("name", t3.Name);
        json.WriteNumber("gpus", t3.Gpus);
        Triple(json, "gpu_hours", t3.GpuHours);
        Triple(json, "jobs_it_mwh", t3.JobsItMwh);
        Triple(json, "idle_it_mwh", t3.IdleItMwh);
        Triple(json, "energy_mwh", t3.EnergyMwh);
        Triple(json, "emissions_t", t3.EmissionsT);
        Triple(json, "waste_mwh", t3.WasteMwh);
        json.WriteStartObject("kwh_per_gpu_hour_by_type");
        foreach (var (type, v) in t3.KwhPerGpuHourByType) Number(json, type, v);
        json.WriteEndObject();
        json.WriteStartArray("notes");
        foreach (var n in t3.Notes) json.WriteStringValue(n);
        json.WriteEndArray();
        json.WriteEndObject();

        json.WriteStartArray("what_if");
        foreach (var w in r.WhatIfs)
        {
            json.WriteStartObject();
            json.WriteString("scenario", w.Scenario);
            json.WriteNumber("jobs", w.Jobs);
            Number(json, "site_saved_kwh", w.SiteSavedKwh);
            Number(json, "site_saved_kg", w.SiteSavedKg);
            Number(json, "site_saved_share", w.SiteSavedShare);
            Triple(json, "target_saved_mwh", w.TargetSavedMwh);
            Triple(json, "target_saved_t", w.TargetSavedT);
            if (w.Reason is not null) json.WriteString("reason", w.Reason);
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartObject("rebound");
        json.WriteStartArray("months");
        foreach (var m in s.Months)
        {
            json.WriteStartObject();
            json.WriteString("month", m.Month);
            json.WriteNumber("jobs", m.Jobs);
            Number(json, "gpu_hours", m.GpuHours);
            Number(json, "energy_kwh", m.EnergyKwh);
            Number(json, "kwh_per_gpu_hour", m.KwhPerGpuHour);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        var (energyChange, efficiencyChange, rebound) = Rebound(s.Months);
        Number(json, "energy_change", energyChange);
        Number(json, "kwh_per_gpu_hour_change", efficiencyChange);
        if (rebound is { } b) json.WriteBoolean("rebound", b);
        else json.WriteNull("rebound");
        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();
    }

    /// <summary>
    /// First month to last: the change of total energy and of energy per GPU-hour (fractions); a rebound when the
    /// energy per GPU-hour fell and the total rose all the same. Null with fewer than two months.
    /// </summary>
    public static (double? EnergyChange, double? EfficiencyChange, bool? Rebound) Rebound(IReadOnlyList<MonthFigures> months)
    {
        if (months.Count < 2 || months[0].EnergyKwh <= 0) return (null, null, null);
        var energy = months[^1].EnergyKwh / months[0].EnergyKwh - 1;
        double? efficiency = months[0].KwhPerGpuHour is > 0 and var a && months[^1].KwhPerGpuHour is { } b ? b / a - 1 : null;
        return (energy, efficiency, efficiency is { } e ? e < 0 && energy > 0 : null);
    }

    private static void Number(Utf8JsonWriter json, string name, double? v)
    {
        if (v is { } x && double.IsFinite(x)) json.WriteNumber(name, Math.Round(x, 6));
        else json.WriteNull(name);
    }

    private static void Triple(Utf8JsonWriter json, string name, Range3? r)
    {
        if (r is not { } v || !v.ToArray().All(double.IsFinite))
        {
            json.WriteNull(name);
            return;
        }
        json.WriteStartArray(name);
        foreach (var x in v.ToArray()) json.WriteNumberValue(Math.Round(x, 6));
        json.WriteEndArray();
    }

    private static void Time(Utf8JsonWriter json, string name, DateTimeOffset? t)
    {
        if (t is { } v) json.WriteString(name, v.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        else json.WriteNull(name);
    }
}
