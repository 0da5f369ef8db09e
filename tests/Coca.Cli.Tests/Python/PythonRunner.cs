using System.Diagnostics;
using Coca.TestSupport;

namespace Coca.Cli.Tests.Python;

/// <summary>
/// Debian's python3 running the repository's <c>python/</c> package from source, with the built coca as
/// <c>COCA_BIN</c> (a two-line wrapper around <c>dotnet coca.dll</c>, as <see cref="CocaProcess"/> runs it).
/// </summary>
internal sealed class PythonRunner : IDisposable
{
    public const string Python = "/usr/bin/python3";
    private readonly TempDirectory _bin = new("coca-python");

    public PythonRunner()
    {
        CocaBin = _bin.Combine("coca");
        File.WriteAllText(CocaBin, $"#!/bin/sh\nexec dotnet '{CocaProcess.Dll}' \"$@\"\n");
        File.SetUnixFileMode(CocaBin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string CocaBin { get; }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Coca4ai.slnx"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("Coca4ai.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <param name="withCoca">false: neither COCA_BIN nor coca on PATH.</param>
    public CocaProcess.Result Run(IEnumerable<string> args, bool withCoca = true, IDictionary<string, string>? env = null, int timeoutSeconds = 120)
    {
        var psi = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _bin.Path,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("COCA_", StringComparison.Ordinal) || k.StartsWith("SLURM_", StringComparison.Ordinal) || k == "CUDA_VISIBLE_DEVICES").ToList()) psi.Environment.Remove(key);
        psi.Environment["PYTHONPATH"] = Path.Combine(RepositoryRoot(), "python", "src");
        psi.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        psi.Environment["HOME"] = _bin.Path; // no user config file leaks into tests
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["PATH"] = PathWithoutCoca();
        if (withCoca) psi.Environment["COCA_BIN"] = CocaBin;
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        return CocaProcess.Complete(psi, timeoutSeconds, $"python3 {string.Join(' ', psi.ArgumentList)}");
    }

    // The tests say where coca is (COCA_BIN), or that there is none: a coca installed on this machine stays out.
    private static string PathWithoutCoca() => string.Join(':', (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
        .Split(':', StringSplitOptions.RemoveEmptyEntries).Where(d => !File.Exists(Path.Combine(d, "coca"))));

    public CocaProcess.Result Script(string code, IEnumerable<string>? args = null, bool withCoca = true, IDictionary<string, string>? env = null)
    {
        var file = _bin.Combine($"script-{Guid.NewGuid():N}.py");
        File.WriteAllText(file, code);
        return Run([file, .. args ?? []], withCoca, env);
    }

    public void Dispose() => _bin.Dispose();
}
