using System.Security.Cryptography.X509Certificates;

namespace Coca.Agent.Metrics;

/// <summary>
/// Reads the part of Prometheus' <c>web.config.yml</c> the agent supports, strictly: <c>tls_server_config</c>
/// (<c>cert_file</c>, <c>key_file</c>, relative to the file) and <c>basic_auth_users</c> (name: bcrypt hash). Any
/// other key, a hash that is not bcrypt or a certificate that does not load is an error with its line.
/// </summary>
public static class WebConfigFile
{
    /// <exception cref="FormatException">One line: FILE:LINE: what is wrong.</exception>
    public static WebConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"cannot read the web configuration {path}: {e.Message}");
        }
        var config = Parse(text, path, Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (config.Tls) LoadCertificate(config, path).Dispose();
        return config;
    }

    public static WebConfig Parse(string text, string fileName, string baseDirectory)
    {
        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        string? cert = null, key = null, section = null;
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            var hash = line.IndexOf(" #", StringComparison.Ordinal);
            if (line.TrimStart().StartsWith('#')) continue;
            if (hash >= 0) line = line[..hash];
            if (line.Trim().Length == 0) continue;
            var colon = line.IndexOf(':');
            if (colon <= 0) throw Error(fileName, lineNumber, "expected key: value");
            var name = Unquote(line[..colon].Trim());
            var value = Unquote(line[(colon + 1)..].Trim());
            if (!char.IsWhiteSpace(line[0]))
            {
                section = name;
                if (name is not ("tls_server_config" or "basic_auth_users")) throw Error(fileName, lineNumber, $"unsupported key '{name}' (supported: tls_server_config, basic_auth_users)");
                if (value.Length > 0) throw Error(fileName, lineNumber, $"{name} takes indented entries");
                continue;
            }
            switch (section)
            {
                case "basic_auth_users":
                    if (!(value.StartsWith("$2a$", StringComparison.Ordinal) || value.StartsWith("$2b$", StringComparison.Ordinal) || value.StartsWith("$2y$", StringComparison.Ordinal)) || value.Length != 60)
                    {
                        throw Error(fileName, lineNumber, $"the password of '{name}' must be a bcrypt hash ($2y$…, 60 characters; e.g. htpasswd -nBC 10 \"\" | tr -d ':\\n')");
                    }
                    if (!users.TryAdd(name, value)) throw Error(fileName, lineNumber, $"user '{name}' given twice");
                    break;
                case "tls_server_config" when name == "cert_file":
                    cert = Path.Combine(baseDirectory, value);
                    break;
                case "tls_server_config" when name == "key_file":
                    key = Path.Combine(baseDirectory, value);
                    break;
                default:
                    throw Error(fileName, lineNumber, $"unsupported key '{name}' in {section ?? "the top level"}");
            }
        }
        if ((cert is null) != (key is null)) throw new FormatException($"{fileName}: tls_server_config needs both cert_file and key_file");
        return new WebConfig(users, cert, key);
    }

    /// <summary>The certificate with its private key, for the TLS listener.</summary>
    public static X509Certificate2 LoadCertificate(WebConfig config, string? fileName = null)
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(config.CertFile!, config.KeyFile);
            // Exported and re-imported: an ephemeral PEM key is refused by SslStream on some platforms.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new FormatException($"{fileName ?? "web configuration"}: cannot load the certificate {config.CertFile} with the key {config.KeyFile}: {e.Message}");
        }
    }

    private static string Unquote(string s) =>
        s.Length >= 2 && (s[0] == '"' && s[^1] == '"' || s[0] == '\'' && s[^1] == '\'') ? s[1..^1] : s;

    private static FormatException Error(string file, int line, string what) => new($"{file}:{line}: {what}");
}
