using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Coca.Storage.Sql;

/// <summary>
/// One prepared SQLite statement run many times with positional values, straight on the connection's handle.
/// Microsoft.Data.Sqlite binds every parameter by name at every execution, which costs more than the insert
/// itself on a million-row load; this binds by index. Runs inside the connection's open transaction.
/// </summary>
internal sealed class SqliteBulkInsert : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public SqliteBulkInsert(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the SQLite connection is not open");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    /// <summary>Binds the values to ?1, ?2, … in order, runs the statement and returns the rows it changed.</summary>
    public int Run(ReadOnlySpan<object?> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var index = i + 1;
            Check(values[i] switch
            {
                null => raw.sqlite3_bind_null(_statement, index),
                string text => raw.sqlite3_bind_text(_statement, index, text),
                int n => raw.sqlite3_bind_int64(_statement, index, n),
                long l => raw.sqlite3_bind_int64(_statement, index, l),
                double d => raw.sqlite3_bind_double(_statement, index, d),
                var other => throw new InvalidOperationException($"cannot bind a {other.GetType().Name}"),
            });
        }
        var step = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (step != raw.SQLITE_DONE) Check(step);
        return raw.sqlite3_changes(_db);
    }

    private void Check(int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW)) throw new SqliteException($"SQLite: {raw.sqlite3_errmsg(_db).utf8_to_string()}", rc);
    }

    public void Dispose() => _statement.Dispose();
}
