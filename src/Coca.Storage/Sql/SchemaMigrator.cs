using System.Globalization;
using static Coca.Storage.Sql.SqlTime;

namespace Coca.Storage.Sql;

/// <summary>
/// Brings the schema to the code's version (writers, <c>coca store migrate</c>, the server at start) and tells a
/// reader whether it may query. Reading never changes the schema: a read-only database user must be able to query
/// a store that is up to date, and a store behind the code says so instead of failing on a missing column.
/// </summary>
internal sealed class SchemaMigrator(SqlSession sql)
{
    /// <summary>The version this code reads and writes: the last step's.</summary>
    public static int Latest => Migrations.Steps[^1].Version;

    /// <summary>The schema's version as recorded in <c>schema_migrations</c>; 0 for an empty database. Reads only.</summary>
    public int CurrentVersion()
    {
        var exists = sql.Dialect == SqlDialect.Postgres
            // to_regclass needs no privilege on the table, only USAGE on the schema: a reader without SELECT on it still gets an answer.
            ? Scalar("SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN 0 ELSE 1 END")
            : Scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
        return exists == 0 ? 0 : Scalar("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    }

    /// <summary>Throws <see cref="StoreSchemaException"/> unless the schema is at least the code's: what a reader checks on open.</summary>
    public void RequireCurrent()
    {
        var current = CurrentVersion();
        if (current == 0) throw new StoreSchemaException("the store has no schema yet: run `coca store migrate` (or import jobs) first");
        if (current < Latest)
        {
            throw new StoreSchemaException($"the store's schema is version {current}, this coca reads version {Latest}: run `coca store migrate` as a user who may change it");
        }
    }

    /// <summary>
    /// Applies the steps up to a version and returns how many ran. A store already there is not written to at all,
    /// so that a read-only user may run it; otherwise the steps run in one transaction, under an advisory lock on
    /// PostgreSQL (several servers may start at once).
    /// </summary>
    public int Migrate(int upTo = int.MaxValue)
    {
        if (CurrentVersion() >= Math.Min(upTo, Latest)) return 0;
        sql.Execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_ms BIGINT NOT NULL)");
        var applied = 0;
        sql.InTransaction(() =>
        {
            if (sql.Dialect == SqlDialect.Postgres) sql.Execute("SELECT pg_advisory_xact_lock(4242004)");
            var current = Scalar("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
            foreach (var step in Migrations.Steps.Where(s => s.Version > current && s.Version <= upTo))
            {
                foreach (var statement in step.For(sql.Dialect).Split(';').Select(s => s.Trim()).Where(s => s.Length > 0)) sql.Execute(statement);
                sql.Execute("INSERT INTO schema_migrations (version, description, applied_ms) VALUES (@v, @d, @t)", ("v", step.Version), ("d", step.Description), ("t", NowMs()));
                applied++;
            }
        });
        return applied;
    }

    private int Scalar(string query) => Convert.ToInt32(sql.Scalar(query) ?? 0, CultureInfo.InvariantCulture);
}
