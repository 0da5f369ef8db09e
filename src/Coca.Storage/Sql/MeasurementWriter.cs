using Coca.Core.Carbon;
using Coca.Core.Ingest;
using Coca.Core.Jobs;
using Coca.Core.Units;
using static Coca.Storage.Sql.SqlTime;

namespace Coca.Storage.Sql;

/// <summary>
/// The agents' side of a job: one row per job and node in <c>job_nodes</c>, a newer report replacing an older one
/// (never the reverse), and the job row's energy, provenance and emissions recomputed as the sum over its nodes.
/// Never touches the scheduler's fields, except to fill user and times while accounting has not said them yet.
/// Every figure passes <see cref="JobOwnership"/>: a node writes only its own row of a job that ran on it, and a
/// conflict is refused (that job's figures are not written), never merged.
/// </summary>
internal sealed class MeasurementWriter(SqlSession sql, CarbonInputs carbon)
{
    private readonly JobOwnership _ownership = new(sql);

    /// <summary>
    /// Writes the measurements, each as the row of <paramref name="node"/> when given (the calling agent's node, whatever
    /// the payload names), else of its own <see cref="JobMeasurement.Node"/>. Refused jobs are listed with the reason.
    /// </summary>
    public UpsertResult Upsert(IReadOnlyList<JobMeasurement> measurements, List<IngestRefusal> refused, string? node = null)
    {
        int inserted = 0, updated = 0, unchanged = 0;
        sql.InTransaction(() =>
        {
            var touched = new HashSet<string>(StringComparer.Ordinal);
            var existing = sql.Existing(measurements.Select(m => m.JobIdRaw).ToList(), "job_nodes");
            using var command = sql.Command("""
                INSERT INTO job_nodes (job_id_raw, node, user_name, start_ms, end_ms, cpu_uj, dram_uj, gpu_uj, other_uj, provenance, coverage,
                                       gpu_seconds, gpu_busy_seconds, idle_gpu_s, last_gpu_activity_ms, after_last_activity_uj, final, as_of_ms,
                                       unused_gpus, unused_gpu_uj, interactive, framework, other_rule, other_source, other_mape_pct)
                VALUES (@job, @node, @user, @start, @end, @cpu, @dram, @gpu, @other, @prov, @coverage, @gs, @gbs, @idle, @last, @after, @final, @asof,
                        @unused, @unusedUj, @interactive, @framework, @otherRule, @otherSource, @otherMape)
                ON CONFLICT (job_id_raw, node) DO UPDATE SET
                    user_name = COALESCE(job_nodes.user_name, excluded.user_name), start_ms = excluded.start_ms, end_ms = excluded.end_ms, cpu_uj = excluded.cpu_uj,
                    dram_uj = excluded.dram_uj, gpu_uj = excluded.gpu_uj, other_uj = excluded.other_uj, provenance = excluded.provenance,
                    coverage = excluded.coverage, gpu_seconds = excluded.gpu_seconds, gpu_busy_seconds = excluded.gpu_busy_seconds,
                    idle_gpu_s = excluded.idle_gpu_s, last_gpu_activity_ms = excluded.last_gpu_activity_ms,
                    after_last_activity_uj = excluded.after_last_activity_uj, final = excluded.final, as_of_ms = excluded.as_of_ms,
                    unused_gpus = excluded.unused_gpus, unused_gpu_uj = excluded.unused_gpu_uj, interactive = excluded.interactive, framework = excluded.framework,
                    other_rule = excluded.other_rule, other_source = excluded.other_source, other_mape_pct = excluded.other_mape_pct
                WHERE job_nodes.as_of_ms < excluded.as_of_ms
                """);
            foreach (var original in measurements)
            {
                var m = node is null ? original : original with { Node = node };
                if (refused.Any(r => r.JobIdRaw == m.JobIdRaw)) continue;
                if (_ownership.Refusal(m.JobIdRaw, m.Node, m.User) is { } why)
                {
                    refused.Add(new IngestRefusal(m.JobIdRaw, why));
                    continue;
                }
                SqlSession.Bind(command, ("job", m.JobIdRaw), ("node", m.Node), ("user", m.User), ("start", Ms(m.Start)), ("end", Ms(m.End)),
                    ("cpu", m.Energy[ComponentKind.Cpu].Microjoules), ("dram", m.Energy[ComponentKind.Dram].Microjoules),
                    ("gpu", m.Energy[ComponentKind.Gpu].Microjoules), ("other", m.Energy[ComponentKind.Other].Microjoules),
                    ("prov", ProvenanceColumn.Encode(ComponentEnergy.Components.Select(m.Energy.ProvenanceOf))), ("coverage", m.Coverage), ("gs", m.GpuSeconds), ("gbs", m.GpuBusySeconds),
                    ("idle", m.IdleGpuSeconds), ("last", Ms(m.LastGpuActivity)), ("after", m.EnergyAfterLastGpuActivityUj),
                    ("final", m.Final ? 1 : 0), ("asof", Ms(m.AsOf)),
                    ("unused", m.UnusedGpus), ("unusedUj", m.UnusedGpuUj), ("interactive", m.Interactive is { } i ? i ? 1 : 0 : null), ("framework", m.Framework),
                    ("otherRule", m.OtherCharge?.Rule), ("otherSource", m.OtherCharge?.Source), ("otherMape", m.OtherCharge?.MapePct));
                if (command.ExecuteNonQuery() == 0)
                {
                    unchanged++;
                    continue;
                }
                if (existing.Contains(m.JobIdRaw)) updated++;
                else inserted++;
                touched.Add(m.JobIdRaw);
            }
            foreach (var job in touched) RefreshJobTotals(job);
        });
        return new UpsertResult(inserted, updated, unchanged, refused.Count);
    }

