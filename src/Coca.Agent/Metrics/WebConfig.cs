namespace Coca.Agent.Metrics;

/// <summary>
/// Who may read /metrics at full resolution, and over what: Prometheus' <c>web.config.yml</c> conventions
/// (<c>basic_auth_users</c> with bcrypt hashes, <c>tls_server_config</c> with a PEM certificate and key), as the
/// exporters of the Prometheus project read them. Read by <see cref="WebConfigFile"/>.
/// </summary>
/// <param name="Users">User name → bcrypt hash; empty: no authentication, and the page is coarse (<see cref="CoarseEnergy"/>).</param>
/// <param name="CertFile">PEM certificate; null (with <paramref name="KeyFile"/>): plain HTTP.</param>
public sealed record WebConfig(IReadOnlyDictionary<string, string> Users, string? CertFile, string? KeyFile)
{
    /// <summary>No file: plain HTTP, no users, the coarse page for everyone.</summary>
    public static readonly WebConfig None = new(new Dictionary<string, string>(), null, null);

    public bool Tls => CertFile is not null;

}
