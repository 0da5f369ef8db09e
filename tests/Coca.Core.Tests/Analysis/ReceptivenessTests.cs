using Coca.Core.Numerics;
using Coca.Core.Analysis;
using Coca.Core.Carbon;

namespace Coca.Core.Tests.Analysis;

/// <summary>
/// The difference in differences over a generated population of 240 users: a planted effect is recovered inside its
/// 95 % interval (which excludes 0), and with no effect the interval contains 0.
/// </summary>
public class ReceptivenessTests
{
    private const double Planted = -0.05; // kWh per GPU-hour: the feedback arm's users draw 0.05 less after

    // Each user: a baseline efficiency 0.3–0.6 kWh/GPU-h, 5–200 GPU-hours a period, noise of ±0.04 each period.
    private static (IReadOnlyList<ArmAssignment> Arms, Dictionary<string, UserPeriod> Before, Dictionary<string, UserPeriod> After) Population(double effect, long seed)
    {
        var random = new SplitMix64(seed);
        var users = Enumerable.Range(0, 240).Select(i => ($"u{i:D3}", (double?)(5 + 195 * random.NextDouble()))).ToList();
        var arms = ExperimentAssignment.Assign(users, 0.5, seed, "energy");
        var before = new Dictionary<string, UserPeriod>();
        var after = new Dictionary<string, UserPeriod>();
        foreach (var a in arms)
        {
            var baseline = 0.3 + 0.3 * random.NextDouble();
            UserPeriod Period(double rate)
            {
                var hours = 5 + 195 * random.NextDouble();
                var kwh = (rate + 0.08 * (random.NextDouble() - 0.5)) * hours;
                return new UserPeriod { GpuHours = hours, KnownGpuHours = hours, GpuJobsKwh = kwh, EndedKwh = kwh, NotCompletedKwh = kwh * 0.2 * random.NextDouble() };
            }
            before[a.User] = Period(baseline);
            after[a.User] = Period(baseline + (a.Arm == ExperimentArms.Feedback ? effect : 0));
        }
        return (arms, before, after);
    }

    [Fact]
    public void A_planted_effect_is_recovered_inside_its_interval_which_excludes_zero()
    {
        var (arms, before, after) = Population(Planted, 11);
        var result = Receptiveness.Compare(arms, before, after, resamples: 2_000, seed: 5);
        var effect = result.Effects[ReceptivenessMetrics.KwhPerGpuHour];
        Assert.NotNull(effect.Ci95);
        Assert.InRange(Planted, effect.Ci95[0], effect.Ci95[1]);
        Assert.True(effect.Ci95[1] < 0, $"interval [{effect.Ci95[0]}, {effect.Ci95[1]}] should exclude 0");
        Assert.InRange(effect.Did!.Value, Planted - 0.02, Planted + 0.02);
        Assert.Equal((120, 120), (result.Feedback.Users, result.Control.Users));
        Assert.Equal(120, result.Feedback.After.ActiveUsers);
    }

    [Fact]
    public void With_no_effect_the_interval_contains_zero()
    {
        var (arms, before, after) = Population(0, 12);
        var effect = Receptiveness.Compare(arms, before, after, resamples: 2_000, seed: 5).Effects[ReceptivenessMetrics.KwhPerGpuHour];
        Assert.InRange(0, effect.Ci95![0], effect.Ci95[1]);
        Assert.InRange(effect.Ci95[1] - effect.Ci95[0], 0.001, 0.05);
    }

    [Fact]
    public void The_same_seed_gives_the_same_interval_and_too_few_resamples_are_refused()
    {
        var (arms, before, after) = Population(Planted, 11);
        Assert.Equal(Receptiveness.Compare(arms, before, after, seed: 9).Effects[ReceptivenessMetrics.KwhPerGpuHour].Ci95,
            Receptiveness.Compare(arms, before, after, seed: 9).Effects[ReceptivenessMetrics.KwhPerGpuHour].Ci95);
        Assert.Throws<ArgumentOutOfRangeException>(() => Receptiveness.Compare(arms, before, after, resamples: 1_999));
    }

    [Fact]
    public void A_metric_nobody_could_be_measured_on_has_no_difference_and_no_interval()
    {
        var (arms, before, after) = Population(Planted, 11);
        var effect = Receptiveness.Compare(arms, before, after).Effects[ReceptivenessMetrics.ZeroGpuHourShare];
        Assert.Equal(0, effect.Did); // GPU-hours known, none at 0 %: a share of 0, measured
        var empty = Receptiveness.Compare(arms, new Dictionary<string, UserPeriod>(), after).Effects[ReceptivenessMetrics.KwhPerGpuHour];
        Assert.Equal(new Effect(null, null), empty);
    }

    [Fact]
    public void A_period_of_jobs_gives_each_user_their_gpu_hours_energy_zero_gpu_hours_and_waste_from_the_behaviours()
    {
        var period = new ReceptivenessPeriod(BehaviourRules.Defaults, CarbonInputs.Resolve(null, 100, 1.0), u => u != "mallory");
        AnalysisJob Job(string id, string user, string state, double util, long t) => new()
        {
            JobId = id, User = user, State = state, TimeMs = t, ElapsedS = 7_200, Gpus = 2, SlurmEnergyJ = 7.2e6, GpuUtilisation = util, GpuUtilisationSource = "slurm",
        };
        period.Add(Job("1", "alice", "COMPLETED", 0.8, 1_000));
        period.Add(Job("2", "alice", "COMPLETED", 0.0, 2_000));        // zero_gpu: 4 GPU-hours, 2 kWh avoidable
        period.Add(Job("3", "alice", "TIMEOUT", 0.8, 3_000));          // failed_late: 2 kWh avoidable
        period.Add(Job("4", "mallory", "COMPLETED", 0.0, 4_000));      // not in the experiment
        var users = period.Finish();
        var alice = users["alice"];
        Assert.Equal(["alice"], users.Keys);
        Assert.Equal((12.0, 12.0, 6.0, 6.0, 2.0, 4.0), (alice.GpuHours, alice.KnownGpuHours, alice.GpuJobsKwh, alice.EndedKwh, alice.NotCompletedKwh, alice.ZeroGpuHours));
        Assert.Equal(4.0, alice.WastedKwh, 9);
    }
}
