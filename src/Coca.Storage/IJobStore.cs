using Coca.Core.Ingest;
using Coca.Core.Accounting;
using Coca.Core.Carbon;

namespace Coca.Storage;

/// <summary>
/// The durable store of jobs, their energy and series, API tokens and ingested batches; SQLite embedded,
/// PostgreSQL for multi-node sites, same schema and behaviour. Every write is idempotent: the same
/// job or batch arriving twice changes nothing.
/// </summary>
public interface IJobStore : IDisposable
{
    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    string Kind { get; }

    /// <summary>
    /// Applies the versioned migrations not yet applied; returns how many ran. Writers call it before writing; a store
    /// already current is not written to, so a read-only user may call it too. Readers never need it
    /// (<see cref="JobStores.OpenForReading"/> checks the schema instead).
    /// </summary>
    int Migrate();

    /// <summary>Jobs from Slurm's accounting: inserts new ones, updates Slurm's fields of known ones, never touches measured energy.</summary>
    UpsertResult UpsertAccounting(IReadOnlyList<AccountingJob> jobs);

    /// <summary>
    /// Agents' per-node figures; the job's totals become the sum over its nodes. Never touches Slurm's fields. A
    /// figure for a job that did not run on its node, or that would change the job's owner, is refused (counted in
    /// <see cref="UpsertResult.Refused"/>).
    /// </summary>
    UpsertResult UpsertMeasurements(IReadOnlyList<JobMeasurement> measurements);

    /// <summary>
    /// An agent's batch as the server receives it: every figure is written as <paramref name="node"/>'s (the node of
    /// the agent's token, never one named in the payload), for jobs that ran on it, without changing a job's owner.
    /// A refused job's figures and series points are not written; the others are.
    /// </summary>
    IngestOutcome Ingest(string node, IReadOnlyList<JobMeasurement> measurements, IReadOnlyList<SeriesPoint> series);

    /// <summary>
    /// A node meter's cumulative account from <paramref name="node"/>'s agent (its batch's <see cref="IngestBatch.NodeMeter"/>):
    /// the step since the node's last report is kept in the hour of this one. An older report than the last changes nothing.
    /// </summary>
    void RecordNodeMeter(string node, NodeMeterTotals report);

    /// <summary>Per node, the hours the node meters covered in the period and their energy beside the components' (J).</summary>
    IReadOnlyList<Coca.Core.Analysis.NodeMeterSum> NodeMeterSums(DateTimeOffset? since, DateTimeOffset? until);

    void UpsertSeries(IReadOnlyList<SeriesPoint> points);

    /// <summary>
    /// Loads many finished jobs at once — Slurm's fields with their measured energy — as an archive import or a
    /// benchmark year does: idempotent like the other writes, but in large transactions (COPY on PostgreSQL).
    /// Returns the rows written.
    /// </summary>
    long BulkLoad(IEnumerable<(AccountingJob Job, long[]? EnergyUj)> jobs);

    /// <summary>Bytes on disk: the jobs table with its indexes (PostgreSQL), the database file (SQLite).</summary>
    long JobsBytes();

    /// <summary>Records an agent's batch; false when it was already recorded (a replay), in which case nothing else must be written.</summary>
    bool TryRecordBatch(string agent, long sequence, Action write);

    IReadOnlyList<JobRow> Jobs(JobQuery query);

    /// <summary>The totals of the jobs the query selects (its limit aside), by month and by state, summed in the database.</summary>
    JobSummary Summary(JobQuery query);

    /// <summary>
    /// The jobs the query selects (user, account, since, until; its limit and state aside), as the behaviours read them:
    /// streamed in time order (submitted, else started), then those with no time when the query has no time bounds.
    /// </summary>
    IEnumerable<Coca.Core.Analysis.AnalysisJob> AnalysisJobs(JobQuery query);

