using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace Coca.TestSupport;

/// <summary>
/// A private PostgreSQL cluster from Debian's packages, started once per test process in a temp folder
/// (initdb + pg_ctl as the postgres user, trust auth on 127.0.0.1, a free port) and stopped when the
/// process exits. Each test asks for a database of its own.
/// </summary>
public static class PostgresServer
{
    private static readonly Lazy<(string? BaseUrl, string? Problem)> Cluster = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private static int s_databases;

    public static string? Bin { get; } = Directory.Exists("/usr/lib/postgresql")
        ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).OrderDescending().FirstOrDefault()
        : null;

    public static bool Installed => Bin is not null && Environment.UserName == "root";

    /// <summary>A fresh, empty database's URL (postgres://postgres@127.0.0.1:PORT/NAME).</summary>
    public static string NewDatabase()
    {
        var (baseUrl, problem) = Cluster.Value;
        if (baseUrl is null) throw new InvalidOperationException("PostgreSQL did not start: " + problem);
        var name = $"coca_test_{Environment.ProcessId}_{Interlocked.Increment(ref s_databases)}";
        Run("runuser", "-u", "postgres", "--", Path.Combine(Bin!, "psql"), "-h", "127.0.0.1", "-p", Port(baseUrl), "-U", "postgres", "-q", "-c", $"CREATE DATABASE {name}");
        return $"{baseUrl}/{name}";
    }

    /// <summary>
    /// A login role that may only read the database's tables as they are now (USAGE on the schema, SELECT on its
    /// tables, no CREATE): the URL of the same database as that role. Trust auth, so no password.
    /// </summary>
    public static string ReadOnlyRole(string databaseUrl)
    {
        var (baseUrl, problem) = Cluster.Value;
        if (baseUrl is null) throw new InvalidOperationException("PostgreSQL did not start: " + problem);
        var database = databaseUrl[(databaseUrl.LastIndexOf('/') + 1)..];
        var role = database + "_reader";
        Run("runuser", "-u", "postgres", "--", Path.Combine(Bin!, "psql"), "-h", "127.0.0.1", "-p", Port(baseUrl), "-U", "postgres", "-d", database, "-q",
            "-v", "ON_ERROR_STOP=1", "-c", $"CREATE ROLE {role} LOGIN; REVOKE CREATE ON SCHEMA public FROM PUBLIC; " +
            $"GRANT USAGE ON SCHEMA public TO {role}; GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}");
        return databaseUrl.Replace("://postgres@", $"://{role}@", StringComparison.Ordinal);
    }

    private static string Port(string baseUrl) => baseUrl[(baseUrl.LastIndexOf(':') + 1)..];

    private static (string?, string?) Start()
    {
        if (!Installed) return (null, "not installed");
        var dir = Directory.CreateTempSubdirectory("coca-pg-").FullName;
        Run("chown", "postgres:postgres", dir);
        var data = Path.Combine(dir, "data");
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var asPostgres = new[] { "-u", "postgres", "--" };
        Run("runuser", [.. asPostgres, Path.Combine(Bin!, "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]);
        Run("runuser", [.. asPostgres, Path.Combine(Bin!, "pg_ctl"), "-D", data, "-l", Path.Combine(dir, "postgres.log"), "-w", "-t", "60", "-o",
            $"-p {port.ToString(CultureInfo.InvariantCulture)} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off", "start"]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Run("runuser", [.. asPostgres, Path.Combine(Bin!, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"]);
                Directory.Delete(dir, recursive: true);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
            }
        };
        return ($"postgres://postgres@127.0.0.1:{port}", null);
    }

    private static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(90))) p.Kill(true);
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)}: {output.Result}{error.Result}");
    }
}

/// <summary>A test against the real PostgreSQL: skipped, with the reason shown, where it is not installed (.ci/run installs it).</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!PostgresServer.Installed) Skip = "PostgreSQL not installed, or not root (apt-get install postgresql; .ci/run does)";
    }
}
