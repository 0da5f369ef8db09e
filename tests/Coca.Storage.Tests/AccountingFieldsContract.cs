using Coca.Core.Accounting;
using Coca.Core.Jobs;

namespace Coca.Storage.Tests;

/// <summary>seff's inputs, the fingerprint, tags and interactive round-trip through both write paths; the new filters select.</summary>
public sealed class AccountingFieldsContract : StoreFixture
{
    private static AccountingJob Seff(string raw, string? comment = "model=resnet50 task=train", bool? interactive = false) => Job(raw) with
    {
        Name = "sweep_lr0.1",
        Partition = "gpu",
        Comment = comment,
        TotalCpuS = 5400.5,
        AllocCpus = 8,
        ReqMemBytes = 16L << 30,
        MaxRssBytes = 3L << 30,
        TimelimitS = 7200,
        SubmitLine = "sbatch --lr=0.1 train.sh",
        WorkDir = "/home/alice/p",
        ReqTres = "cpu=8,mem=16G,gres/gpu=2",
        TresUsageInAve = "cpu=00:10:00",
        Interactive = interactive,
    };

    private static void AssertSeff(AccountingJob expected, JobRow row)
    {
        Assert.Equal((5400.5, 8, 16L << 30, 3L << 30, 7200L), (row.TotalCpuS!.Value, row.AllocCpus!.Value, row.ReqMemBytes!.Value, row.MaxRssBytes!.Value, row.TimelimitS!.Value));
        Assert.Equal(expected.Fingerprint, row.Fingerprint);
        Assert.Equal(("sbatch --lr=0.1 train.sh", "/home/alice/p", "cpu=8,mem=16G,gres/gpu=2"), (row.SubmitLine!, row.WorkDir!, row.ReqTres!));
        Assert.Equal(" model=resnet50 task=train ", row.Tags);
        Assert.False(row.Interactive);
        Assert.Null(row.Framework);
        Assert.Null(row.UnusedGpus);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void The_accounting_upsert_stores_and_reads_back_every_new_field(string kind)
    {
        using var store = Open(kind);
        var job = Seff("10");
        Assert.Equal(1, store.UpsertAccounting([job]).Inserted);
        AssertSeff(job, store.Job("10")!);
        Assert.Equal(1, store.UpsertAccounting([job]).Unchanged);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void The_bulk_load_stores_the_same_fields(string kind)
    {
        using var store = Open(kind);
        var job = Seff("11");
        Assert.Equal(1, store.BulkLoad([(job, [1, 2, 3, 4])]));
        AssertSeff(job, store.Job("11")!);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Unknown_figures_stay_null_and_a_job_without_name_or_command_has_no_fingerprint(string kind)
    {
        using var store = Open(kind);
        store.UpsertAccounting([Job("12") with { Name = null }]);
        var row = store.Job("12")!;
        Assert.Equal(((double?)null, (int?)null, (long?)null, (long?)null, (long?)null, (long?)null, (bool?)null, (string?)null),
            (row.TotalCpuS, row.AllocCpus, row.ReqMemBytes, row.MaxRssBytes, row.TimelimitS, row.Fingerprint, row.Interactive, row.Tags));
    }

    [Theory, MemberData(nameof(Kinds))]
    public void An_accounting_that_does_not_know_interactive_keeps_what_was_known(string kind)
    {
        using var store = Open(kind);
        store.UpsertAccounting([Seff("13", interactive: true)]);
        Assert.Equal(1, store.UpsertAccounting([Seff("13", interactive: null)]).Unchanged);
        Assert.True(store.Job("13")!.Interactive);
        store.BulkLoad([(Seff("13", interactive: null), null)]);
        Assert.True(store.Job("13")!.Interactive);
        store.UpsertAccounting([Seff("13", interactive: false)]);
        Assert.False(store.Job("13")!.Interactive);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Jobs_filter_by_partition_tag_and_array(string kind)
    {
        using var store = Open(kind);
        store.UpsertAccounting(
        [
            Seff("20") with { Partition = "gpu" },
            Seff("21", comment: "model=ResNet50") with { Partition = "cpu" },
            Seff("22", comment: "model=resnet500 x=model=resnet50") with { Partition = "gpu" },
            Seff("23", comment: "task=eval, model=resnet50") with { Partition = "gpu", ArrayJobId = "20", ArrayTaskId = 1, JobId = "20_1" },
            Seff("24", comment: "model=res%net") with { ArrayJobId = "20", ArrayTaskId = 2, JobId = "20_2" },
            Seff("25", comment: "model=resXnet"),
        ]);
        Assert.Equal(["21"], store.Jobs(new JobQuery { Partition = "cpu" }).Select(j => j.JobIdRaw).Order());
        Assert.Equal(["20", "23"], store.Jobs(new JobQuery { Tag = "model=resnet50" }).Select(j => j.JobIdRaw).Order());
        Assert.Equal(["21"], store.Jobs(new JobQuery { Tag = "MODEL=ResNet50" }).Select(j => j.JobIdRaw));
        Assert.Equal(["24"], store.Jobs(new JobQuery { Tag = "model=res%net" }).Select(j => j.JobIdRaw));
        Assert.Equal(["23", "24"], store.Jobs(new JobQuery { ArrayJobId = "20" }).Select(j => j.JobIdRaw).Order());
        Assert.Equal(2, store.Summary(new JobQuery { Tag = "model=resnet50" }).Total.Jobs);
        Assert.Throws<ArgumentException>(() => store.Jobs(new JobQuery { Tag = "model" }));
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Jobs_filter_by_node_through_the_host_list_before_the_limit(string kind)
    {
        using var store = Open(kind);
        store.UpsertAccounting(
        [
            Job("30", nodes: "gpu[01-04,07]"),
            Job("31", nodes: "gpu05"),
            Job("32", nodes: "gpu[10-12]"),
            Job("33", nodes: "login1,gpu[03-04]"),
            Job("34", nodes: "gpu3"),
            Job("35", nodes: null),
        ]);
        Assert.Equal(["30", "33"], store.Jobs(new JobQuery { Node = "gpu03" }).Select(j => j.JobIdRaw).Order());
        Assert.Equal(["30"], store.Jobs(new JobQuery { Node = "gpu07" }).Select(j => j.JobIdRaw));
        Assert.Equal(["34"], store.Jobs(new JobQuery { Node = "gpu3" }).Select(j => j.JobIdRaw));
        Assert.Empty(store.Jobs(new JobQuery { Node = "gpu08" }));
        // The limit counts matching jobs, not the rows the SQL pre-filter let through.
        // (30 and 31 come first and pass the SQL's pre-filter; a LIMIT in the SQL would return nothing.)
        Assert.Equal(["32"], store.Jobs(new JobQuery(Limit: 1) { Node = "gpu11" }).Select(j => j.JobIdRaw));
        Assert.Single(store.Jobs(new JobQuery(Limit: 1) { Node = "gpu04" }));
        Assert.Throws<NotSupportedException>(() => store.Summary(new JobQuery { Node = "gpu03" }));
    }

    [Fact]
    public void The_stored_fingerprint_is_the_cores()
    {
        var job = Seff("1");
        Assert.Equal(JobFingerprint.Of("sweep_lr0.1", "sbatch --lr=0.1 train.sh", "/home/alice/p"), job.Fingerprint);
        Assert.Equal(job.Fingerprint, (Seff("2") with { Name = "sweep_lr0.01", SubmitLine = "sbatch --lr=0.01 train.sh" }).Fingerprint);
    }
}
