using System.Diagnostics;
using System.Text.Json;

namespace Coca.Cli.Tests;

/// <summary>Runs the built <c>coca</c> CLI as a user would, in its own process.</summary>
internal static class CocaProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "coca.dll");

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public JsonElement Json => JsonDocument.Parse(JsonStart(Stdout)).RootElement;

        // The measured command may print before coca's JSON object: take the last top-level object.
        private static string JsonStart(string s)
        {
            var i = s.LastIndexOf("\n{", StringComparison.Ordinal);
            return i >= 0 ? s[(i + 1)..] : s[s.IndexOf('{', StringComparison.Ordinal)..];
        }
    }

    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IDictionary<string, string>? env = null, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["HOME"] = Path.GetTempPath(); // no user config file leaks into tests
        psi.Environment.Remove("XDG_DATA_HOME"); // nor does a test's run reach the user's own history of runs
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("COCA_", StringComparison.Ordinal) || k == "CUDA_VISIBLE_DEVICES").ToList()) psi.Environment.Remove(key);
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        return psi;
    }

    public static Result Run(IEnumerable<string> args, IDictionary<string, string>? env = null, string? workingDirectory = null, int timeoutSeconds = 60) =>
        Complete(StartInfo(args, env, workingDirectory), timeoutSeconds, $"coca {string.Join(' ', args)}");

    /// <summary>Starts <paramref name="psi"/> (both outputs redirected) and waits for it; past the timeout, kills its whole tree and throws.</summary>
    public static Result Complete(ProcessStartInfo psi, int timeoutSeconds, string what)
    {
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{what} did not finish in {timeoutSeconds} s");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }
}
