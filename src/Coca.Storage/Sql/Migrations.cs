namespace Coca.Storage.Sql;

/// <summary>One numbered step: SQL both stores run, then what only one of them runs.</summary>
internal sealed record Migration(int Version, string Description, string Sql, string SqliteOnly = "", string PostgresOnly = "")
{
    public string For(SqlDialect dialect) => Sql + ";" + (dialect == SqlDialect.Postgres ? PostgresOnly : SqliteOnly);
}

/// <summary>
/// The schema, as numbered steps applied in order and recorded in <c>schema_migrations</c>. Never edit a
/// released step: add the next one. Plain SQL that both SQLite and PostgreSQL accept, except where a step says.
/// </summary>
internal static class Migrations
{
    public static readonly Migration[] Steps =
    [
        new(1, "jobs, per-node energy, series, tokens, batches, feedback log, job metrics", """
            CREATE TABLE jobs (
                job_id_raw TEXT PRIMARY KEY,
                job_id TEXT NOT NULL,
                array_job_id TEXT,
                array_task_id INTEGER,
                name TEXT,
                user_name TEXT,
                group_name TEXT,
                account TEXT,
                partition_name TEXT,
                nodes TEXT,
                gpus INTEGER,
                state TEXT,
                exit_code TEXT,
                submit_ms BIGINT,
                start_ms BIGINT,
                end_ms BIGINT,
                elapsed_s BIGINT,
                slurm_energy_j DOUBLE PRECISION,
                tres_usage TEXT,
                comment TEXT,
                cpu_uj BIGINT,
                dram_uj BIGINT,
                gpu_uj BIGINT,
                other_uj BIGINT,
                provenance TEXT,
                coverage DOUBLE PRECISION,
                gpu_util DOUBLE PRECISION,
                idle_gpu_s DOUBLE PRECISION,
                last_gpu_activity_ms BIGINT,
                after_last_activity_uj BIGINT,
                pue DOUBLE PRECISION,
                carbon_intensity DOUBLE PRECISION,
                emissions_g DOUBLE PRECISION
            );
            CREATE INDEX jobs_submit ON jobs (submit_ms);
            CREATE INDEX jobs_user_submit ON jobs (user_name, submit_ms);
            CREATE INDEX jobs_job_id ON jobs (job_id);
            CREATE TABLE job_nodes (
                job_id_raw TEXT NOT NULL,
                node TEXT NOT NULL,
                user_name TEXT,
                start_ms BIGINT,
                end_ms BIGINT,
                cpu_uj BIGINT NOT NULL,
                dram_uj BIGINT NOT NULL,
                gpu_uj BIGINT NOT NULL,
                other_uj BIGINT NOT NULL,
                provenance TEXT NOT NULL,
                coverage DOUBLE PRECISION NOT NULL,
                gpu_seconds DOUBLE PRECISION NOT NULL,
                gpu_busy_seconds DOUBLE PRECISION NOT NULL,
                idle_gpu_s DOUBLE PRECISION NOT NULL,
                last_gpu_activity_ms BIGINT,
                after_last_activity_uj BIGINT NOT NULL,
                final INTEGER NOT NULL,
                as_of_ms BIGINT NOT NULL,
                PRIMARY KEY (job_id_raw, node)
            );
            CREATE TABLE series (
                job_id_raw TEXT NOT NULL,
                node TEXT NOT NULL,
                device TEXT NOT NULL,
                t_ms BIGINT NOT NULL,
                energy_uj BIGINT NOT NULL,
                power_w DOUBLE PRECISION,
                util DOUBLE PRECISION,
                PRIMARY KEY (job_id_raw, node, device, t_ms)
            );
            CREATE INDEX series_time ON series (t_ms);
            CREATE TABLE tokens (
                token_id TEXT PRIMARY KEY,
                hash TEXT NOT NULL UNIQUE,
                role TEXT NOT NULL,
                subject TEXT NOT NULL,
                created_ms BIGINT NOT NULL,
                revoked INTEGER NOT NULL DEFAULT 0
            );
            CREATE TABLE ingest_batches (
                agent TEXT NOT NULL,
                seq BIGINT NOT NULL,
                received_ms BIGINT NOT NULL,
                PRIMARY KEY (agent, seq)
            );
            CREATE TABLE feedback_log (
                feedback_id TEXT PRIMARY KEY,
                user_name TEXT NOT NULL,
                job_id_raw TEXT,
                channel TEXT NOT NULL,
                kind TEXT NOT NULL,
                body TEXT,
                sent_ms BIGINT NOT NULL
            );
            CREATE TABLE job_metrics (
                job_id_raw TEXT NOT NULL,
                name TEXT NOT NULL,
                t_ms BIGINT NOT NULL,
                value DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (job_id_raw, name, t_ms)
            );
            """),

        // A national centre's year is millions of rows: the jobs table is rewritten to cost under 300 bytes a job.
        // Fixed-width columns first (no alignment padding between texts), job_id only where it differs from the raw
        // id (array tasks, heterogeneous jobs), provenance as one letter per component ("mmmn"), the user index on
        // the name alone (PostgreSQL stores each name once with its row list), and a time index on the expression
        // the queries use: BRIN on PostgreSQL, where jobs arrive in time order, a B-tree on SQLite.
        new(2, "compact jobs table: fixed-width columns first, job_id only when it differs, one-letter provenance, user and time indexes", """
            CREATE TABLE jobs_v2 (
                submit_ms BIGINT,
                start_ms BIGINT,
                end_ms BIGINT,
                elapsed_s BIGINT,
                cpu_uj BIGINT,
                dram_uj BIGINT,
                gpu_uj BIGINT,
                other_uj BIGINT,
                slurm_energy_j DOUBLE PRECISION,
                coverage DOUBLE PRECISION,
                gpu_util DOUBLE PRECISION,
                idle_gpu_s DOUBLE PRECISION,
                last_gpu_activity_ms BIGINT,
                after_last_activity_uj BIGINT,
                pue DOUBLE PRECISION,
                carbon_intensity DOUBLE PRECISION,
                emissions_g DOUBLE PRECISION,
                gpus INTEGER,
                array_task_id INTEGER,
                job_id_raw TEXT PRIMARY KEY,
                job_id TEXT,
                array_job_id TEXT,
                name TEXT,
                user_name TEXT,
                group_name TEXT,
                account TEXT,
                partition_name TEXT,
                nodes TEXT,
                state TEXT,
                exit_code TEXT,
                provenance TEXT,
                tres_usage TEXT,
                comment TEXT
            );
            INSERT INTO jobs_v2 (submit_ms, start_ms, end_ms, elapsed_s, cpu_uj, dram_uj, gpu_uj, other_uj, slurm_energy_j, coverage, gpu_util,
                idle_gpu_s, last_gpu_activity_ms, after_last_activity_uj, pue, carbon_intensity, emissions_g, gpus, array_task_id, job_id_raw,
                job_id, array_job_id, name, user_name, group_name, account, partition_name, nodes, state, exit_code, provenance, tres_usage, comment)
            SELECT submit_ms, start_ms, end_ms, elapsed_s, cpu_uj, dram_uj, gpu_uj, other_uj, slurm_energy_j, coverage, gpu_util,
                idle_gpu_s, last_gpu_activity_ms, after_last_activity_uj, pue, carbon_intensity, emissions_g, gpus, array_task_id, job_id_raw,
                CASE WHEN job_id = job_id_raw THEN NULL ELSE job_id END, array_job_id, name, user_name, group_name, account, partition_name,
                nodes, state, exit_code,
                REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(provenance, 'measured', 'm'), 'derived', 'd'), 'estimated', 'e'), 'none', 'n'), ',', ''),
                tres_usage, comment
            FROM jobs;
            DROP TABLE jobs;
            ALTER TABLE jobs_v2 RENAME TO jobs;
            CREATE INDEX jobs_user ON jobs (user_name);
            CREATE INDEX jobs_job_id ON jobs (job_id) WHERE job_id IS NOT NULL
            """,
            SqliteOnly: "CREATE INDEX jobs_time ON jobs ((COALESCE(submit_ms, start_ms)))",
            PostgresOnly: "CREATE INDEX jobs_time ON jobs USING brin ((COALESCE(submit_ms, start_ms)))"),

        // What the behaviours need (issue 13): seff's figures from sacct, the job's fingerprint (a 64-bit hash of its
        // normalised name, submit line and work dir: Core's JobFingerprint), its tags (" k=v k=v ", from the comment) and
        // whether it was interactive; from the agents, the framework the job's processes mapped and its GPUs that
        // stayed unused. Appended columns: NULL costs a bit per row on PostgreSQL and a byte on SQLite.
        new(3, "behaviours: seff figures, fingerprint, tags, interactive, framework, unused GPUs", """
            ALTER TABLE jobs ADD COLUMN total_cpu_s DOUBLE PRECISION;
            ALTER TABLE jobs ADD COLUMN alloc_cpus INTEGER;
            ALTER TABLE jobs ADD COLUMN req_mem_bytes BIGINT;
            ALTER TABLE jobs ADD COLUMN max_rss_bytes BIGINT;
            ALTER TABLE jobs ADD COLUMN timelimit_s BIGINT;
            ALTER TABLE jobs ADD COLUMN fingerprint BIGINT;
            ALTER TABLE jobs ADD COLUMN interactive INTEGER;
            ALTER TABLE jobs ADD COLUMN unused_gpus INTEGER;
            ALTER TABLE jobs ADD COLUMN unused_gpu_uj BIGINT;
            ALTER TABLE jobs ADD COLUMN submit_line TEXT;
            ALTER TABLE jobs ADD COLUMN work_dir TEXT;
            ALTER TABLE jobs ADD COLUMN req_tres TEXT;
            ALTER TABLE jobs ADD COLUMN tres_usage_ave TEXT;
            ALTER TABLE jobs ADD COLUMN tags TEXT;
            ALTER TABLE jobs ADD COLUMN framework TEXT;
            ALTER TABLE job_nodes ADD COLUMN unused_gpus INTEGER;
            ALTER TABLE job_nodes ADD COLUMN unused_gpu_uj BIGINT;
            ALTER TABLE job_nodes ADD COLUMN interactive INTEGER;
            ALTER TABLE job_nodes ADD COLUMN framework TEXT
            """),

        // Issue 17: grid intensity over time, and what produced each job's emissions. A series point is keyed by zone and
        // time (a re-import changes nothing, a better file replaces a figure); a job's figure keeps its method (hourly or
        // yearly; NULL: written at ingest with the yearly figure), zone, basis, share of its energy that met an hourly
        // figure, and whether its energy was placed by its own series or spread uniformly. Written by `coca carbon recompute`.
        new(4, "carbon: intensity series per zone, and each job's carbon method, zone, basis, series coverage and timeline", """
            CREATE TABLE carbon_series (
                zone TEXT NOT NULL,
                t_ms BIGINT NOT NULL,
                g_per_kwh DOUBLE PRECISION NOT NULL,
                basis TEXT NOT NULL,
                PRIMARY KEY (zone, t_ms)
            );
            ALTER TABLE jobs ADD COLUMN series_coverage DOUBLE PRECISION;
            ALTER TABLE jobs ADD COLUMN carbon_method TEXT;
            ALTER TABLE jobs ADD COLUMN carbon_zone TEXT;
            ALTER TABLE jobs ADD COLUMN carbon_basis TEXT;
            ALTER TABLE jobs ADD COLUMN carbon_timeline TEXT
            """),

        // Issue 14: feedback to users and whether they listen. Migration 1's feedback_log gains the period a digest
        // covers, the findings it named, and the experiment and arm of its user; opt-outs and experiments with their
        // arms are tables of their own. The log's index serves throttling (a user's last message of a kind).
        new(5, "feedback: log period, findings, experiment arm; opt-outs; experiments and their arm assignments", """
            ALTER TABLE feedback_log ADD COLUMN period TEXT;
            ALTER TABLE feedback_log ADD COLUMN findings TEXT;
            ALTER TABLE feedback_log ADD COLUMN experiment TEXT;
            ALTER TABLE feedback_log ADD COLUMN arm TEXT;
            CREATE INDEX feedback_log_user ON feedback_log (user_name, kind, sent_ms);
            CREATE TABLE feedback_opt_outs (
                user_name TEXT PRIMARY KEY,
                since_ms BIGINT NOT NULL
            );
            CREATE TABLE experiments (
                name TEXT PRIMARY KEY,
                start_ms BIGINT NOT NULL,
                control_share DOUBLE PRECISION NOT NULL,
                seed BIGINT NOT NULL,
                stratify_by TEXT,
                created_ms BIGINT NOT NULL
            );
            CREATE TABLE experiment_arms (
                experiment TEXT NOT NULL,
                user_name TEXT NOT NULL,
                arm TEXT NOT NULL,
                stratum INTEGER NOT NULL,
                prior_kwh DOUBLE PRECISION,
                PRIMARY KEY (experiment, user_name)
            )
            """),

        // Issue 15: the dashboard's sign-in. A one-time login link (kind 'login') is redeemed once for a browser session
        // (kind 'session'); only the SHA-256 of either secret is stored, with its role, user, expiry and, for a
        // session, the token its forms carry against cross-site requests. Expired rows are deleted as logins are issued.
        // The dashboard's pages read one user's recent jobs (the last 30 days, the newest 50): an index on the user and
        // the job's time (spelt as JobQueries.JobTime) reads those rows alone instead of the user's whole history.
        new(6, "dashboard: one-time login links and browser sessions", """
            CREATE TABLE web_sessions (
                hash TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                role TEXT NOT NULL,
                subject TEXT NOT NULL,
                csrf TEXT,
                expires_ms BIGINT NOT NULL,
                used INTEGER NOT NULL
            );
            CREATE INDEX web_sessions_expires ON web_sessions (expires_ms);
            CREATE INDEX jobs_user_time ON jobs (user_name, (COALESCE(submit_ms, start_ms)))
            """),

        // Issue 18: what a job achieved, beside what it cost. Step 1's job_metrics was keyed by time, which an export
        // may lack (MLflow's and W&B's have steps): nothing wrote it, so it is replaced by one keyed by step, with the
        // time kept when known. A re-import of one file writes the same points; a different value replaces the figure.
        new(7, "job metrics keyed by job, name and step, time when known", """
            DROP TABLE job_metrics;
            CREATE TABLE job_metrics (
                job_id_raw TEXT NOT NULL,
                name TEXT NOT NULL,
                step BIGINT NOT NULL,
                t_ms BIGINT,
                value DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (job_id_raw, name, step)
            )
            """),

        // Issue 16: how a job's other (what only a node meter sees) was charged — the rule, the meter or calibration
        // model it came from and the model's mean error — per node as the agent said and per job as the nodes agree
        // (NULL without a meter or model: nothing to say); and the node meters' energy beside the components' over the
        // ticks each meter covered, per node and hour (12 nodes × 8,760 hours a year), with each node's last cumulative
        // report, from which the next report's step is taken. `coca findings` sums the hours for the gap to the wall.
        new(8, "node meters: how other was charged, per job and node; meter and component energy per node and hour", """
            ALTER TABLE job_nodes ADD COLUMN other_rule TEXT;
            ALTER TABLE job_nodes ADD COLUMN other_source TEXT;
            ALTER TABLE job_nodes ADD COLUMN other_mape_pct DOUBLE PRECISION;
            ALTER TABLE jobs ADD COLUMN other_rule TEXT;
            ALTER TABLE jobs ADD COLUMN other_source TEXT;
            ALTER TABLE jobs ADD COLUMN other_mape_pct DOUBLE PRECISION;
            CREATE TABLE node_meter_totals (
                node TEXT PRIMARY KEY,
                device TEXT NOT NULL,
                meter_uj BIGINT NOT NULL,
                components_uj BIGINT NOT NULL,
                as_of_ms BIGINT NOT NULL
            );
            CREATE TABLE node_meter_hours (
                node TEXT NOT NULL,
                hour_ms BIGINT NOT NULL,
                meter_uj BIGINT NOT NULL,
                components_uj BIGINT NOT NULL,
                PRIMARY KEY (node, hour_ms)
            )
            """),
    ];
}
