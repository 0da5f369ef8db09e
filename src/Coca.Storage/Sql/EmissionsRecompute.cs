using System.Globalization;
using Coca.Core.Carbon;
using Coca.Core.Ingest;
using Npgsql;
using NpgsqlTypes;
using static Coca.Storage.Sql.SqlTime;

namespace Coca.Storage.Sql;

/// <summary>
/// Applies the current series, PUE and basis to jobs already stored: each job's energy (the agents', else Slurm's
/// ConsumedEnergyRaw) placed on its timeline (its stored series, else spread uniformly from start to end) meets the
/// intensity in force at each moment (Core's <see cref="OperationalEmissions"/>). Goes through the jobs in chunks, each
/// computed in memory, writing only figures that changed: a rerun with the same inputs reads and writes nothing else.
/// PostgreSQL: one transaction (a cursor, COPY per chunk, one UPDATE at the end); SQLite: a transaction per chunk, so
/// an interrupted run keeps what it did. Either way an interrupted run is finished by running it again.
/// </summary>
internal sealed class EmissionsRecompute(SqlSession sql)
{
    private const string Measured = "(cpu_uj IS NOT NULL OR dram_uj IS NOT NULL OR gpu_uj IS NOT NULL OR other_uj IS NOT NULL)";

    private static readonly string[] Written = ["emissions_g", "pue", "carbon_intensity", "series_coverage", "carbon_method", "carbon_zone", "carbon_basis", "carbon_timeline"];

    private sealed record Stored(string Id, long? StartMs, long? EndMs, double? Kwh, bool Slurm, object?[] Current);

    public RecomputeResult Run(RecomputeInputs inputs, DateTimeOffset? since, Action<long>? progress, int chunkSize = 100_000)
    {
        var withSeries = JobsWithSeries();
        var totals = new long[5]; // jobs, changed, hourly, from Slurm's energy, from series
        var filter = $"({Measured} OR slurm_energy_j IS NOT NULL)" +
            (since is null ? "" : $" AND COALESCE(submit_ms, start_ms) >= {Ms(since)!.Value.ToString(CultureInfo.InvariantCulture)}");
        if (sql.Connection is NpgsqlConnection postgres)
        {
            // One sequential scan through a server-side cursor; each chunk's changed figures are copied into a temporary
            // table, and one UPDATE … FROM applies them all at the end: one join over the jobs table, not one per chunk.
            sql.InTransaction(() =>
            {
                sql.Execute($"""
                    CREATE TEMPORARY TABLE IF NOT EXISTS carbon_load (job_id_raw TEXT, emissions_g DOUBLE PRECISION, pue DOUBLE PRECISION,
                        carbon_intensity DOUBLE PRECISION, series_coverage DOUBLE PRECISION, carbon_method TEXT, carbon_zone TEXT, carbon_basis TEXT,
                        carbon_timeline TEXT) ON COMMIT DELETE ROWS;
                    DECLARE carbon_jobs NO SCROLL CURSOR FOR SELECT {Columns} FROM jobs WHERE {filter}
                    """);
                while (true)
                {
                    var (chunk, fetched, _) = Read($"FETCH {chunkSize.ToString(CultureInfo.InvariantCulture)} FROM carbon_jobs", []);
                    if (fetched == 0) break;
                    var updates = Process(chunk, withSeries, inputs, totals);
                    if (updates.Count > 0) Copy(postgres, updates);
                    progress?.Invoke(totals[0]);
                    if (fetched < chunkSize) break;
                }
                sql.Execute("CLOSE carbon_jobs");
                if (totals[1] > 0)
                {
                    sql.Execute("ANALYZE carbon_load");
                    // The join hashes the changed figures: in memory rather than in batches on disk (this transaction only).
                    sql.Execute("SET LOCAL work_mem = '512MB'");
                    // A national centre's year is millions of changed rows, minutes for one statement: past the driver's default
                    // 30 s, which made a 9 M-job recompute fail at its last step. The statement is the store's own, not a user's.
                    using var update = sql.Command($"UPDATE jobs SET {string.Join(", ", Written.Select(c => $"{c} = l.{c}"))} FROM carbon_load l WHERE jobs.job_id_raw = l.job_id_raw");
                    update.CommandTimeout = 0;
                    update.ExecuteNonQuery();
                }
            });
        }
        else
        {
            // SQLite: chunks by id, each committed with its updates (a prepared statement per row is SQLite's fast path).
            var after = "";
            while (true)
            {
                var (chunk, fetched, last) = Read($"SELECT {Columns} FROM jobs WHERE job_id_raw > @after AND {filter} ORDER BY job_id_raw LIMIT @limit", [("after", after), ("limit", chunkSize)]);
                if (fetched == 0) break;
                after = last!;
                var updates = Process(chunk, withSeries, inputs, totals);
                if (updates.Count > 0) sql.InTransaction(() => UpdateSqlite(updates));
                progress?.Invoke(totals[0]);
                if (fetched < chunkSize) break;
            }
        }
        return new RecomputeResult(totals[0], totals[1], totals[2], totals[3], totals[4]);
    }

    private const string Columns = "job_id_raw, start_ms, end_ms, elapsed_s, cpu_uj, dram_uj, gpu_uj, other_uj, slurm_energy_j, " +
        "emissions_g, pue, carbon_intensity, series_coverage, carbon_method, carbon_zone, carbon_basis, carbon_timeline";

