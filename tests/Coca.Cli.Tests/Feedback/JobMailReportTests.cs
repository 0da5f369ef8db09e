using Coca.Commands.Node.Config;
using Coca.Commands.Site.Feedback;
using Coca.Core.Accounting;
using Coca.Storage;
using Coca.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Coca.Cli.Tests.Feedback;

/// <summary>
/// Slurm mails at job end, usually before the agent's last figures: the report waits for them on the injected clock,
/// read again every two seconds up to <c>[feedback] mail_wait</c>. A fake clock that says when the loop starts to
/// wait makes each step exact, without sleeping.
/// </summary>
public sealed class JobMailReportTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new("coca-mail-report");
    private readonly WaitingClock _clock = new(T0.AddHours(1));
    private readonly CocaSettings _settings = CocaSettings.EnvironmentOnly(_ => null);

    private string Db => "sqlite:" + _dir.Combine("coca.db");

    private void Job(DateTimeOffset? end, double? energyJ)
    {
        using var store = JobStores.Open(Db);
        store.Migrate();
        store.UpsertAccounting([new AccountingJob
        {
            JobIdRaw = "10", JobId = "10", User = "alice", Nodes = "n1", Gpus = 1, State = end is null ? "RUNNING" : "COMPLETED",
            Submit = T0, Start = T0, End = end, ElapsedS = end is null ? null : 3600, SlurmEnergyJ = energyJ,
        }]);
    }

    private Task<(JobMailReport? Report, string? Why)> Build()
    {
        return Task.Run(() =>
        {
            using var store = JobStores.Open(Db);
            return JobMailReports.Build(store, "10", arraySummary: false, _settings, TimeSpan.FromSeconds(30), _clock);
        });
    }

    [Fact]
    public async Task The_report_reads_the_job_again_after_two_seconds_and_takes_its_final_figures()
    {
        Job(end: null, energyJ: null);
        var build = Build();
        Assert.True(await _clock.Waiting.WaitAsync(TimeSpan.FromSeconds(30)), "the report did not wait for the running job");
        Assert.False(build.IsCompleted);

        Job(end: T0.AddHours(1), energyJ: 3.6e6);
        _clock.Advance(TimeSpan.FromSeconds(2));
        var (report, why) = await build.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Null(why);
        Assert.Contains("COMPLETED", report!.Text, StringComparison.Ordinal);
        Assert.Contains("1 kWh", report.Text, StringComparison.Ordinal);
        Assert.Equal(0, _clock.Waiting.CurrentCount); // one wait, no more
    }

    [Fact]
    public async Task The_report_gives_up_at_mail_wait_and_says_what_is_known()
    {
        Job(end: null, energyJ: null);
        var build = Build();
        var waits = 0;
        // Each step: the report either begins a wait (the clock moves it on two seconds) or ends.
        while (waits <= 20)
        {
            var waiting = _clock.Waiting.WaitAsync(TimeSpan.FromSeconds(30));
            if (await Task.WhenAny(build, waiting) == build) break;
            Assert.True(await waiting, "the report neither waited nor ended");
            waits++;
            _clock.Advance(TimeSpan.FromSeconds(2));
        }
        var (report, why) = await build.WaitAsync(TimeSpan.FromSeconds(30));
        // Read at 0, 2, …, 28 s and once more at 30 s: the last read that a further two seconds would overrun the 30 s.
        Assert.Equal(15, waits);
        Assert.Equal(T0.AddHours(1).AddSeconds(30), _clock.GetUtcNow());
        Assert.Null(why);
        Assert.Contains("RUNNING", report!.Text, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>A fake clock that counts each wait begun on it (Task.Delay creates one timer per wait).</summary>
    private sealed class WaitingClock(DateTimeOffset start) : FakeTimeProvider(start)
    {
        public SemaphoreSlim Waiting { get; } = new(0);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            Waiting.Release();
            return timer;
        }
    }
}
