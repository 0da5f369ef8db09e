using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using System.Globalization;
using Coca.Core.Accounting;
using Coca.Core.Analysis;
using Coca.Core.Units;
using static Coca.Storage.Sql.SqlTime;

namespace Coca.Storage.Sql;

/// <summary>
/// The jobs a query selects, as the behaviours read them: in time order (submitted, else started), streamed a week
/// at a time so that neither store sorts a year at once nor holds it in memory, then the jobs with no time at all
/// (only when the query has no time bounds). Only the columns the rules need are read. PostgreSQL's weeks are read as
/// its scan finds them and sorted here (<see cref="SortedHere"/>), job for job the order of the week's query ordered
/// by the store (<see cref="JobsInQueryOrder"/>, the reference the tests compare with); SQLite walks its time index,
/// which costs it little more than reading the table in place (4.0 s against 3.3 s natively for a year). Two readers
/// take the weeks in turn, each on its own connection (<see cref="ReadAhead.Interleaved{T}"/>), and the caller gets
/// them in order: with one, reading was the slower half of <c>coca behaviours</c> (a year: 60 s → 43 s on PostgreSQL).
/// </summary>
internal sealed class AnalysisQueries(SqlSession sql)
{
    private const string JobTime = JobQueries.JobTime;
    // A week of a national centre's jobs is ~170,000 rows, while a day at a time spent more in 365 queries' start-up
    // than in reading. PostgreSQL's BRIN index gives no order: the ordered reference query sorts each week in memory
    // with the session's work_mem raised (below).
    private const long ChunkMs = 7 * 86_400_000L;

    // The columns the rules read, each with what a missing value reads as: -1 for a number (every one of them is ≥ 0
    // when known), '' for a text; null where the column is never NULL. The agents' four components come summed; the tail
    // is missing unless the agent saw GPU activity (a tail needs some activity first). Integers that are not BIGINT in
    // PostgreSQL are cast where a reader asks for a long.
    private static readonly (string Sql, string? Missing, bool Integer)[] RuleColumns =
    [
        ("COALESCE(job_id, job_id_raw)", null, false), ("array_job_id", "''", false), ("user_name", "''", false), ("name", "''", false),
        ("partition_name", "''", false), ("account", "''", false), ("state", "''", false), ("COALESCE(submit_ms, start_ms)", "-1", false),
        ("elapsed_s", "-1", true), ("gpus", "-1", true), ("COALESCE(fingerprint, 0)", null, false),
        ("""
         CASE WHEN cpu_uj IS NULL AND dram_uj IS NULL AND gpu_uj IS NULL AND other_uj IS NULL THEN NULL
              ELSE COALESCE(cpu_uj, 0) + COALESCE(dram_uj, 0) + COALESCE(gpu_uj, 0) + COALESCE(other_uj, 0) END
         """, "-1", false),
        ("COALESCE(gpu_uj, 0)", null, false), ("provenance", "''", false), ("slurm_energy_j", "-1", false), ("gpu_util", "-1", false),
        ("tres_usage", "''", false), ("total_cpu_s", "-1", false), ("alloc_cpus", "-1", true), ("interactive", "-1", true),
        ("unused_gpus", "-1", true), ("unused_gpu_uj", "-1", false),
        ("CASE WHEN last_gpu_activity_ms IS NULL THEN NULL ELSE COALESCE(after_last_activity_uj, 0) END", "-1", false),
        ("emissions_g", "-1", false), ("framework", "''", false), ("tags", "''", false),
    ];

    // One value per column, never NULL, for the readers that ask each value as a type: asking SQLite a column's type
    // costs as much as reading it, and a year is millions of rows.
    private static readonly string Columns = string.Join(", ", RuleColumns.Select(c =>
        c.Missing is null ? c.Sql : c.Integer ? $"CAST(COALESCE({c.Sql}, {c.Missing}) AS BIGINT)" : $"COALESCE({c.Sql}, {c.Missing})"));

    // PostgreSQL's COPY reader (PostgresCopyRows) reads a NULL as -1 or '' itself: the server sends a NULL as its length
    // alone, where a -1 costs it a call of the type's send function (a year's read took 15 s of the server instead of 18).
    private static readonly string NullableColumns = string.Join(", ", RuleColumns.Select(c => c.Sql));

    // The columns above, which Decode reads; a query may add one after them (an id) to order by.
    private static readonly int ColumnCount = RuleColumns.Length;

    public IEnumerable<AnalysisJob> Jobs(JobQuery q)
    {
        // Two readers where each can have a connection of its own (SQLite's file opens one per statement; PostgreSQL's
        // second is a clone of the store's) and the machine has two cores for them and the caller's work.
        using var second = Environment.ProcessorCount > 1 ? SecondReader() : null;
        List<DbConnection> connections = second is null ? [sql.Connection] : [sql.Connection, second.Connection];
        foreach (var job in ReadAhead.Interleaved(Parts(q, physical: true, connections), connections.Count)) yield return job;
    }

