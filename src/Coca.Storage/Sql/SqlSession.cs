using System.Data;
using System.Data.Common;
using System.Globalization;

namespace Coca.Storage.Sql;

/// <summary>
/// One connection and its open transaction, shared by the parts of the store (accounting, measurements, series,
/// tokens and batches, queries): every part writes through the same transaction, so that an ingest batch and
/// the figures it carries commit together or not at all. Not thread-safe, like the connection it holds.
/// </summary>
internal sealed class SqlSession(DbConnection connection, SqlDialect dialect) : IDisposable
{
    private DbTransaction? _transaction;

    public DbConnection Connection => connection;

    public SqlDialect Dialect => dialect;

    /// <summary>Runs the work in a transaction, or inside the one already open (a batch wraps its writes so).</summary>
    public void InTransaction(Action work)
    {
        if (_transaction is not null)
        {
            work();
            return;
        }
        _transaction = connection.BeginTransaction(IsolationLevel.ReadCommitted);
        try
        {
            work();
            _transaction.Commit();
        }
        catch
        {
            _transaction.Rollback();
            throw;
        }
        finally
        {
            _transaction.Dispose();
            _transaction = null;
        }
    }

    public DbCommand Command(string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = _transaction;
        return command;
    }

    /// <summary>Sets the named parameters, creating them on a command's first use: a prepared insert is bound again per row.</summary>
    public static void Bind(DbCommand command, params (string Name, object? Value)[] args)
    {
        foreach (var (name, value) in args)
        {
            DbParameter p;
            if (command.Parameters.Contains(name))
            {
                p = command.Parameters[name];
            }
            else
            {
                p = command.CreateParameter();
                p.ParameterName = name;
                command.Parameters.Add(p);
            }
            p.Value = value ?? DBNull.Value;
        }
    }

    public int Execute(string sql, params (string, object?)[] args)
    {
        using var command = Command(sql);
        Bind(command, args);
        return command.ExecuteNonQuery();
    }

    public object? Scalar(string sql, params (string, object?)[] args)
    {
        using var command = Command(sql);
        Bind(command, args);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    /// <summary>The rows of a query, the reader positioned on each; the command and reader are disposed when the enumeration ends.</summary>
    public IEnumerable<DbDataReader> Rows(string sql, params (string, object?)[] args)
    {
        using var command = Command(sql);
        Bind(command, args);
        using var reader = command.ExecuteReader(CommandBehavior.Default);
        while (reader.Read()) yield return reader;
    }

    /// <summary>Which of these job ids the table already holds: an upsert counts new rows apart from updated ones.</summary>
    public HashSet<string> Existing(List<string> ids, string table = "jobs")
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        if (ids.Count == 0) return found;
        var names = ids.Select((_, i) => "@i" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        foreach (var reader in Rows($"SELECT DISTINCT job_id_raw FROM {table} WHERE job_id_raw IN ({string.Join(", ", names)})", [.. ids.Select((id, i) => ("i" + i.ToString(CultureInfo.InvariantCulture), (object?)id))]))
        {
            found.Add(reader.GetString(0));
        }
        return found;
    }

    public void Dispose()
    {
        _transaction?.Dispose();
        connection.Dispose();
    }
}
