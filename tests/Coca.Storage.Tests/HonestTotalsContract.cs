namespace Coca.Storage.Tests;

/// <summary>Sums say how many jobs they cover and what is unknown; "did not complete" means the same in every sum.</summary>
public sealed class HonestTotalsContract : StoreFixture
{
    private const long Kwh = 3_600_000_000_000; // µJ

    private static void Fill(IJobStore store)
    {
        store.UpsertAccounting([Job("1"), Job("2", state: "FAILED", slurmJ: 3.6e6), Job("3"), Job("5", state: "RUNNING"), Job("6", user: "bob", state: "FAILED", slurmJ: 7.2e6)]);
        // Job 4: the agent measured it, sacct has not returned it yet (no state).
        store.UpsertMeasurements([Measured("1", "n1", Kwh), Measured("4", "n1", 2 * Kwh), Measured("5", "n1", 4 * Kwh)]);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void A_sum_counts_measured_slurm_only_and_unknown_jobs_apart_and_never_reads_unmeasured_as_zero(string kind)
    {
        using var store = Open(kind);
        Fill(store);
        var total = store.Summary(new JobQuery(User: "alice")).Total;
        Assert.Equal((5L, 3L, 1L, 1L), (total.Jobs, total.MeasuredJobs, total.SlurmEnergyJobs, total.UnknownEnergyJobs));
        Assert.Equal(7.0, total.EnergyKwh!.Value, 9);
        Assert.Equal(1.0, total.SlurmEnergyKwh!.Value, 9);

        var bob = store.Summary(new JobQuery(User: "bob"));
        Assert.Equal(((double?)null, (double?)null, (double?)null), (bob.Total.EnergyKwh, bob.Total.EmissionsG, bob.ShareNotCompleted));
        Assert.Equal((0L, 2.0), (bob.Total.MeasuredJobs, bob.Total.SlurmEnergyKwh!.Value));
        var bobTotals = store.Users(null).Single(u => u.User == "bob");
        Assert.Equal(((double?)null, (double?)null, 1L), (bobTotals.EnergyKwh, bobTotals.ShareNotCompleted, bobTotals.SlurmEnergyJobs));
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Did_not_complete_means_the_same_in_the_summary_and_the_user_totals_and_a_job_without_state_is_neither(string kind)
    {
        using var store = Open(kind);
        Fill(store);
        store.UpsertMeasurements([Measured("2", "n1", Kwh)]); // FAILED, now measured: 1 kWh of the 2 kWh of ended jobs
        var summary = store.Summary(new JobQuery(User: "alice"));
        var alice = store.Users(null).Single(u => u.User == "alice");
        Assert.Equal(0.5, summary.ShareNotCompleted!.Value, 9);
        Assert.Equal(0.5, alice.ShareNotCompleted!.Value, 9);
        Assert.Contains(summary.States, s => s.Key == "UNKNOWN" && s.Totals.MeasuredJobs == 1);
    }
}
