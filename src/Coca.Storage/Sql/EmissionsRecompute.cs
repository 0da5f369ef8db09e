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
/// intensity in force at each moment (Core's <see cref="OperationalEmissions"/>). Goes through the jobs in chunks by
/// id, each computed in memory and written in its own transaction (COPY and one UPDATE on PostgreSQL), writing only
/// figures that changed: a rerun with the same inputs reads and writes nothing else, and an interrupted run resumes
/// by running again.
/// </summary>
internal sealed class EmissionsRecompute(SqlSession sql)
{
    private const string Measured = "(cpu_uj IS NOT NULL OR dram_uj IS NOT NULL OR gpu_uj IS NOT NULL OR other_uj IS NOT NULL)";

    private static readonly string[] Written = ["emissions_g", "pue", "carbon_intensity", "series_coverage", "carbon_method", "carbon_zone", "carbon_basis", "carbon_timeline"];

    private sealed record Stored(string Id, long? StartMs, long? EndMs, double? Kwh, bool Slurm, object?[] Current);

    public RecomputeResult Run(RecomputeInputs inputs, DateTimeOffset? since, Action<long>? progress, int chunkSize = 100_000)
    {
        var withSeries = JobsWithSeries();
        long jobs = 0, changed = 0, hourly = 0, slurm = 0, fromSeries = 0;
        var after = "";
        while (true)
        {
            var chunk = Read(after, since, chunkSize);
            if (chunk.Count == 0) break;
            after = chunk[^1].Id;
            var updates = new List<object?[]>();
            foreach (var job in chunk)
            {
                jobs++;
                if (job.Slurm) slurm++;
                var series = !job.Slurm && withSeries.Contains(job.Id) ? SeriesOf(job.Id) : null;
                var figure = Compute(job, series, inputs);
                if (figure.Method == CarbonMethods.Hourly) hourly++;
                if (figure.EnergyFromSeries) fromSeries++;
                object?[] row = [figure.Grams, figure.Pue, figure.EffectiveGramsPerKwh, figure.SeriesCoverage, figure.Method, figure.Zone, figure.Basis,
                    figure.EnergyFromSeries ? "series" : "uniform"];
                if (!row.SequenceEqual(job.Current)) updates.Add([job.Id, .. row]);
            }
            if (updates.Count > 0) sql.InTransaction(() => Write(updates));
            changed += updates.Count;
            progress?.Invoke(jobs);
            if (chunk.Count < chunkSize) break;
        }
        return new RecomputeResult(jobs, changed, hourly, slurm, fromSeries);
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

    private List<Stored> Read(string after, DateTimeOffset? since, int limit)
    {
        var filter = since is null ? "" : "AND COALESCE(submit_ms, start_ms) >= @since";
        var query = $"""
            SELECT job_id_raw, start_ms, end_ms, elapsed_s, cpu_uj, dram_uj, gpu_uj, other_uj, slurm_energy_j, {string.Join(", ", Written)}
            FROM jobs WHERE job_id_raw > @after AND ({Measured} OR slurm_energy_j IS NOT NULL) {filter}
            ORDER BY job_id_raw LIMIT @limit
            """;
        var rows = new List<Stored>();
        foreach (var r in sql.Rows(query, ("after", after), ("since", Ms(since)), ("limit", limit)))
        {
            long? L(int i) => r.IsDBNull(i) ? null : Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);
            double? D(int i) => r.IsDBNull(i) ? null : Convert.ToDouble(r.GetValue(i), CultureInfo.InvariantCulture);
            var start = L(1);
            var end = L(2) ?? (start is { } s && L(3) is { } elapsed ? s + elapsed * 1000 : null);
            var measured = !(r.IsDBNull(4) && r.IsDBNull(5) && r.IsDBNull(6) && r.IsDBNull(7));
            var kwh = measured ? ((L(4) ?? 0) + (L(5) ?? 0) + (L(6) ?? 0) + (L(7) ?? 0)) / 3.6e12 : D(8) / 3.6e6;
            if (kwh is not { } k || !double.IsFinite(k) || k < 0) continue; // a stored NaN is unknown: no figure is made from it
            var current = new object?[Written.Length];
            for (var i = 0; i < Written.Length; i++) current[i] = r.IsDBNull(9 + i) ? null : i < 4 ? D(9 + i) : r.GetString(9 + i);
            rows.Add(new Stored(r.GetString(0), start, end, kwh, !measured, current));
        }
        return rows;
    }

    private HashSet<string> JobsWithSeries() =>
        sql.Rows("SELECT DISTINCT job_id_raw FROM series").Select(r => r.GetString(0)).ToHashSet(StringComparer.Ordinal);

    private List<SeriesPoint> SeriesOf(string job) =>
        sql.Rows("SELECT node, device, t_ms, energy_uj FROM series WHERE job_id_raw = @job", ("job", job))
            .Select(r => new SeriesPoint(job, r.GetString(0), r.GetString(1), FromMs(r.GetInt64(2))!.Value, r.GetInt64(3), null, null)).ToList();

    // Each update is [job_id_raw, then the Written columns in order].
    private void Write(List<object?[]> updates)
    {
        if (sql.Connection is NpgsqlConnection postgres)
        {
            sql.Execute("""
                CREATE TEMPORARY TABLE IF NOT EXISTS carbon_load (job_id_raw TEXT, emissions_g DOUBLE PRECISION, pue DOUBLE PRECISION,
                    carbon_intensity DOUBLE PRECISION, series_coverage DOUBLE PRECISION, carbon_method TEXT, carbon_zone TEXT, carbon_basis TEXT,
                    carbon_timeline TEXT) ON COMMIT DELETE ROWS
                """);
            using (var copy = postgres.BeginBinaryImport($"COPY carbon_load (job_id_raw, {string.Join(", ", Written)}) FROM STDIN (FORMAT BINARY)"))
            {
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
            sql.Execute($"UPDATE jobs SET {string.Join(", ", Written.Select(c => $"{c} = l.{c}"))} FROM carbon_load l WHERE jobs.job_id_raw = l.job_id_raw");
            return;
        }
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