    // The second reader's connection: a clone of PostgreSQL's (disposed with it), the same SQLite connection where each
    // statement opens its own on the file; none for a database in memory.
    private SecondConnection? SecondReader()
    {
        switch (sql.Connection)
        {
            case NpgsqlConnection pg:
                var clone = pg.CloneWith(pg.ConnectionString);
                try
                {
                    clone.Open();
                }
                catch
                {
                    clone.Dispose();
                    throw;
                }
                return new SecondConnection(clone, Owned: true);
            case SqliteConnection sqlite when SqliteAnalysisRows.HasOwnConnections(sqlite):
                return new SecondConnection(sqlite, Owned: false);
            default:
                return null;
        }
    }

    private sealed record SecondConnection(DbConnection Connection, bool Owned) : IDisposable
    {
        public void Dispose()
        {
            if (Owned) Connection.Dispose();
        }
    }

    /// <summary>The same jobs, each week's query ordered by the store: slower, and what <see cref="Jobs"/> must equal.</summary>
    internal IEnumerable<AnalysisJob> JobsInQueryOrder(JobQuery q) => Parts(q, physical: false, [sql.Connection]).SelectMany(part => part(0));

    // The query's weeks, then the jobs with no time (only when the query has no time bounds), each a part that a reader
    // reads whole on its connection.
    private List<Func<int, IEnumerable<AnalysisJob>>> Parts(JobQuery q, bool physical, List<DbConnection> connections)
    {
        // A reader may set its own session's sort memory (no privilege needed); the pool resets it when the connection returns.
        // JIT compiling each week's query cost more (10 to 25 ms) than it saved on a scan that is mostly reading.
        if (sql.Dialect == SqlDialect.Postgres)
        {
            foreach (var c in connections)
            {
                using var set = c.CreateCommand();
                set.CommandText = "SET work_mem = '128MB'; SET jit = off";
                set.ExecuteNonQuery();
            }
        }
        var (where, args) = Filter(q);
        var bounds = sql.Rows($"SELECT MIN({JobTime}), MAX({JobTime}) FROM jobs {Where(where, $"{JobTime} IS NOT NULL")}", [.. args]).Select(r =>
            (Min: r.IsDBNull(0) ? (long?)null : Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture),
             Max: r.IsDBNull(1) ? (long?)null : Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture))).First();
        var parts = new List<Func<int, IEnumerable<AnalysisJob>>>();
        if (bounds.Min is { } min && bounds.Max is { } max)
        {
            for (var from = min; from <= max; from += ChunkMs)
            {
                var chunk = Where(where, $"{JobTime} >= @from AND {JobTime} < @to");
                List<(string, object?)> chunkArgs = [.. args, ("from", from), ("to", from + ChunkMs)];
                parts.Add(physical && sql.Dialect == SqlDialect.Postgres
                    ? reader => SortedHere((NpgsqlConnection)connections[reader], chunk, chunkArgs)
                    : reader => Rows(connections[reader], $"SELECT {Columns} FROM jobs {chunk} ORDER BY {Order}", chunkArgs));
            }
        }
        if (q.Since is null && q.Until is null)
        {
            parts.Add(reader => Rows(connections[reader], $"SELECT {Columns} FROM jobs {Where(where, $"{JobTime} IS NULL")} ORDER BY job_id_raw", args));
        }
        return parts;
    }

    // On the reader's connection: SQLite's statement opens its own on the same file where it can.
    private static IEnumerable<AnalysisJob> Rows(DbConnection connection, string query, List<(string, object?)> args)
    {
        if (connection is SqliteConnection sqlite)
        {
            using var rows = new SqliteAnalysisRows(sqlite, query, args);
            while (rows.Next()) yield return Decode(rows);
            yield break;
        }
        using var command = connection.CreateCommand();
        command.CommandText = query;
        SqlSession.Bind(command, [.. args]);
        using var reader = command.ExecuteReader();
        while (reader.Read()) yield return Decode(new ReaderAnalysisRow(reader));
    }

    // SQLite reads the time index in order (ties in insertion order, that is by rowid): adding job_id_raw would sort
    // every chunk again. PostgreSQL's BRIN index gives no order: the id makes ties deterministic there, compared byte by
    // byte (COLLATE "C") so that the order does not hang on the database's locale and is the one SortedHere gives.
    private string Order => sql.Dialect == SqlDialect.Postgres ? $"{JobTime}, job_id_raw COLLATE \"C\"" : JobTime;

    /// <summary>
    /// PostgreSQL: the week as its scan finds it, read as a binary COPY (<see cref="PostgresCopyRows"/>), sorted here by
    /// time, then id byte by byte (the ordered query's <c>COLLATE "C"</c>; ids are ASCII, where UTF-16's order and the
    /// bytes' agree). Sorting the week's wide rows in the server cost 0.28 s of the 0.67 s a week took there; here it is
    /// the keys alone.
    /// </summary>
    private static AnalysisJob[] SortedHere(NpgsqlConnection connection, string chunk, List<(string, object?)> args)
    {
        var jobs = new List<AnalysisJob>();
        var keys = new List<WeekKey>();
        using var rows = PostgresCopyRows.Open(connection, $"SELECT {NullableColumns}, job_id_raw FROM jobs {chunk}", args);
        while (rows.Next())
        {
            var job = Decode(rows);
            jobs.Add(job);
            keys.Add(new WeekKey(job.TimeMs!.Value, rows.Text(ColumnCount)));
        }
        var sorted = jobs.ToArray();
        Array.Sort(keys.ToArray(), sorted);
        return sorted;
    }

    private readonly record struct WeekKey(long TimeMs, string Id) : IComparable<WeekKey>
    {
        public int CompareTo(WeekKey other) => TimeMs != other.TimeMs ? TimeMs.CompareTo(other.TimeMs) : string.CompareOrdinal(Id, other.Id);
    }

    private static (List<string> Where, List<(string, object?)> Args) Filter(JobQuery q)
    {
        var where = new List<string>();
        var args = new List<(string, object?)>();
        if (q.User is not null) { where.Add("user_name = @user"); args.Add(("user", q.User)); }
        if (q.Account is not null) { where.Add("account = @account"); args.Add(("account", q.Account)); }
        if (q.Since is not null) { where.Add($"{JobTime} >= @since"); args.Add(("since", Ms(q.Since))); }
        if (q.Until is not null) { where.Add($"{JobTime} < @until"); args.Add(("until", Ms(q.Until))); }
        return (where, args);
    }

    private static string Where(List<string> filter, string extra) => "WHERE " + string.Join(" AND ", [.. filter, extra]);

    // The stackalloc below is written before it is read: zeroing 512 bytes per row was a measurable share of a year.
    [System.Runtime.CompilerServices.SkipLocalsInit]
    private static AnalysisJob Decode(IAnalysisRow r)
    {
        string? T(int i) => r.Text(i) is { Length: > 0 } t ? t : null;
        string? R(int i) => r.Repeated(i) is { Length: > 0 } t ? t : null;
        long? L(int i) => r.Long(i) is var v && v >= 0 ? v : null;
        // A stored NaN or infinity (written before the parsers refused them) reads as unknown, as a negative does.
        double? D(int i) => r.Double(i) is var d && double.IsFinite(d) && d >= 0 ? d : null;
        var gpus = (int?)L(9);
        var agentUj = L(11);
        var agentUtil = D(15);
        Span<char> tres = stackalloc char[256];
        var slurmUtil = agentUtil is null && gpus > 0 ? Tres.GpuUtilisation(r.Chars(16, tres), gpus) : null;
        var interactive = L(19);
        return new AnalysisJob
        {
            JobId = r.Text(0),
            ArrayJobId = T(1),
            User = R(2),
            Name = R(3),
            Partition = R(4),
            Account = R(5),
            State = R(6),
            TimeMs = r.Long(7) is var t && t != -1 ? t : null,
            ElapsedS = L(8),
            Gpus = gpus,
            Fingerprint = r.Long(10),
            AgentEnergyJ = agentUj / 1e6,
            AgentGpuEnergyJ = agentUj is null ? null : r.Long(12) / 1e6,
            AgentProvenance = agentUj is null ? null : Weakest(R(13)),
            SlurmEnergyJ = D(14),
            GpuUtilisation = agentUtil ?? slurmUtil,
            GpuUtilisationSource = agentUtil is not null ? "agent" : slurmUtil is not null ? "slurm" : null,
            TotalCpuS = D(17),
            AllocCpus = (int?)L(18),
            Interactive = interactive is null ? null : interactive != 0,
            UnusedGpus = (int?)L(20),
            UnusedGpuEnergyJ = L(21) / 1e6,
            EnergyAfterLastGpuActivityJ = L(22) / 1e6,
            EmissionsG = D(23),
            Framework = R(24),
            Tags = T(25),
        };
    }

    // The weakest provenance among the components that have one: what the job's total can claim.
    private static string Weakest(string? stored) =>
        stored is null || ProvenanceColumn.Weakest(stored) is var weakest && weakest == Provenance.None ? "measured" : weakest.ToWire();
}