    // The figures of a chunk, and the rows whose stored figure differs: [job_id_raw, then the Written columns in order].
    private List<object?[]> Process(List<Stored> chunk, HashSet<string> withSeries, RecomputeInputs inputs, long[] totals)
    {
        var updates = new List<object?[]>();
        foreach (var job in chunk)
        {
            totals[0]++;
            if (job.Slurm) totals[3]++;
            var series = !job.Slurm && withSeries.Contains(job.Id) ? SeriesOf(job.Id) : null;
            var figure = Compute(job, series, inputs);
            if (figure.Method == CarbonMethods.Hourly) totals[2]++;
            if (figure.EnergyFromSeries) totals[4]++;
            object?[] row = [figure.Grams, figure.Pue, figure.EffectiveGramsPerKwh, figure.SeriesCoverage, figure.Method, figure.Zone, figure.Basis,
                figure.EnergyFromSeries ? "series" : "uniform"];
            if (!row.SequenceEqual(job.Current)) updates.Add([job.Id, .. row]);
        }
        totals[1] += updates.Count;
        return updates;
    }

    private static EmissionsFigure Compute(Stored job, IReadOnlyList<SeriesPoint>? series, RecomputeInputs inputs)
    {
        var kwh = job.Kwh!.Value;
        var yearly = inputs.Yearly.GramsPerKwh;
        if (job.StartMs is not { } start || job.EndMs is not { } end)
        {
            // Not placed in time (no start, or still running without an elapsed time): the yearly figure, said so.
            return OperationalEmissions.Compute(EnergyTimeline.Uniform(0, 0, kwh), null, yearly, inputs.Yearly.Pue, inputs.Zone, inputs.Basis);
        }
        var timeline = series is { Count: > 0 } ? EnergyTimeline.Of(start, end, kwh, series) : EnergyTimeline.Uniform(start, end, kwh);
        return OperationalEmissions.Compute(timeline, inputs.Series, yearly, inputs.Yearly.Pue, inputs.Zone, inputs.Basis);
    }

    // The jobs of a chunk with a usable energy, how many rows the query gave (a skipped row still counts) and the last id.
    private (List<Stored> Rows, int Fetched, string? LastId) Read(string query, (string, object?)[] args)
    {
        var rows = new List<Stored>();
        var fetched = 0;
        string? last = null;
        foreach (var r in sql.Rows(query, args))
        {
            fetched++;
            last = r.GetString(0);
            long? L(int i) => r.IsDBNull(i) ? null : Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);
            double? D(int i) => r.IsDBNull(i) ? null : Convert.ToDouble(r.GetValue(i), CultureInfo.InvariantCulture);
            var start = L(1);
            var end = L(2) ?? (start is { } s && L(3) is { } elapsed ? s + elapsed * 1000 : null);
            var measured = !(r.IsDBNull(4) && r.IsDBNull(5) && r.IsDBNull(6) && r.IsDBNull(7));
            var kwh = measured ? ((L(4) ?? 0) + (L(5) ?? 0) + (L(6) ?? 0) + (L(7) ?? 0)) / 3.6e12 : D(8) / 3.6e6;
            if (kwh is not { } k || !double.IsFinite(k) || k < 0) continue; // a stored NaN is unknown: no figure is made from it
            var current = new object?[Written.Length];
            for (var i = 0; i < Written.Length; i++) current[i] = r.IsDBNull(9 + i) ? null : i < 4 ? D(9 + i) : r.GetString(9 + i);
            rows.Add(new Stored(last, start, end, kwh, !measured, current));
        }
        return (rows, fetched, last);
    }

    private HashSet<string> JobsWithSeries() =>
        sql.Rows("SELECT DISTINCT job_id_raw FROM series").Select(r => r.GetString(0)).ToHashSet(StringComparer.Ordinal);

    private List<SeriesPoint> SeriesOf(string job) =>
        sql.Rows("SELECT node, device, t_ms, energy_uj FROM series WHERE job_id_raw = @job", ("job", job))
            .Select(r => new SeriesPoint(job, r.GetString(0), r.GetString(1), FromMs(r.GetInt64(2))!.Value, r.GetInt64(3), null, null)).ToList();

    private static void Copy(NpgsqlConnection postgres, List<object?[]> updates)
    {
        using var copy = postgres.BeginBinaryImport($"COPY carbon_load (job_id_raw, {string.Join(", ", Written)}) FROM STDIN (FORMAT BINARY)");
        foreach (var u in updates)
        {
            copy.StartRow();
            foreach (var value in u)
            {
                if (value is null) copy.WriteNull();
                else if (value is double d) copy.Write(d, NpgsqlDbType.Double);
                else copy.Write((string)value, NpgsqlDbType.Text);
            }
        }
        copy.Complete();
    }

    private void UpdateSqlite(List<object?[]> updates)
    {
        using var command = sql.Command($"UPDATE jobs SET {string.Join(", ", Written.Select(c => $"{c} = @{c}"))} WHERE job_id_raw = @job");
        foreach (var u in updates)
        {
            SqlSession.Bind(command, [("job", u[0]), .. Written.Select((c, i) => (c, u[i + 1]))]);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>The stored method of one job (null when the job is unknown).</summary>
    public JobCarbonMethod? MethodOf(string jobIdRaw) =>
        sql.Rows("SELECT carbon_method, carbon_zone, carbon_basis, series_coverage, carbon_timeline FROM jobs WHERE job_id_raw = @job", ("job", jobIdRaw))
            .Select(r => new JobCarbonMethod(r.IsDBNull(0) ? null : r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2),
                r.IsDBNull(3) ? null : r.GetDouble(3), r.IsDBNull(4) ? null : r.GetString(4)))
            .FirstOrDefault();
}
