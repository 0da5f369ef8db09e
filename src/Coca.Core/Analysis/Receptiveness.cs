using Coca.Core.Numerics;
namespace Coca.Core.Analysis;

/// <summary>One arm in one period: each metric's mean over the arm's users, weighted by GPU-hours (null: no user had any).</summary>
public sealed record ArmPeriod(IReadOnlyDictionary<string, double?> Metrics, int ActiveUsers);

public sealed record ArmResult(int Users, ArmPeriod Before, ArmPeriod After);

/// <summary>A metric's difference in differences and its 95 % bootstrap interval (null when the data cannot give one).</summary>
public sealed record Effect(double? Did, double[]? Ci95);

public sealed record ReceptivenessResult(ArmResult Feedback, ArmResult Control, IReadOnlyDictionary<string, Effect> Effects, int Resamples, long Seed);

/// <summary>
/// The receptiveness comparison: for each metric, (feedback after − feedback before) − (control after − control
/// before), each term the arm's GPU-hour-weighted mean; its 95 % interval by the percentile bootstrap over users,
/// resampled within each arm (a user carries both their periods), from a fixed seed so that a result can be reproduced.
/// </summary>
public static class Receptiveness
{
    public const int MinResamples = 2_000;

    public static ReceptivenessResult Compare(IReadOnlyList<ArmAssignment> arms, IReadOnlyDictionary<string, UserPeriod> before, IReadOnlyDictionary<string, UserPeriod> after,
        int resamples = MinResamples, long seed = 1)
    {
        if (resamples < MinResamples) throw new ArgumentOutOfRangeException(nameof(resamples), resamples, $"at least {MinResamples} resamples");
        UserPeriod Empty() => new();
        var feedback = arms.Where(a => a.Arm == ExperimentArms.Feedback).OrderBy(a => a.User, StringComparer.Ordinal)
            .Select(a => (Before: before.GetValueOrDefault(a.User) ?? Empty(), After: after.GetValueOrDefault(a.User) ?? Empty())).ToArray();
        var control = arms.Where(a => a.Arm == ExperimentArms.Control).OrderBy(a => a.User, StringComparer.Ordinal)
            .Select(a => (Before: before.GetValueOrDefault(a.User) ?? Empty(), After: after.GetValueOrDefault(a.User) ?? Empty())).ToArray();

        var effects = new Dictionary<string, Effect>(StringComparer.Ordinal);
        var random = new SplitMix64(seed);
        foreach (var metric in ReceptivenessMetrics.All)
        {
            var f = Values(feedback, metric);
            var c = Values(control, metric);
            var did = Did(f, c, null, null);
            double[]? ci = null;
            if (did is not null)
            {
                var draws = new List<double>(resamples);
                var fi = new int[f.Length];
                var ci2 = new int[c.Length];
                for (var r = 0; r < resamples; r++)
                {
                    for (var i = 0; i < fi.Length; i++) fi[i] = random.Below(fi.Length);
                    for (var i = 0; i < ci2.Length; i++) ci2[i] = random.Below(ci2.Length);
                    if (Did(f, c, fi, ci2) is { } d) draws.Add(d);
                }
                // A resample where an arm had nothing to measure has no difference; the interval needs most of them to have one.
                if (draws.Count >= resamples / 2)
                {
                    draws.Sort();
                    ci = [Percentile(draws, 0.025), Percentile(draws, 0.975)];
                }
            }
            effects[metric] = new Effect(did, ci);
        }
        return new ReceptivenessResult(Arm(feedback), Arm(control), effects, resamples, seed);
    }

    private static ArmResult Arm((UserPeriod Before, UserPeriod After)[] users) => new(users.Length,
        new ArmPeriod(ReceptivenessMetrics.All.ToDictionary(m => m, m => Mean(Values(users, m), null, before: true), StringComparer.Ordinal), users.Count(u => u.Before.GpuHours > 0)),
        new ArmPeriod(ReceptivenessMetrics.All.ToDictionary(m => m, m => Mean(Values(users, m), null, before: false), StringComparer.Ordinal), users.Count(u => u.After.GpuHours > 0)));

    private readonly record struct Pair(double? B, double WB, double? A, double WA);

    private static Pair[] Values((UserPeriod Before, UserPeriod After)[] users, string metric) => users.Select(u =>
    {
        var (b, wb) = ReceptivenessMetrics.Of(metric, u.Before);
        var (a, wa) = ReceptivenessMetrics.Of(metric, u.After);
        return new Pair(b, wb, a, wa);
    }).ToArray();

    private static double? Did(Pair[] f, Pair[] c, int[]? fi, int[]? ci) =>
        Mean(f, fi, false) - Mean(f, fi, true) - (Mean(c, ci, false) - Mean(c, ci, true));

    private static double? Mean(Pair[] users, int[]? picks, bool before)
    {
        double sum = 0, weight = 0;
        var n = picks?.Length ?? users.Length;
        for (var i = 0; i < n; i++)
        {
            var u = users[picks is null ? i : picks[i]];
            var (v, w) = before ? (u.B, u.WB) : (u.A, u.WA);
            if (v is null || w <= 0) continue;
            sum += v.Value * w;
            weight += w;
        }
        return weight > 0 ? sum / weight : null;
    }

    private static double Percentile(List<double> sorted, double p)
    {
        var x = p * (sorted.Count - 1);
        var lo = (int)Math.Floor(x);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (x - lo) * (sorted[hi] - sorted[lo]);
    }
}
