using Coca.Core.Analysis;
using Coca.Core.Carbon;

namespace Coca.Core.Tests.Analysis;

/// <summary>Jobs for the behaviour tests, built in code: one kWh is 3.6e6 J.</summary>
internal static class Jobs
{
    public const double Kwh = 3.6e6;
    public static readonly CarbonInputs Carbon = CarbonInputs.Resolve(null, 100, 1.0);
    public static readonly long T0 = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    public static AnalysisJob Job(string id, string state = "COMPLETED", long elapsedS = 3600, int? gpus = 1, double? util = 0.9, double? energyKwh = 1,
        double? gpuKwh = 0.8, long timeMs = 0, long fingerprint = 42, string user = "alice") => new()
    {
        JobId = id,
        User = user,
        Name = "train",
        Partition = "gpu",
        State = state,
        ElapsedS = elapsedS,
        Gpus = gpus,
        GpuUtilisation = util,
        GpuUtilisationSource = util is null ? null : "agent",
        AgentEnergyJ = energyKwh * Kwh,
        AgentGpuEnergyJ = energyKwh is null ? null : gpuKwh * Kwh,
        AgentProvenance = energyKwh is null ? null : "measured",
        EmissionsG = energyKwh * 100,
        TimeMs = T0 + timeMs,
        Fingerprint = fingerprint,
    };

    public static (List<Finding> Findings, BehaviourSummary Summary) Analyse(IEnumerable<AnalysisJob> jobs, BehaviourRules? rules = null, string[]? kinds = null)
    {
        var found = new List<Finding>();
        var analysis = new BehaviourAnalysis(rules ?? BehaviourRules.Defaults, Carbon, found.Add, kinds);
        foreach (var j in jobs) analysis.Add(j);
        return (found, analysis.Finish());
    }

    public static object? Detail(this Finding f, string key) => f.Detail.Single(d => d.Key == key).Value;
}
