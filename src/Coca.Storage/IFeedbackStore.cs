using Coca.Core.Analysis;

namespace Coca.Storage;

/// <summary>The store's part for feedback (issue 14): the delivery log, opt-outs, and experiments with their arms.</summary>
public interface IFeedbackStore
{
    /// <summary>Appends a delivery to the log.</summary>
    void Record(FeedbackDelivery delivery);

    /// <summary>The log, newest first; one user's, or everyone's when <paramref name="user"/> is null.</summary>
    IReadOnlyList<FeedbackDelivery> Deliveries(string? user, int limit = 10_000);

    /// <summary>When the user was last sent feedback of this kind; null when never (throttling reads it).</summary>
    DateTimeOffset? LastDelivery(string user, string kind);

    /// <summary>The user gets no more digests or tips; false when they had already opted out.</summary>
    bool OptOut(string user, DateTimeOffset at);

    /// <summary>Undoes <see cref="OptOut"/>; false when the user had not opted out.</summary>
    bool OptIn(string user);

    IReadOnlySet<string> OptedOut();

    /// <summary>Stores an experiment and its arms in one transaction; false (and nothing written) when the name is taken.</summary>
    bool CreateExperiment(ExperimentDefinition definition, IReadOnlyList<ArmAssignment> arms);

    /// <summary>An experiment and its arms, by name; null when unknown.</summary>
    (ExperimentDefinition Definition, IReadOnlyList<ArmAssignment> Arms)? Experiment(string name);

    /// <summary>The user's arm in the latest experiment started at or before <paramref name="at"/> that assigned them; null: none.</summary>
    UserArm? ArmOf(string user, DateTimeOffset at);
}
