using System.Data.Common;
using Coca.Core.Accounting;
using Coca.Core.Carbon;
using Coca.Core.Ingest;

namespace Coca.Storage.Sql;

/// <summary>
/// <see cref="IJobStore"/> in plain SQL over ADO.NET, for SQLite and PostgreSQL alike: one <see cref="SqlSession"/>
/// shared by a part per concern (schema, accounting, bulk load, measurements, series, tokens and batches, queries),
/// so that writes of different parts can share a transaction. One instance holds one connection: open one per
/// thread or request (connections are pooled).
/// </summary>
public sealed class SqlJobStore : IJobStore
{
    private readonly SqlSession _sql;
    private readonly SchemaMigrator _schema;
    private readonly AccountingWriter _accounting;
    private readonly BulkJobLoader _bulk;
    private readonly MeasurementWriter _measurements;
    private readonly SeriesTable _series;
    private readonly TokensAndBatches _tokens;
    private readonly JobQueries _queries;
    private readonly JobOwnership _ownership;
    private readonly AnalysisQueries _analysis;
    private readonly CarbonSeriesTable _carbonSeries;
    private readonly EmissionsRecompute _recompute;
    private readonly JobMetricsTable _metrics;
    private readonly WebSessions _web;
    private readonly FeedbackTables _feedback;
    private readonly NodeMeterTable _nodeMeters;

    public SqlJobStore(DbConnection connection, SqlDialect dialect, CarbonInputs carbon)
    {
        _sql = new SqlSession(connection, dialect);
        _schema = new SchemaMigrator(_sql);
        _accounting = new AccountingWriter(_sql);
        _bulk = new BulkJobLoader(_sql, carbon);
        _measurements = new MeasurementWriter(_sql, carbon);
        _series = new SeriesTable(_sql);
        _tokens = new TokensAndBatches(_sql);
        _queries = new JobQueries(_sql);
        _ownership = new JobOwnership(_sql);
        _analysis = new AnalysisQueries(_sql);
        _carbonSeries = new CarbonSeriesTable(_sql);
        _recompute = new EmissionsRecompute(_sql);
        _metrics = new JobMetricsTable(_sql);
        _web = new WebSessions(_sql);
        _feedback = new FeedbackTables(_sql);
        _nodeMeters = new NodeMeterTable(_sql);
    }

    public string Kind => _sql.Dialect.Kind;

    /// <summary>For tests: the session, to read columns that no query returns.</summary>
    internal SqlSession Session => _sql;

    public int Migrate() => _schema.Migrate();

    /// <summary>Applies the steps up to a version: tests build an older schema this way to check the next step's rewrite.</summary>
    internal int Migrate(int upTo) => _schema.Migrate(upTo);

    /// <summary>What a reader checks on open: throws <see cref="StoreSchemaException"/> when the schema is absent or older than the code.</summary>
    internal void RequireCurrentSchema() => _schema.RequireCurrent();

    /// <summary>Raw SQL on the store's session, for tests that build rows as an older schema held them.</summary>
    internal int Execute(string sql, params (string, object?)[] args) => _sql.Execute(sql, args);

    public UpsertResult UpsertAccounting(IReadOnlyList<AccountingJob> jobs)
    {
        var result = _accounting.Upsert(jobs);
        // Rows a node wrote before accounting named the job's nodes stop counting once they are known to be foreign.
        foreach (var job in _ownership.JobsWithForeignRows(jobs.Where(j => j.Nodes is not null).Select(j => j.JobIdRaw).ToList())) _measurements.RefreshJobTotals(job);
        return result;
    }

    public UpsertResult UpsertMeasurements(IReadOnlyList<JobMeasurement> measurements) => _measurements.Upsert(measurements, []);

