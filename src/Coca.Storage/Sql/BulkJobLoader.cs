using System.Globalization;
using Coca.Core.Accounting;
using Coca.Core.Carbon;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Coca.Storage.Sql;

/// <summary>
/// Many finished jobs at once, accounting and energy together (an archive import, a benchmark year): the same
/// idempotent upsert as the other writes, but in large transactions, with positional binding on SQLite and COPY
/// on PostgreSQL, because per-row named parameters cost more than the insert itself at millions of rows.
/// </summary>
internal sealed class BulkJobLoader(SqlSession sql, CarbonInputs carbon)
{
    private static readonly string[] Columns = [.. AccountingWriter.Columns, "cpu_uj", "dram_uj", "gpu_uj", "other_uj", "provenance", "pue", "carbon_intensity", "emissions_g"];

    // The accounting's columns as an import sets them (interactive kept when unknown), then the energy's.
    private static readonly string Set = AccountingWriter.Set + ", " + string.Join(", ", Columns[AccountingWriter.Columns.Length..].Select(c => $"{c} = excluded.{c}"));

    public long Load(IEnumerable<(AccountingJob Job, long[]? EnergyUj)> jobs) =>
        sql.Connection is NpgsqlConnection postgres ? LoadPostgres(postgres, jobs) : LoadSqlite((SqliteConnection)sql.Connection, jobs);

    private long LoadSqlite(SqliteConnection connection, IEnumerable<(AccountingJob Job, long[]? EnergyUj)> jobs)
    {
        long written = 0;
        var columns = string.Join(", ", Columns);
        var statement = $"INSERT INTO jobs (job_id_raw, {columns}) VALUES ({string.Join(", ", Enumerable.Range(1, Columns.Length + 1).Select(i => "?" + i.ToString(CultureInfo.InvariantCulture)))}) " +
                        $"ON CONFLICT (job_id_raw) DO UPDATE SET {Set}";
        var values = new object?[Columns.Length + 1];
        foreach (var chunk in jobs.Chunk(20_000))
        {
            sql.InTransaction(() =>
            {
                using var insert = new SqliteBulkInsert(connection, statement);
                foreach (var (j, e) in chunk)
                {
                    Values(j, e, values);
                    written += insert.Run(values);
                }
            });
        }
        return written;
    }

    // COPY into a temporary table, then one INSERT … ON CONFLICT: the idempotent write at COPY speed.
    private long LoadPostgres(NpgsqlConnection connection, IEnumerable<(AccountingJob Job, long[]? EnergyUj)> jobs)
    {
        long written = 0;
        var columns = string.Join(", ", Columns);
        foreach (var chunk in jobs.Chunk(200_000))
        {
            sql.InTransaction(() =>
            {
                sql.Execute("CREATE TEMPORARY TABLE IF NOT EXISTS jobs_load (LIKE jobs INCLUDING DEFAULTS) ON COMMIT DELETE ROWS");
                using (var copy = connection.BeginBinaryImport($"COPY jobs_load (job_id_raw, {columns}) FROM STDIN (FORMAT BINARY)"))
                {
                    var values = new object?[Columns.Length + 1];
                    foreach (var (j, e) in chunk)
                    {
                        copy.StartRow();
                        Values(j, e, values);
                        foreach (var value in values)
                        {
                            switch (value)
                            {
                                case null: copy.WriteNull(); break;
                                case string text: copy.Write(text, NpgsqlDbType.Text); break;
                                case int n: copy.Write(n, NpgsqlDbType.Integer); break;
                                case long l: copy.Write(l, NpgsqlDbType.Bigint); break;
                                case double d: copy.Write(d, NpgsqlDbType.Double); break;
                                default: throw new InvalidOperationException($"unexpected {value.GetType()}");
                            }
                        }
                    }
                    copy.Complete();
                }
                written += sql.Execute($"INSERT INTO jobs (job_id_raw, {columns}) SELECT job_id_raw, {columns} FROM jobs_load " +
                                       $"ON CONFLICT (job_id_raw) DO UPDATE SET {Set}");
            });
        }
        // The time index is BRIN: page ranges not yet summarised are read by every time-bounded query, and without
        // statistics the planner does not know the table is in time order, so a freshly loaded year was scanned whole by
        // each of them until autovacuum came by. Summarise and analyse what the load added now.
        sql.Execute("SELECT brin_summarize_new_values('jobs_time')");
        sql.Execute("ANALYZE jobs");
        return written;
    }

    // In the order of job_id_raw then Columns: the accounting's, then the energy's.
    private void Values(AccountingJob j, long[]? e, object?[] v)
    {
        var total = e is null ? (double?)null : e.Sum() / 1e6;
        v[0] = j.JobIdRaw;
        AccountingWriter.Values(j, v, 1);
        var i = AccountingWriter.Columns.Length + 1;
        v[i] = e?[0]; v[i + 1] = e?[1]; v[i + 2] = e?[2]; v[i + 3] = e?[3];
        v[i + 4] = e is null ? null : "mmmn";
        v[i + 5] = e is null ? null : carbon.Pue;
        v[i + 6] = e is null ? null : carbon.GramsPerKwh;
        v[i + 7] = total is { } joules ? CarbonCalculator.EmissionsGrams(joules, carbon) : null;
    }

    /// <summary>Bytes the jobs table and its indexes take on disk (PostgreSQL), or the whole database file (SQLite, after a checkpoint).</summary>
    public long JobsBytes()
    {
        if (sql.Dialect == SqlDialect.Postgres) return Convert.ToInt64(sql.Scalar("SELECT pg_total_relation_size('jobs')"), CultureInfo.InvariantCulture);
        sql.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        return Convert.ToInt64(sql.Scalar("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"), CultureInfo.InvariantCulture);
    }
}