    /// <summary>
    /// The totals of the selected jobs (limit, order and offset aside) per day, partition or account, summed in the
    /// database; a job without the grouped field counts under <c>unknown</c>. Days in order, the others most energy first.
    /// </summary>
    IReadOnlyList<SummaryGroup> Breakdown(JobQuery query, JobGrouping by);

    /// <summary>By raw id or as users know it (<c>123_4</c>).</summary>
    JobRow? Job(string id);

    IReadOnlyList<SeriesPoint> Series(string jobIdRaw);

    IReadOnlyList<UserTotals> Users(DateTimeOffset? since);

    /// <summary>Removes series points older than the given time; returns how many.</summary>
    int PruneSeries(DateTimeOffset olderThan);

    /// <summary>Creates a token for a role and subject (node or user name); returns the secret, shown once.</summary>
    string IssueToken(string role, string subject);

    /// <summary>The token's owner, or null when unknown or revoked.</summary>
    TokenInfo? Authenticate(string secret);

    bool RevokeToken(string tokenId);

    /// <summary>A one-time login link's secret for a user, an admin or an account's manager (<see cref="ManagerRole"/>), valid for <paramref name="ttl"/>; only its hash is stored.</summary>
    string IssueLogin(string role, string subject, TimeSpan ttl);

    /// <summary>Redeems a login link once for a new browser session of <paramref name="sessionTtl"/>; null when unknown, used or expired.</summary>
    WebSession? RedeemLogin(string loginSecret, TimeSpan sessionTtl);

    /// <summary>The live session a cookie's secret names; null when unknown, ended or expired.</summary>
    WebSession? WebSession(string sessionSecret);

    /// <summary>Signs a session out; false when there was none.</summary>
    bool EndWebSession(string sessionSecret);

    IReadOnlyList<TokenInfo> Tokens();

    /// <summary>Grid intensity figures into the zone's series, idempotently: a figure already there is unchanged, a different one replaces it.</summary>
    SeriesImportResult ImportIntensity(IReadOnlyList<IntensityRow> rows);

    /// <summary>A zone's stored series (empty when none was imported).</summary>
    StoredIntensity Intensity(string zone);

    /// <summary>
    /// Applies the inputs to every stored job with energy (submitted or started since <paramref name="since"/>): its
    /// emissions, method, zone, basis and series coverage; writes only what changed. <paramref name="progress"/> hears
    /// the jobs done so far after each chunk.
    /// </summary>
    RecomputeResult RecomputeEmissions(RecomputeInputs inputs, DateTimeOffset? since, Action<long>? progress = null);

    /// <summary>How a job's emissions were produced, by raw id; null when the job is unknown.</summary>
    JobCarbonMethod? CarbonMethod(string jobIdRaw);

    /// <summary>Jobs' metrics (an export's <c>job_id,name,value,step,time</c>), idempotently: a point already there is unchanged, a different value replaces it.</summary>
    MetricImportResult ImportMetrics(IReadOnlyList<Coca.Core.Metrics.JobMetric> metrics);

    /// <summary>One metric's points of the given jobs (raw ids), in step order.</summary>
    IReadOnlyList<Coca.Core.Metrics.JobMetric> Metrics(IReadOnlyCollection<string> jobIdsRaw, string name);

    /// <summary>
    /// Every metric of the given jobs, by the id users know (<c>123_4</c>), whether it was filed under that id or the raw
    /// one (agents file under the raw id, exports under either); by job, name and step.
    /// </summary>
    IReadOnlyList<Coca.Core.Metrics.JobMetric> MetricsOfJobs(IReadOnlyCollection<string> jobIds);

    /// <summary>
    /// The ids under which <see cref="MetricsOfJobs"/> can find any metric: the ids metrics are filed under, and the id
    /// users know of each job filed under its raw id. A job outside it has none, without a query.
    /// </summary>
    IReadOnlySet<string> JobsWithMetrics();
    /// <summary>The feedback log, opt-outs and experiments (issue 14).</summary>
    IFeedbackStore Feedback { get; }
}
