using Coca.Core.Carbon;
using Coca.Storage.Sql;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Coca.Storage;

/// <summary>
/// Opens the store named by a location: <c>sqlite:PATH</c> (or a bare path) for the embedded default,
/// <c>postgres://user:password@host:port/database</c> (or <c>postgresql://</c>) for PostgreSQL.
/// </summary>
public static class JobStores
{
    /// <summary>The embedded default: /var/lib/coca/coca.db as root, ~/.local/share/coca/coca.db otherwise.</summary>
    public static string DefaultLocation()
    {
        if (Environment.UserName == "root") return "sqlite:/var/lib/coca/coca.db";
        var data = Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return "sqlite:" + Path.Combine(data, "coca", "coca.db");
    }

    /// <summary>
    /// Opens the store to write to it (creating an SQLite file and its folder if need be). Does not migrate: writers
    /// call <see cref="IJobStore.Migrate"/> first, the server once at start.
    /// </summary>
    public static IJobStore Open(string location, CarbonInputs? carbon = null) => Connect(location, carbon, readOnly: false);

    /// <summary>
    /// Opens the store to query it, without changing anything: SQLite read-only, no migration, so that a user who may
    /// only read (a 0444 file, a PostgreSQL role with SELECT alone) can query a store that is up to date. Throws
    /// <see cref="StoreSchemaException"/> when there is no store yet or its schema is older than the code.
    /// </summary>
    public static IJobStore OpenForReading(string location, CarbonInputs? carbon = null)
    {
        var store = (SqlJobStore)Connect(location, carbon, readOnly: true);
        try
        {
            store.RequireCurrentSchema();
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    private static IJobStore Connect(string location, CarbonInputs? carbon, bool readOnly)
    {
        carbon ??= CarbonInputs.Resolve(null, null, 1.0);
        if (location.StartsWith("postgres://", StringComparison.Ordinal) || location.StartsWith("postgresql://", StringComparison.Ordinal))
        {
            var connection = new NpgsqlConnection(PostgresConnectionString(location));
            connection.Open();
            return new SqlJobStore(connection, SqlDialect.Postgres, carbon);
        }
        var path = SqlitePath(location);
        if (readOnly && !File.Exists(path))
        {
            throw new StoreSchemaException("there is no store there yet: import jobs (`coca slurm import-sacct`, `coca slurm sync`) or run `coca store migrate`");
        }
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!readOnly && !Directory.Exists(folder))
        {
            // Only the default location's folder is made: a mistyped --db must not leave an empty store somewhere.
            if (location != DefaultLocation()) throw new ArgumentException($"--db: the folder {folder} does not exist (create it, or fix the path)");
            Directory.CreateDirectory(folder);
        }
        var sqlite = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            DefaultTimeout = 30,
            Pooling = true,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
        }.ToString());
        sqlite.Open();
        using (var pragma = sqlite.CreateCommand())
        {
            // WAL is a property of the file, set by the first writer; a reader only waits for locks.
            pragma.CommandText = readOnly ? "PRAGMA busy_timeout=30000;" : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";
            pragma.ExecuteNonQuery();
        }
        return new SqlJobStore(sqlite, SqlDialect.Sqlite, carbon);
    }

    /// <summary>
    /// The SQLite file a location names: <c>sqlite:PATH</c> or a bare path. Anything else that is not PostgreSQL's URL
    /// (<c>mysql://…</c>, <c>redis:…</c>, a connection string <c>Host=…;Password=…</c>) is refused with a one-line
    /// <see cref="ArgumentException"/> that never repeats a password, rather than becoming a file of that name.
    /// </summary>
    public static string SqlitePath(string location)
    {
        const string known = "use sqlite:PATH or postgres://user:password@host:port/db";
        if (string.IsNullOrWhiteSpace(location)) throw new ArgumentException($"--db is empty: {known}");
        if (location.StartsWith("sqlite:", StringComparison.Ordinal))
        {
            var rest = location["sqlite:".Length..];
            if (rest.Length == 0) throw new ArgumentException("sqlite: needs a path, e.g. sqlite:/var/lib/coca/coca.db");
            return CheckedPath(rest, known);
        }
        var scheme = System.Text.RegularExpressions.Regex.Match(location, "^([A-Za-z][A-Za-z0-9+.-]*):");
        if (scheme.Success) throw new ArgumentException($"--db: '{scheme.Groups[1].Value}:' is not a store this coca knows: {known}");
        return CheckedPath(location, known);
    }

    private static string CheckedPath(string path, string known)
    {
        if (path.Contains(';', StringComparison.Ordinal) || path.Contains('=', StringComparison.Ordinal))
        {
            throw new ArgumentException($"--db looks like a connection string, not a file (not repeated here, it may hold a password): {known}");
        }
        if (path.Any(char.IsControl)) throw new ArgumentException($"--db: the path holds a control character: {known}");
        return path;
    }

    /// <summary>postgres://user:password@host:port/db?sslmode=… → an Npgsql connection string. The password never appears in messages.</summary>
    public static string PostgresConnectionString(string url)
    {
        var uri = new Uri(url.Replace("postgresql://", "postgres://", StringComparison.Ordinal));
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = string.IsNullOrEmpty(uri.Host) ? "localhost" : uri.Host,
            Port = uri.Port > 0 ? uri.Port : 5432,
            Database = uri.AbsolutePath.Trim('/') is { Length: > 0 } db ? Uri.UnescapeDataString(db) : "coca",
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length > 1) builder.Password = Uri.UnescapeDataString(parts[1]);
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            if (kv.Length == 2) builder[Uri.UnescapeDataString(kv[0])] = Uri.UnescapeDataString(kv[1]);
        }
        return builder.ToString();
    }

    /// <summary>The location with any password hidden, for logs and messages.</summary>
    public static string Redact(string location) =>
        location.Contains('@', StringComparison.Ordinal) && location.Contains("://", StringComparison.Ordinal)
            ? System.Text.RegularExpressions.Regex.Replace(location, "://([^:/@]+):[^@]*@", "://$1:***@")
            : location;
}
