using System.Diagnostics;

namespace Coca.Cli.Tests.Commands;

/// <summary>Builds one edition of <c>coca</c> (<c>-p:CocaEdition=…</c>) apart from the main build, and runs what it built.</summary>
internal static class EditionBuild
{
    /// <summary>The folder of the built edition's assemblies.</summary>
    public static string Build(string edition, string artifacts)
    {
        // Its own artifacts folder: the edition changes Coca.Cli's references and assembly name, and must not touch the
        // main build's obj/; no build servers, so that nothing of this build outlives the test.
        var build = Run("dotnet", ["build", Path.Combine(RepositoryRoot(), "src", "Coca.Cli", "Coca.Cli.csproj"), $"-p:CocaEdition={edition}", "--artifacts-path", artifacts, "--disable-build-servers", "-v", "quiet", "-nologo"], 300);
        Assert.True(build.ExitCode == 0, build.Output);
        return Path.Combine(artifacts, "bin", "Coca.Cli", "debug");
    }

    public static (int ExitCode, string Output) Run(string file, string[] args, int timeoutSeconds, IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["HOME"] = Path.GetTempPath();
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        var result = CocaProcess.Complete(psi, timeoutSeconds, $"{file} {string.Join(' ', args)}");
        return (result.ExitCode, result.Stdout + result.Stderr);
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "src", "Coca.Cli", "Coca.Cli.csproj"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("src/Coca.Cli/Coca.Cli.csproj not found above " + AppContext.BaseDirectory);
    }
}
