using Coca.Core.Numerics;
namespace Coca.Core.Analysis;

/// <summary>
/// Assigns users to an experiment's arms, deterministically from the seed. Stratified by energy, the users are ranked
/// by their prior energy (unknown last) and cut into small blocks of neighbours, each block shuffled and split by the
/// control share, so that both arms hold heavy and light users alike; unstratified, the whole list is one block.
/// </summary>
public static class ExperimentAssignment
{
    public const string ByEnergy = "energy";

    public static IReadOnlyList<ArmAssignment> Assign(IReadOnlyCollection<(string User, double? PriorKwh)> users, double controlShare, long seed, string? stratifyBy)
    {
        if (!(controlShare is >= 0.05 and <= 0.95)) throw new ArgumentOutOfRangeException(nameof(controlShare), controlShare, "the control share is 0.05–0.95");
        if (stratifyBy is not (null or ByEnergy)) throw new ArgumentException($"stratify by '{stratifyBy}': only '{ByEnergy}' is known", nameof(stratifyBy));
        // The order is fixed before the generator is used: the same users and seed give the same arms whatever order they came in.
        var ordered = stratifyBy is null
            ? users.OrderBy(u => u.User, StringComparer.Ordinal).ToList()
            : users.OrderBy(u => u.PriorKwh is null ? 1 : 0).ThenByDescending(u => u.PriorKwh ?? 0).ThenBy(u => u.User, StringComparer.Ordinal).ToList();
        var size = stratifyBy is null ? Math.Max(1, ordered.Count) : Math.Max(2, (int)Math.Ceiling(1 / Math.Min(controlShare, 1 - controlShare) - 1e-9));
        var random = new SplitMix64(seed);
        var result = new List<ArmAssignment>(ordered.Count);
        var controls = 0;
        for (var start = 0; start < ordered.Count; start += size)
        {
            var block = ordered.Skip(start).Take(size).ToList();
            for (var i = block.Count - 1; i > 0; i--)
            {
                var j = random.Below(i + 1);
                (block[i], block[j]) = (block[j], block[i]);
            }
            // The control count so far follows the share of the users so far, rounded: the arms' sizes never drift.
            var wanted = (int)Math.Floor(controlShare * (start + block.Count) + 0.5) - controls;
            for (var i = 0; i < block.Count; i++)
            {
                var arm = i < wanted ? ExperimentArms.Control : ExperimentArms.Feedback;
                if (arm == ExperimentArms.Control) controls++;
                result.Add(new ArmAssignment(block[i].User, arm, start / size, block[i].PriorKwh));
            }
        }
        return result;
    }
}
