using Microsoft.Data.Sqlite;

namespace Coca.Storage;

/// <summary>
/// One <c>coca run</c> or <c>coca track</c> as the local history keeps it: the figures a listing needs in columns,
/// and the whole result (metrics included) as its JSON, which is a public contract of its own.
/// </summary>
/// <param name="Pid">The process <c>coca track</c> measured; null for <c>coca run</c>.</param>
/// <param name="ExitCode">Null where the process was not coca's child (<c>coca track</c>).</param>
public sealed record RunRecord(
    string RunId,
    string Project,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    string? Command,
    int? Pid,
    double CpuJ,
    double DramJ,
    double GpuJ,
    double OtherJ,
    double EmissionsG,
    int? ExitCode,
    string ResultJson);

/// <summary>
/// The local run history: one SQLite file of the user's own (<c>runs.db</c>), one table, made when first written.
/// Apart from the jobs store and its migrations: a laptop's history of runs is no site's store. A later column is
/// added here with <c>ALTER TABLE … ADD COLUMN</c> when absent, never by rewriting the table.
/// </summary>
public sealed class RunHistory : IDisposable
{
    private const string CreateTable = """
        CREATE TABLE IF NOT EXISTS run_history (
            run_id TEXT PRIMARY KEY,
            project TEXT NOT NULL,
            started_ms INTEGER NOT NULL,
            ended_ms INTEGER NOT NULL,
            command TEXT,
            pid INTEGER,
            cpu_j REAL NOT NULL,
            dram_j REAL NOT NULL,
            gpu_j REAL NOT NULL,
            other_j REAL NOT NULL,
            emissions_g REAL NOT NULL,
            exit_code INTEGER,
            result_json TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS run_history_project_started ON run_history (project, started_ms);
        """;

    private readonly SqliteConnection _connection;

    private RunHistory(SqliteConnection connection) => _connection = connection;

    /// <summary>Where the history lives: <c>$XDG_DATA_HOME/coca4ai/runs.db</c>, else <c>~/.local/share/coca4ai/runs.db</c>.</summary>
    public static string DefaultPath(string? xdgDataHome, string home) =>
        Path.Combine(string.IsNullOrEmpty(xdgDataHome) ? Path.Combine(home, ".local", "share") : xdgDataHome, "coca4ai", "runs.db");

    /// <summary>The history at <paramref name="path"/>, its folder and table made when <paramref name="create"/>; null when there is none yet.</summary>
    /// <exception cref="SqliteException">The file cannot be opened or written.</exception>
    /// <exception cref="IOException">The folder cannot be made.</exception>
    public static RunHistory? Open(string path, bool create)
    {
        if (!create && !File.Exists(path)) return null;
        if (create) Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            DefaultTimeout = 30,
            // One command, one connection: a pooled handle would keep the file open after Dispose.
            Pooling = false,
            Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadOnly,
        }.ToString());
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            // Two runs ending together (a script's loop, parallel jobs) wait for each other instead of failing.
            command.CommandText = "PRAGMA busy_timeout=30000;" + (create ? CreateTable : "");
            command.ExecuteNonQuery();
            return new RunHistory(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Keeps one run; the same run id again replaces it (a binding that reports twice keeps one row).</summary>
    public void Add(RunRecord run)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = """
            INSERT OR REPLACE INTO run_history (run_id, project, started_ms, ended_ms, command, pid, cpu_j, dram_j, gpu_j, other_j, emissions_g, exit_code, result_json)
            VALUES (@id, @project, @started, @ended, @command, @pid, @cpu, @dram, @gpu, @other, @emissions, @exit, @json)
            """;
        command.Parameters.AddWithValue("@id", run.RunId);
        command.Parameters.AddWithValue("@project", run.Project);
        command.Parameters.AddWithValue("@started", run.StartedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("@ended", run.EndedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("@command", (object?)run.Command ?? DBNull.Value);
        command.Parameters.AddWithValue("@pid", (object?)run.Pid ?? DBNull.Value);
        command.Parameters.AddWithValue("@cpu", run.CpuJ);
        command.Parameters.AddWithValue("@dram", run.DramJ);
        command.Parameters.AddWithValue("@gpu", run.GpuJ);
        command.Parameters.AddWithValue("@other", run.OtherJ);
        command.Parameters.AddWithValue("@emissions", run.EmissionsG);
        command.Parameters.AddWithValue("@exit", (object?)run.ExitCode ?? DBNull.Value);
        command.Parameters.AddWithValue("@json", run.ResultJson);
        command.ExecuteNonQuery();
    }

    /// <summary>The newest runs first, of one project when <paramref name="project"/> is given, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<RunRecord> List(string? project, int limit)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = """
            SELECT run_id, project, started_ms, ended_ms, command, pid, cpu_j, dram_j, gpu_j, other_j, emissions_g, exit_code, result_json
            FROM run_history WHERE @project IS NULL OR project = @project
            ORDER BY started_ms DESC, run_id DESC LIMIT @limit
            """;
        command.Parameters.AddWithValue("@project", (object?)project ?? DBNull.Value);
        command.Parameters.AddWithValue("@limit", limit);
        using var reader = command.ExecuteReader();
        var runs = new List<RunRecord>();
        while (reader.Read())
        {
            runs.Add(new RunRecord(
                reader.GetString(0), reader.GetString(1),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetInt32(5),
                reader.GetDouble(6), reader.GetDouble(7), reader.GetDouble(8), reader.GetDouble(9), reader.GetDouble(10),
                reader.IsDBNull(11) ? null : reader.GetInt32(11), reader.GetString(12)));
        }
        return runs;
    }

    public void Dispose() => _connection.Dispose();
}
