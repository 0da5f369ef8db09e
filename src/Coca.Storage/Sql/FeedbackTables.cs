using System.Data.Common;
using System.Security.Cryptography;
using Coca.Core.Analysis;
using static Coca.Storage.Sql.SqlTime;

namespace Coca.Storage.Sql;

/// <summary><see cref="IFeedbackStore"/> in plain SQL: <c>feedback_log</c>, <c>feedback_opt_outs</c>, <c>experiments</c>, <c>experiment_arms</c> (migration 5).</summary>
internal sealed class FeedbackTables(SqlSession sql) : IFeedbackStore
{
    private const string LogColumns = "user_name, channel, kind, sent_ms, job_id_raw, period, findings, experiment, arm, body";

    public void Record(FeedbackDelivery d) => sql.Execute(
        $"INSERT INTO feedback_log (feedback_id, {LogColumns}) VALUES (@id, @u, @c, @k, @t, @j, @p, @f, @e, @a, @b)",
        ("id", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))), ("u", d.User), ("c", d.Channel), ("k", d.Kind), ("t", Ms(d.SentAt)),
        ("j", d.JobIdRaw), ("p", d.Period), ("f", d.Findings.Count == 0 ? null : string.Join(",", d.Findings)), ("e", d.Experiment), ("a", d.Arm), ("b", d.Target));

    public IReadOnlyList<FeedbackDelivery> Deliveries(string? user, int limit = 10_000) =>
        sql.Rows($"SELECT {LogColumns} FROM feedback_log {(user is null ? "" : "WHERE user_name = @u")} ORDER BY sent_ms DESC, feedback_id LIMIT @n",
            ("u", user ?? ""), ("n", limit)).Select(ReadDelivery).ToList();

    public DateTimeOffset? LastDelivery(string user, string kind) =>
        FromMs(sql.Scalar("SELECT MAX(sent_ms) FROM feedback_log WHERE user_name = @u AND kind = @k", ("u", user), ("k", kind)) is { } v ? Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture) : null);

    public bool OptOut(string user, DateTimeOffset at) =>
        sql.Execute("INSERT INTO feedback_opt_outs (user_name, since_ms) VALUES (@u, @t) ON CONFLICT (user_name) DO NOTHING", ("u", user), ("t", Ms(at))) > 0;

    public bool OptIn(string user) => sql.Execute("DELETE FROM feedback_opt_outs WHERE user_name = @u", ("u", user)) > 0;

    public IReadOnlySet<string> OptedOut() =>
        sql.Rows("SELECT user_name FROM feedback_opt_outs").Select(r => r.GetString(0)).ToHashSet(StringComparer.Ordinal);

    public bool CreateExperiment(ExperimentDefinition e, IReadOnlyList<ArmAssignment> arms)
    {
        var created = false;
        sql.InTransaction(() =>
        {
            var rows = sql.Execute("""
                INSERT INTO experiments (name, start_ms, control_share, seed, stratify_by, created_ms) VALUES (@n, @s, @c, @seed, @by, @t)
                ON CONFLICT (name) DO NOTHING
                """, ("n", e.Name), ("s", Ms(e.Start)), ("c", e.ControlShare), ("seed", e.Seed), ("by", e.StratifyBy), ("t", NowMs()));
            if (rows == 0) return;
            using var insert = sql.Command("INSERT INTO experiment_arms (experiment, user_name, arm, stratum, prior_kwh) VALUES (@e, @u, @a, @s, @k)");
            foreach (var a in arms)
            {
                SqlSession.Bind(insert, ("e", e.Name), ("u", a.User), ("a", a.Arm), ("s", a.Stratum), ("k", a.PriorKwh));
                insert.ExecuteNonQuery();
            }
            created = true;
        });
        return created;
    }

    public (ExperimentDefinition Definition, IReadOnlyList<ArmAssignment> Arms)? Experiment(string name)
    {
        var definition = sql.Rows("SELECT name, start_ms, control_share, seed, stratify_by FROM experiments WHERE name = @n", ("n", name))
            .Select(r => new ExperimentDefinition(r.GetString(0), FromMs(r.GetInt64(1))!.Value, r.GetDouble(2), r.GetInt64(3), r.IsDBNull(4) ? null : r.GetString(4)))
            .FirstOrDefault();
        if (definition is null) return null;
        var arms = sql.Rows("SELECT user_name, arm, stratum, prior_kwh FROM experiment_arms WHERE experiment = @n ORDER BY user_name", ("n", name))
            .Select(r => new ArmAssignment(r.GetString(0), r.GetString(1), (int)r.GetInt64(2), r.IsDBNull(3) ? null : r.GetDouble(3)))
            .ToList();
        return (definition, arms);
    }

    public UserArm? ArmOf(string user, DateTimeOffset at) =>
        sql.Rows("""
            SELECT e.name, a.arm FROM experiment_arms a JOIN experiments e ON e.name = a.experiment
            WHERE a.user_name = @u AND e.start_ms <= @t ORDER BY e.start_ms DESC, e.name LIMIT 1
            """, ("u", user), ("t", Ms(at))).Select(r => new UserArm(r.GetString(0), r.GetString(1))).FirstOrDefault();

    private static FeedbackDelivery ReadDelivery(DbDataReader r) => new()
    {
        User = r.GetString(0),
        Channel = r.GetString(1),
        Kind = r.GetString(2),
        SentAt = FromMs(r.GetInt64(3))!.Value,
        JobIdRaw = Text(r, 4),
        Period = Text(r, 5),
        Findings = Text(r, 6)?.Split(',') ?? [],
        Experiment = Text(r, 7),
        Arm = Text(r, 8),
        Target = Text(r, 9),
    };

    private static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