    public IngestOutcome Ingest(string node, IReadOnlyList<JobMeasurement> measurements, IReadOnlyList<SeriesPoint> series)
    {
        var refused = new List<IngestRefusal>();
        UpsertResult jobs = new(0, 0, 0);
        var kept = new List<SeriesPoint>();
        _sql.InTransaction(() =>
        {
            jobs = _measurements.Upsert(measurements, refused, node);
            kept = _ownership.Admitted(node, series, refused);
            _series.Upsert(kept);
        });
        return new IngestOutcome(jobs, kept.Count, refused);
    }

    public void UpsertSeries(IReadOnlyList<SeriesPoint> points) => _series.Upsert(points);

    public void RecordNodeMeter(string node, NodeMeterTotals report) => _nodeMeters.Record(node, report);

    public IReadOnlyList<Coca.Core.Analysis.NodeMeterSum> NodeMeterSums(DateTimeOffset? since, DateTimeOffset? until) => _nodeMeters.Sums(since, until);

    public long BulkLoad(IEnumerable<(AccountingJob Job, long[]? EnergyUj)> jobs) => _bulk.Load(jobs);

    public long JobsBytes() => _bulk.JobsBytes();

    public bool TryRecordBatch(string agent, long sequence, Action write) => _tokens.TryRecordBatch(agent, sequence, write);

    public IReadOnlyList<JobRow> Jobs(JobQuery query) => _queries.Jobs(query);

    public JobSummary Summary(JobQuery query) => _queries.Summary(query);

    public IReadOnlyList<SummaryGroup> Breakdown(JobQuery query, JobGrouping by) => _queries.Breakdown(query, by);

    public JobRow? Job(string id) => _queries.Job(id);

    public IEnumerable<Coca.Core.Analysis.AnalysisJob> AnalysisJobs(JobQuery query) => _analysis.Jobs(query);

    public IReadOnlyList<SeriesPoint> Series(string jobIdRaw) => _series.Of(jobIdRaw);

    public IReadOnlyList<UserTotals> Users(DateTimeOffset? since) => _queries.Users(since);

    public int PruneSeries(DateTimeOffset olderThan) => _series.Prune(olderThan);

    public string IssueToken(string role, string subject) => _tokens.IssueToken(role, subject);

    public TokenInfo? Authenticate(string secret) => _tokens.Authenticate(secret);

    public bool RevokeToken(string tokenId) => _tokens.RevokeToken(tokenId);

    public IReadOnlyList<TokenInfo> Tokens() => _tokens.Tokens();

    public string IssueLogin(string role, string subject, TimeSpan ttl) => _web.IssueLogin(role, subject, ttl);

    public WebSession? RedeemLogin(string loginSecret, TimeSpan sessionTtl) => _web.Redeem(loginSecret, sessionTtl);

    public WebSession? WebSession(string sessionSecret) => _web.Find(sessionSecret);

    public bool EndWebSession(string sessionSecret) => _web.End(sessionSecret);

    public SeriesImportResult ImportIntensity(IReadOnlyList<IntensityRow> rows) => _carbonSeries.Import(rows);

    public StoredIntensity Intensity(string zone) => _carbonSeries.Of(zone);

    public RecomputeResult RecomputeEmissions(RecomputeInputs inputs, DateTimeOffset? since, Action<long>? progress = null) => _recompute.Run(inputs, since, progress);

    public JobCarbonMethod? CarbonMethod(string jobIdRaw) => _recompute.MethodOf(jobIdRaw);

    public MetricImportResult ImportMetrics(IReadOnlyList<Coca.Core.Metrics.JobMetric> metrics) => _metrics.Import(metrics);

    public IReadOnlyList<Coca.Core.Metrics.JobMetric> Metrics(IReadOnlyCollection<string> jobIdsRaw, string name) => _metrics.Of(jobIdsRaw, name);

    public IReadOnlyList<Coca.Core.Metrics.JobMetric> MetricsOfJobs(IReadOnlyCollection<string> jobIds) => _metrics.OfJobs(jobIds);
    public IReadOnlySet<string> JobsWithMetrics() => _metrics.JobsWithMetrics();

    public IFeedbackStore Feedback => _feedback;

    public void Dispose() => _sql.Dispose();
}
