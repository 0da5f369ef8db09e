using System.Globalization;
using static Coca.Storage.Sql.SqlTime;

namespace Coca.Storage.Sql;

/// <summary>Brings the schema to the code's version: the numbered steps of <see cref="Migrations"/>, each applied once.</summary>
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

    /// <summary>
    /// Applies the steps up to a version and returns how many ran, in one transaction, under an advisory lock on
    /// PostgreSQL (several servers may start at once).
    /// </summary>
    public int Migrate(int upTo = int.MaxValue)
    {
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
