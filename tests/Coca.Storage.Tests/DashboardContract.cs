namespace Coca.Storage.Tests;

/// <summary>What the dashboard asks of the store, the same on SQLite and PostgreSQL: ordered pages, breakdowns, login links and sessions.</summary>
public sealed class DashboardContract : StoreFixture
{
    private static IJobStore Fill(IJobStore store)
    {
        store.UpsertAccounting(
        [
            Job("1") with { Submit = T0, Partition = "gpu", Account = "a" },
            Job("2") with { Submit = T0.AddDays(1), Partition = "gpu", Account = "b" },
            Job("3") with { Submit = T0.AddDays(1).AddHours(2), Partition = "cpu", Account = "a" },
            Job("4") with { Submit = T0.AddDays(2), Partition = null, Account = "a" },
        ]);
        store.UpsertMeasurements([Measured("1", "n1", 3_600_000_000), Measured("2", "n1", 36_000_000_000), Measured("3", "n1", 360_000_000)]);
        return store;
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Listings_order_by_time_or_energy_with_unknown_energy_last_and_page_by_offset(string kind)
    {
        using var store = Fill(Open(kind));
        string[] Ids(JobOrder order, int offset = 0, int limit = 10) => [.. store.Jobs(new JobQuery(Limit: limit) { Order = order, Offset = offset }).Select(j => j.JobIdRaw)];
        Assert.Equal(["4", "3", "2", "1"], Ids(JobOrder.Newest));
        Assert.Equal(["2", "1", "3", "4"], Ids(JobOrder.MostEnergy));
        Assert.Equal(["3", "1", "2", "4"], Ids(JobOrder.LeastEnergy));
        Assert.Equal(["2", "3"], Ids(JobOrder.Oldest, offset: 1, limit: 2));
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Breakdowns_sum_per_day_week_partition_and_account_with_unknown_named(string kind)
    {
        using var store = Fill(Open(kind));
        var days = store.Breakdown(new JobQuery(), JobGrouping.Day);
        Assert.Equal(["2026-03-01", "2026-03-02", "2026-03-03"], days.Select(d => d.Key));
        Assert.Equal([1L, 2L, 1L], days.Select(d => d.Totals.Jobs));
        Assert.Null(days[2].Totals.EnergyKwh); // job 4 was not measured: unknown, not 0
        // 2026-03-01 is a Sunday: its week began on Monday 23 February; the next two days start the next week.
        var weeks = store.Breakdown(new JobQuery(), JobGrouping.Week);
        Assert.Equal(["2026-02-23", "2026-03-02"], weeks.Select(w => w.Key));
        Assert.Equal([1L, 3L], weeks.Select(w => w.Totals.Jobs));
        var partitions = store.Breakdown(new JobQuery(), JobGrouping.Partition);
        Assert.Equal(["gpu", "cpu", "unknown"], partitions.Select(p => p.Key));
        Assert.Equal(0.011, partitions[0].Totals.EnergyKwh!.Value, 6);
        Assert.Equal(["b", "a"], store.Breakdown(new JobQuery(), JobGrouping.Account).Select(a => a.Key));
    }

    [Theory, MemberData(nameof(Kinds))]
    public void A_login_link_is_redeemed_once_for_a_session_that_ends_on_sign_out(string kind)
    {
        using var store = Open(kind);
        var link = store.IssueLogin(TokenRoles.Admin, "root", TimeSpan.FromMinutes(10));
        var session = store.RedeemLogin(link, TimeSpan.FromHours(1));
        Assert.NotNull(session);
        Assert.Null(store.RedeemLogin(link, TimeSpan.FromHours(1)));
        Assert.Null(store.WebSession(link)); // the link is not a session
        var found = store.WebSession(session.Secret);
        Assert.Equal((TokenRoles.Admin, "root", session.Csrf), (found?.Role, found?.Subject, found?.Csrf));
        Assert.True(store.EndWebSession(session.Secret));
        Assert.Null(store.WebSession(session.Secret));
        Assert.Throws<ArgumentException>(() => store.IssueLogin(TokenRoles.Agent, "n1", TimeSpan.FromMinutes(1)));
    }

    [Theory, MemberData(nameof(Kinds))]
    public void An_expired_session_is_no_session(string kind)
    {
        using var store = Open(kind);
        var session = store.RedeemLogin(store.IssueLogin(TokenRoles.User, "alice", TimeSpan.FromMinutes(1)), TimeSpan.FromMilliseconds(1))!;
        Thread.Sleep(20);
        Assert.Null(store.WebSession(session.Secret));
    }
}
