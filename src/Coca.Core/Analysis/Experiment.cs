namespace Coca.Core.Analysis;

/// <summary>The two arms of a receptiveness experiment, as the store, the log and the JSON spell them (a contract).</summary>
public static class ExperimentArms
{
    /// <summary>Gets the digest and the behaviour tips.</summary>
    public const string Feedback = "feedback";

    /// <summary>Gets neither from the experiment's start; keeps the plain job report every user gets.</summary>
    public const string Control = "control";
}

/// <summary>
/// A receptiveness experiment: from <see cref="Start"/>, the users assigned to <see cref="ExperimentArms.Control"/>
/// get no digest and no tips. The assignment is a pure function of the users' prior energy and <see cref="Seed"/>.
/// </summary>
/// <param name="ControlShare">The share of users in the control arm, 0.05–0.95.</param>
/// <param name="StratifyBy"><c>energy</c> (users ranked by their energy in the 8 weeks before the start), or null.</param>
public sealed record ExperimentDefinition(string Name, DateTimeOffset Start, double ControlShare, long Seed, string? StratifyBy);

/// <summary>One user's arm; <see cref="Stratum"/> the block of similar prior energy drawn together; <see cref="PriorKwh"/> null when unknown.</summary>
public sealed record ArmAssignment(string User, string Arm, int Stratum, double? PriorKwh);
