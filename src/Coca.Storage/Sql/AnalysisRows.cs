using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Coca.Storage.Sql;

/// <summary>
/// The current row of a streamed query, column by index, without boxing (the query never returns NULL: see
/// <see cref="AnalysisQueries"/>): what <see cref="AnalysisQueries"/> reads a
/// year of jobs through. <see cref="Repeated"/> is for the few texts that repeat across millions of rows (user, state,
/// partition): one string per distinct value instead of one per row.
/// </summary>
internal interface IAnalysisRow
{
    long Long(int i);
    double Double(int i);
    string Text(int i);
    string Repeated(int i);

    /// <summary>A text read in place into <paramref name="buffer"/> where it fits (no string made), else as a string.</summary>
    ReadOnlySpan<char> Chars(int i, Span<char> buffer);
}

/// <summary>
/// SQLite straight on the connection's handle (as <see cref="SqliteBulkInsert"/> writes): Microsoft.Data.Sqlite's reader
/// costs about twice the query itself per column, which at millions of rows was most of <c>coca behaviours</c>.
/// </summary>
internal sealed class SqliteAnalysisRows : IAnalysisRow, IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3? _own;
    private readonly sqlite3_stmt _statement;
    private readonly Utf8StringPool _pool = new(100_000);
    private readonly IntPtr _native;

    public SqliteAnalysisRows(SqliteConnection connection, string sql, IReadOnlyList<(string Name, object? Value)> args)
    {
        _own = OpenWithoutMutex(connection);
        _db = _own ?? connection.Handle ?? throw new InvalidOperationException("the SQLite connection is not open");
        // Read through a memory map (SQLite caps it, 2 GB by default): walking the time index fetches each row by rowid,
        // and copying every page out of the file cache was half the native cost of a year's scan.
        Check(raw.sqlite3_exec(_db, "PRAGMA mmap_size = 4294967296"));
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
        _native = SqliteColumns.Available() ? _statement.DangerousGetHandle() : IntPtr.Zero;
        Bind(args);
    }

    /// <summary>Whether each statement here reads on a connection of its own (a database file), so that two may run at once.</summary>
    public static bool HasOwnConnections(SqliteConnection connection) =>
        connection.DataSource is { Length: > 0 } path && path != ":memory:" && File.Exists(path);

    // A connection of its own, read-only and without SQLite's connection mutex: Microsoft.Data.Sqlite opens connections
    // serialized, so every column getter took and released a mutex, 14 % of a year's read. This one is used by one
    // thread (the reader of ReadAhead) for one statement. A database in memory, or one that will not open so, is read
    // on the store's connection as before.
    private static sqlite3? OpenWithoutMutex(SqliteConnection connection)
    {
        if (!HasOwnConnections(connection)) return null;
        var path = connection.DataSource;
        if (raw.sqlite3_open_v2(path, out var db, raw.SQLITE_OPEN_READONLY | raw.SQLITE_OPEN_NOMUTEX, null) != raw.SQLITE_OK)
        {
            db.Dispose();
            return null;
        }
        raw.sqlite3_busy_timeout(db, 30_000);
        return db;
    }

    private void Bind(IReadOnlyList<(string Name, object? Value)> args)
    {
        foreach (var (name, value) in args)
        {
            var index = raw.sqlite3_bind_parameter_index(_statement, "@" + name);
            if (index == 0) continue;
            Check(value switch
            {
                null => raw.sqlite3_bind_null(_statement, index),
                string text => raw.sqlite3_bind_text(_statement, index, text),
                long l => raw.sqlite3_bind_int64(_statement, index, l),
                int n => raw.sqlite3_bind_int64(_statement, index, n),
                var other => throw new InvalidOperationException($"cannot bind a {other.GetType().Name}"),
            });
        }
    }

    public bool Next()
    {
        var step = raw.sqlite3_step(_statement);
        if (step == raw.SQLITE_ROW) return true;
        if (step != raw.SQLITE_DONE) Check(step);
        return false;
    }

    // The statement outlives every call below (disposed with this object), so its raw pointer stays valid.
    public long Long(int i) => _native != IntPtr.Zero ? SqliteColumns.sqlite3_column_int64(_native, i) : raw.sqlite3_column_int64(_statement, i);
    public double Double(int i) => _native != IntPtr.Zero ? SqliteColumns.sqlite3_column_double(_native, i) : raw.sqlite3_column_double(_statement, i);
    public string Text(int i) => _native != IntPtr.Zero ? SqliteColumns.Text(_native, i) : raw.sqlite3_column_text(_statement, i).utf8_to_string();

    public ReadOnlySpan<char> Chars(int i, Span<char> buffer)
    {
        var bytes = _native != IntPtr.Zero ? SqliteColumns.Bytes(_native, i) : raw.sqlite3_column_blob(_statement, i);
        return bytes.Length <= buffer.Length ? buffer[..Encoding.UTF8.GetChars(bytes, buffer)] : Text(i);
    }

    public string Repeated(int i)
    {
        var bytes = _native != IntPtr.Zero ? SqliteColumns.Bytes(_native, i) : raw.sqlite3_column_blob(_statement, i);
        return bytes.Length > 256 ? Text(i) : _pool.Get(bytes);
    }

    private void Check(int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW)) throw new SqliteException($"SQLite: {raw.sqlite3_errmsg(_db).utf8_to_string()}", rc);
    }

    public void Dispose()
    {
        _statement.Dispose();
        _own?.Dispose();
    }
}

/// <summary>Any other store's reader (PostgreSQL's binary rows already decode without boxing).</summary>
internal sealed class ReaderAnalysisRow(DbDataReader reader) : IAnalysisRow
{
    public long Long(int i) => reader.GetInt64(i);
    public double Double(int i) => reader.GetDouble(i);
    public string Text(int i) => reader.GetString(i);
    public string Repeated(int i) => reader.GetString(i);
    public ReadOnlySpan<char> Chars(int i, Span<char> buffer) => reader.GetString(i);
}
