using Coca.Core.Analysis;

namespace Coca.Storage.Tests;

/// <summary>Issue 14's tables on both stores: the delivery log, opt-outs, experiments and their arms.</summary>
public sealed class FeedbackContract : StoreFixture
{
    private static FeedbackDelivery Delivery(string user, string kind, DateTimeOffset at, string? arm = null) => new()
    {
        User = user,
        Channel = FeedbackChannels.Digest,
        Kind = kind,
        SentAt = at,
        Period = "2026-03-02..2026-03-09",
        Findings = ["zero_gpu", "failed_early"],
        Experiment = arm is null ? null : "winter",
        Arm = arm,
        Target = user + "@example.org",
    };

    [Theory, MemberData(nameof(Kinds))]
    public void Deliveries_come_back_newest_first_with_every_field_and_filtered_by_user(string kind)
    {
        using var store = Open(kind);
        store.Feedback.Record(Delivery("alice", "digest", T0, ExperimentArms.Feedback));
        store.Feedback.Record(Delivery("alice", "digest", T0.AddDays(7)));
        store.Feedback.Record(Delivery("bob", "digest", T0.AddDays(1)) with { Findings = [], JobIdRaw = "42", Period = null, Channel = FeedbackChannels.JobEnd, Kind = "report" });

        var all = store.Feedback.Deliveries(null);
        Assert.Equal([T0.AddDays(7), T0.AddDays(1), T0], all.Select(d => d.SentAt));
        var alice = store.Feedback.Deliveries("alice");
        Assert.Equal(2, alice.Count);
        Assert.Equal(Delivery("alice", "digest", T0, ExperimentArms.Feedback) with { Findings = alice[1].Findings }, alice[1]);
        Assert.Equal(["zero_gpu", "failed_early"], alice[1].Findings);
        var bob = Assert.Single(store.Feedback.Deliveries("bob"));
        Assert.Empty(bob.Findings);
        Assert.Equal("42", bob.JobIdRaw);
        Assert.Null(bob.Arm);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void The_last_delivery_is_per_user_and_kind_and_null_when_none(string kind)
    {
        using var store = Open(kind);
        Assert.Null(store.Feedback.LastDelivery("alice", "digest"));
        store.Feedback.Record(Delivery("alice", "digest", T0));
        store.Feedback.Record(Delivery("alice", "digest", T0.AddDays(3)));
        store.Feedback.Record(Delivery("alice", "report", T0.AddDays(9)));
        Assert.Equal(T0.AddDays(3), store.Feedback.LastDelivery("alice", "digest"));
        Assert.Null(store.Feedback.LastDelivery("bob", "digest"));
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Opting_out_twice_changes_nothing_and_opting_in_undoes_it(string kind)
    {
        using var store = Open(kind);
        Assert.True(store.Feedback.OptOut("alice", T0));
        Assert.False(store.Feedback.OptOut("alice", T0.AddDays(1)));
        Assert.Equal(["alice"], store.Feedback.OptedOut());
        Assert.True(store.Feedback.OptIn("alice"));
        Assert.False(store.Feedback.OptIn("alice"));
        Assert.Empty(store.Feedback.OptedOut());
    }

    [Theory, MemberData(nameof(Kinds))]
    public void An_experiment_keeps_its_arms_refuses_a_second_of_the_same_name_and_applies_from_its_start(string kind)
    {
        using var store = Open(kind);
        var definition = new ExperimentDefinition("winter", T0, 0.5, 7, "energy");
        ArmAssignment[] arms = [new("alice", ExperimentArms.Control, 0, 12.5), new("bob", ExperimentArms.Feedback, 0, null)];
        Assert.True(store.Feedback.CreateExperiment(definition, arms));
        Assert.False(store.Feedback.CreateExperiment(definition with { Seed = 8 }, [new("carol", ExperimentArms.Control, 0, 1)]));

        var (d, stored) = store.Feedback.Experiment("winter")!.Value;
        Assert.Equal(definition, d);
        Assert.Equal(arms, stored);
        Assert.Null(store.Feedback.Experiment("summer"));
        Assert.Null(store.Feedback.ArmOf("alice", T0.AddSeconds(-1)));
        Assert.Equal(new UserArm("winter", ExperimentArms.Control), store.Feedback.ArmOf("alice", T0));
        Assert.Null(store.Feedback.ArmOf("carol", T0.AddDays(1)));
    }
}
