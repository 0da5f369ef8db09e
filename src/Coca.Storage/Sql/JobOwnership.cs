using Coca.Core.Ingest;
using Coca.Core.Jobs;

namespace Coca.Storage.Sql;

/// <summary>
/// Who may write a job's figures. A node may write only its own row of a job that ran on it (the accounting's
/// NodeList, once imported) and never sets or changes the job's owner: the owner is the accounting's user, else
/// the user of the first record an agent sent for it. Anything else is refused, with a reason that names no secret.
/// </summary>
internal sealed class JobOwnership(SqlSession sql)
{
    /// <summary>Null when <paramref name="node"/> may write its figures for the job as <paramref name="user"/>; else why not.</summary>
    public string? Refusal(string job, string node, string? user)
    {
        string? owner = null, nodes = null;
        foreach (var r in sql.Rows("SELECT user_name, nodes FROM jobs WHERE job_id_raw = @job", ("job", job)))
        {
            owner = r.IsDBNull(0) ? null : r.GetString(0);
            nodes = r.IsDBNull(1) ? null : r.GetString(1);
        }
        if (nodes is not null && !HostList.Contains(nodes, node)) return $"job {job} did not run on node {node} according to Slurm's accounting";
        if (owner is not null && user is not null && user != owner) return $"job {job} already belongs to another user: a node cannot change a job's owner";
        if (owner is null && user is not null)
        {
            // No owner yet, but other nodes measured the job as someone else's: the first record's owner stands.
            var other = sql.Scalar("SELECT COUNT(*) FROM job_nodes WHERE job_id_raw = @job AND node <> @node AND user_name IS NOT NULL AND user_name <> @user",
                ("job", job), ("node", node), ("user", user));
            if (Convert.ToInt64(other, System.Globalization.CultureInfo.InvariantCulture) > 0) return $"job {job} was measured elsewhere for another user";
        }
        return null;
    }

    /// <summary>The series points a node may write: its own, for jobs not refused in this batch and that pass the same rule.</summary>
    public List<SeriesPoint> Admitted(string node, IReadOnlyList<SeriesPoint> series, List<IngestRefusal> refused)
    {
        var decided = refused.ToDictionary(r => r.JobIdRaw, _ => false, StringComparer.Ordinal);
        var kept = new List<SeriesPoint>();
        foreach (var p in series)
        {
            if (!decided.TryGetValue(p.JobIdRaw, out var ok))
            {
                var why = Refusal(p.JobIdRaw, node, null);
                if (why is not null) refused.Add(new IngestRefusal(p.JobIdRaw, why));
                decided[p.JobIdRaw] = ok = why is null;
            }
            if (ok) kept.Add(p with { Node = node });
        }
        return kept;
    }

    /// <summary>Of the given jobs, those with a per-node row from a node their accounting does not list.</summary>
    public IEnumerable<string> JobsWithForeignRows(IReadOnlyList<string> jobs)
    {
        foreach (var chunk in jobs.Chunk(500))
        {
            var args = chunk.Select((j, i) => ($"j{i}", (object?)j)).ToArray();
            var query = $"SELECT jn.job_id_raw, jn.node, j.nodes FROM job_nodes jn JOIN jobs j ON j.job_id_raw = jn.job_id_raw " +
                        $"WHERE j.nodes IS NOT NULL AND jn.job_id_raw IN ({string.Join(", ", args.Select(a => "@" + a.Item1))})";
            var foreign = new HashSet<string>(StringComparer.Ordinal);
            foreach (var r in sql.Rows(query, args))
            {
                if (!HostList.Contains(r.GetString(2), r.GetString(1))) foreign.Add(r.GetString(0));
            }
            foreach (var job in foreign) yield return job;
        }
    }

    /// <summary>Whether a stored per-node row still counts: its node is in the accounting's NodeList, or there is none yet.</summary>
    public static bool Counts(string? accountingNodes, string node) => accountingNodes is null || HostList.Contains(accountingNodes, node);
}
