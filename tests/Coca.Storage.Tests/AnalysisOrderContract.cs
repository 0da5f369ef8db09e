using System.Text;
using System.Text.Json;
using Coca.Core.Accounting;
using Coca.Core.Analysis;
using Coca.Storage.Sql;

namespace Coca.Storage.Tests;

/// <summary>
/// The behaviours' read (PostgreSQL: each week as its scan finds it, sorted in memory) gives, job for job and finding
/// for finding, what the week's query ordered by the store gives, whatever order the rows were written in, for a user
/// whose name has a quote and a backslash, and none for a name written as an injection.
/// </summary>
public sealed class AnalysisOrderContract : StoreFixture
{
    private static readonly string[] States = ["COMPLETED", "FAILED", "TIMEOUT", "COMPLETED", "OUT_OF_MEMORY", "CANCELLED"];

    public static TheoryData<string, string> KindsAndWritingOrders()
    {
        var data = new TheoryData<string, string> { { "sqlite", "late" }, { "sqlite", "shuffled" } };
        if (TestSupport.PostgresServer.Installed)
        {
            data.Add("postgres", "late");
            data.Add("postgres", "shuffled");
        }
        return data;
    }

    [Theory, MemberData(nameof(KindsAndWritingOrders))]
    public void Reading_in_place_gives_the_jobs_and_findings_of_the_ordered_reading(string kind, string writingOrder)
    {
        using var store = Open(kind);
        var jobs = Year(1_500);
        var written = writingOrder == "late" ? MostlyInOrderWithLateRows(jobs) : Shuffled(jobs);
        foreach (var batch in written.Chunk(250)) store.UpsertAccounting(batch);
        Assert.NotEqual(jobs.Select(j => j.JobIdRaw), written.Select(j => j.JobIdRaw)); // the table is not in time order

        var queries = new AnalysisQueries(((SqlJobStore)store).Session);
        foreach (var q in new[] { new JobQuery(), new JobQuery(User: "u3"), new JobQuery(User: Quoted), new JobQuery(User: "u3' OR '1'='1"), new JobQuery(Since: T0.AddDays(9), Until: T0.AddDays(30)) })
        {
            var expected = queries.JobsInQueryOrder(q).ToList();
            var actual = store.AnalysisJobs(q).ToList();
            Assert.Equal(q.User?.Contains(" OR ", StringComparison.Ordinal) != true, expected.Count > 0);
            Assert.Equal(expected.Select(j => j.JobId), actual.Select(j => j.JobId));
            Assert.Equal(expected, actual);
            var times = actual.Where(j => j.TimeMs is not null).Select(j => j.TimeMs!.Value).ToList();
            Assert.Equal(times.Order(), times);
            Assert.Equal(FindingsJson(expected), FindingsJson(actual));
        }
        Assert.Contains("crash_loop", FindingsJson(store.AnalysisJobs(new JobQuery())), StringComparison.Ordinal);
        Assert.Contains("sweep", FindingsJson(store.AnalysisJobs(new JobQuery())), StringComparison.Ordinal);
    }

    // A user name that a query must quote (PostgreSQL reads its weeks as a COPY, which takes its values as literals).
    private const string Quoted = "o'brien\\";

    // Six weeks of jobs of seven users; several share a submit time (ties), some are array tasks, a few have no time.
    private static List<AccountingJob> Year(int count)
    {
        var random = new Random(17);
        var jobs = new List<AccountingJob>();
        for (var i = 0; i < count; i++)
        {
            var submit = T0.AddMinutes(i / 3 * 40 + random.Next(0, 3));
            var array = i % 97 < 12 ? (i / 97).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            jobs.Add(Job($"{5000 + i}", user: i % 7 == 6 ? Quoted : "u" + (i % 7), state: States[random.Next(States.Length)], gpus: random.Next(0, 3), slurmJ: random.Next(4) == 0 ? null : random.Next(1, 50) * 1e6) with
            {
                JobId = array is null ? $"{5000 + i}" : $"{array}_{i % 97}",
                ArrayJobId = array,
                ArrayTaskId = array is null ? null : i % 97,
                Name = "train" + (i % 5),
                SubmitLine = $"sbatch train{i % 5}.sh --seed {random.Next(100)}",
                Submit = i % 211 == 0 ? null : submit,
                Start = i % 422 == 0 ? null : submit.AddMinutes(1),
                ElapsedS = random.Next(10, 20_000),
                TresUsageInTot = $"cpu=00:10:00,gres/gpuutil={random.Next(0, 100)}",
            });
        }
        return jobs;
    }

    // As agents write: mostly in time order, a tenth of the jobs days late, small reorderings within a batch.
    private static List<AccountingJob> MostlyInOrderWithLateRows(List<AccountingJob> jobs)
    {
        var random = new Random(3);
        var onTime = jobs.Where((_, i) => i % 10 != 3).ToList();
        for (var i = 0; i + 1 < onTime.Count; i += 2)
        {
            if (random.Next(3) == 0) (onTime[i], onTime[i + 1]) = (onTime[i + 1], onTime[i]);
        }
        return [.. onTime, .. jobs.Where((_, i) => i % 10 == 3)];
    }

    private static List<AccountingJob> Shuffled(List<AccountingJob> jobs)
    {
        var shuffled = jobs.ToArray();
        new Random(5).Shuffle(shuffled);
        return [.. shuffled];
    }

    private static string FindingsJson(IEnumerable<AnalysisJob> jobs)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            var output = new BehavioursJson(json);
            output.Start(null, null);
            var analysis = new BehaviourAnalysis(BehaviourRules.Defaults, Carbon, output.Write);
            foreach (var job in jobs) analysis.Add(job);
            output.End(analysis.Finish());
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