    // The job's figures are the sum over the nodes it ran on (all rows while accounting has not listed them); provenance the weakest per component.
    public void RefreshJobTotals(string job)
    {
        var accountingNodes = sql.Rows("SELECT nodes FROM jobs WHERE job_id_raw = @job", ("job", job)).Select(r => r.IsDBNull(0) ? null : r.GetString(0)).FirstOrDefault();
        long cpu = 0, dram = 0, gpu = 0, other = 0, after = 0;
        double gpuSeconds = 0, busy = 0, idle = 0, coverage = 1;
        long? last = null, start = null, end = null;
        string? user = null;
        // Issue 13: unused GPUs summed (unknown when a node's agent predates them), the most specific framework, batch
        // when a node saw the batch step (only the batch host can), else interactive when a node said so.
        long unusedGpus = 0, unusedUj = 0;
        var unusedKnown = true;
        string? framework = null;
        bool? interactive = null;
        var charges = new OtherCharges();
        var provenance = new Provenance[4];
        var counted = 0;
        foreach (var reader in sql.Rows("SELECT cpu_uj, dram_uj, gpu_uj, other_uj, provenance, coverage, gpu_seconds, gpu_busy_seconds, idle_gpu_s, last_gpu_activity_ms, after_last_activity_uj, user_name, start_ms, end_ms, node, unused_gpus, unused_gpu_uj, interactive, framework, other_rule, other_source, other_mape_pct FROM job_nodes WHERE job_id_raw = @job ORDER BY node", ("job", job)))
        {
            if (!JobOwnership.Counts(accountingNodes, reader.GetString(14))) continue;
            counted++;
            cpu += reader.GetInt64(0);
            dram += reader.GetInt64(1);
            gpu += reader.GetInt64(2);
            other += reader.GetInt64(3);
            var parts = ProvenanceColumn.Decode(reader.GetString(4));
            for (var c = 0; c < 4 && c < parts.Length; c++) provenance[c] = provenance[c].Combine(parts[c]);
            coverage = Math.Min(coverage, reader.GetDouble(5));
            gpuSeconds += reader.GetDouble(6);
            busy += reader.GetDouble(7);
            idle += reader.GetDouble(8);
            if (!reader.IsDBNull(9)) last = Math.Max(last ?? 0, reader.GetInt64(9));
            after += reader.GetInt64(10);
            if (!reader.IsDBNull(11)) user ??= reader.GetString(11);
            if (!reader.IsDBNull(12)) start = Math.Min(start ?? long.MaxValue, reader.GetInt64(12));
            if (!reader.IsDBNull(13)) end = Math.Max(end ?? 0, reader.GetInt64(13));
            if (reader.IsDBNull(15) || reader.IsDBNull(16)) unusedKnown = false;
            else
            {
                unusedGpus += reader.GetInt64(15);
                unusedUj += reader.GetInt64(16);
            }
            if (!reader.IsDBNull(17)) interactive = reader.GetInt64(17) != 0 && interactive != false;
            if (!reader.IsDBNull(18)) framework = Frameworks.MoreSpecific(framework, reader.GetString(18));
            if (!reader.IsDBNull(19) && !reader.IsDBNull(20)) charges.Add(reader.GetString(19), reader.GetString(20), reader.IsDBNull(21) ? null : reader.GetDouble(21));
        }
        if (counted == 0)
        {
            // No node the accounting lists measured the job: its energy is unknown, not 0.
            sql.Execute("""
                UPDATE jobs SET cpu_uj = NULL, dram_uj = NULL, gpu_uj = NULL, other_uj = NULL, provenance = NULL, coverage = NULL, gpu_util = NULL,
                    idle_gpu_s = NULL, last_gpu_activity_ms = NULL, after_last_activity_uj = NULL, emissions_g = NULL,
                    unused_gpus = NULL, unused_gpu_uj = NULL, framework = NULL, other_rule = NULL, other_source = NULL, other_mape_pct = NULL
                WHERE job_id_raw = @job
                """, ("job", job));
            return;
        }
        var totalJ = (cpu + dram + gpu + other) / 1e6;
        // A measurement may arrive before accounting knows the job: the row is created, accounting fills it in later.
        sql.Execute("INSERT INTO jobs (job_id_raw, user_name, start_ms, end_ms) VALUES (@job, @user, @start, @end) ON CONFLICT (job_id_raw) DO NOTHING",
            ("job", job), ("user", user), ("start", start), ("end", end));
        // The figure written here is the yearly one: what a `coca carbon recompute` stored about its method no longer describes it.
        sql.Execute("""
            UPDATE jobs SET cpu_uj = @cpu, dram_uj = @dram, gpu_uj = @gpu, other_uj = @other, provenance = @prov, coverage = @coverage,
                gpu_util = @util, idle_gpu_s = @idle, last_gpu_activity_ms = @last, after_last_activity_uj = @after,
                pue = @pue, carbon_intensity = @intensity, emissions_g = @emissions,
                unused_gpus = @unused, unused_gpu_uj = @unusedUj, framework = @framework,
                other_rule = @otherRule, other_source = @otherSource, other_mape_pct = @otherMape, interactive = COALESCE(interactive, @interactive),
                carbon_method = NULL, carbon_zone = NULL, carbon_basis = NULL, series_coverage = NULL, carbon_timeline = NULL,
                user_name = COALESCE(user_name, @user), start_ms = COALESCE(start_ms, @start), end_ms = COALESCE(end_ms, @end)
            WHERE job_id_raw = @job
            """,
            ("job", job), ("cpu", cpu), ("dram", dram), ("gpu", gpu), ("other", other),
            ("prov", ProvenanceColumn.Encode(provenance)), ("coverage", coverage),
            ("util", gpuSeconds > 0 ? busy / gpuSeconds : null), ("idle", idle), ("last", last), ("after", after),
            ("pue", carbon.Pue), ("intensity", carbon.GramsPerKwh), ("emissions", CarbonCalculator.EmissionsGrams(totalJ, carbon)),
            ("user", user), ("start", start), ("end", end),
            ("unused", unusedKnown ? unusedGpus : null), ("unusedUj", unusedKnown ? unusedUj : null), ("framework", framework),
            ("otherRule", charges.Rule), ("otherSource", charges.Source), ("otherMape", charges.MapePct),
            ("interactive", interactive is { } i ? i ? 1 : 0 : null)); // accounting's value, when it has one, is kept
    }
}
