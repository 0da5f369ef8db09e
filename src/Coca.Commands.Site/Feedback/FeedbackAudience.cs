using Coca.Core.Analysis;
using Coca.Storage;

namespace Coca.Commands.Site.Feedback;

/// <summary>
/// Who gets tips, on every channel (banner, job mail, digest): not a user who opted out, nor one an experiment's
/// control arm holds, whose behaviour is the baseline the feedback arm is compared with. One rule, read in one place.
/// </summary>
internal static class FeedbackAudience
{
    /// <summary>Why <paramref name="user"/> gets no tips now (null when they do), and the experiment arm they are in, for the log.</summary>
    /// <param name="optedOut">The opt-outs when the caller has read them already (a digest reads them once for all users).</param>
    public static (string? NoTips, UserArm? Arm) Of(IFeedbackStore feedback, string user, DateTimeOffset now, IReadOnlySet<string>? optedOut = null)
    {
        var arm = user.Length > 0 ? feedback.ArmOf(user, now) : null;
        var why = (optedOut ?? feedback.OptedOut()).Contains(user) ? "opted out"
            : arm?.Arm == ExperimentArms.Control ? $"control arm of {arm.Experiment}"
            : null;
        return (why, arm);
    }
}
