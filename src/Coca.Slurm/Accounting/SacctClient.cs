using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Coca.Core.Accounting;

namespace Coca.Slurm.Accounting;

/// <summary>
/// Slurm's accounting through the <c>sacct</c> command: every user's jobs that started or ended since a time,
/// read with <see cref="SacctParser"/>. The process is the only I/O here; the arguments are a pure function.
/// </summary>
public sealed class SacctClient(string binary = "sacct")
{
    /// <summary>The columns asked for: everything <see cref="AccountingJob"/> holds. Part of the documented command line.</summary>
    public const string Format = "JobID,JobIDRaw,JobName,User,Group,Account,Partition,NodeList,AllocTRES,Submit,Start,End,Elapsed,State,ExitCode,ConsumedEnergyRaw,TRESUsageInTot,Comment," +
        "TotalCPU,AllocCPUS,NNodes,ReqMem,MaxRSS,Timelimit,ReqTRES,TRESUsageInAve,WorkDir,SubmitLine";

    // A month of a busy cluster takes sacct a minute or two; a hung slurmdbd must not hold a cron job forever.
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// sacct's arguments. sacct reads <c>--starttime</c> in its own local time, without an offset: the instant is
    /// written as the wall-clock time of sacct's zone.
    /// </summary>
    public static IReadOnlyList<string> Arguments(DateTimeOffset since, TimeZoneInfo zone)
    {
        var local = since.ToOffset(zone.GetUtcOffset(since.UtcDateTime));
        return ["--allusers", "--parsable2", "--starttime", local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), "--format=" + Format];
    }

    /// <summary>
    /// Runs sacct and parses its output. Throws <see cref="SacctNotRunnableException"/> when the binary cannot be
    /// started, <see cref="InvalidOperationException"/> when it fails or does not answer in time.
    /// </summary>
    public SacctParser.Result Read(DateTimeOffset since, TimeZoneInfo zone)
    {
        var psi = new ProcessStartInfo(binary, Arguments(since, zone))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (Win32Exception e)
        {
            throw new SacctNotRunnableException($"cannot run {binary}: {e.Message}");
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(true);
                process.WaitForExit();
                throw new InvalidOperationException($"{binary} did not answer within {Timeout.TotalMinutes:0} minutes");
            }
            if (process.ExitCode != 0) throw new InvalidOperationException($"{binary} failed ({process.ExitCode}): {error.Result.Trim()}");
            return SacctParser.Parse(new StringReader(output.Result), "|", zone);
        }
    }
}

/// <summary>The sacct binary could not be started (not found, not executable): the caller says where to point instead.</summary>
public sealed class SacctNotRunnableException(string message) : Exception(message);
