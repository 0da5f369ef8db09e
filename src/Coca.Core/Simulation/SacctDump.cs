using System.Globalization;

namespace Coca.Core.Simulation;

/// <summary>
/// The simulated jobs as <c>sacct --allusers --parsable2</c> prints them with <see cref="Columns"/> (the columns
/// <c>coca slurm sync</c> asks for), header first, times in UTC (import with <c>--timezone UTC</c>). One line per job;
/// no step lines (the importer folds them into their job anyway).
/// </summary>
public static class SacctDump
{
    public const string Columns = "JobID,JobIDRaw,JobName,User,Group,Account,Partition,NodeList,AllocTRES,Submit,Start,End,Elapsed,State,ExitCode,ConsumedEnergyRaw,TRESUsageInTot,Comment," +
        "TotalCPU,AllocCPUS,NNodes,ReqMem,MaxRSS,Timelimit,ReqTRES,TRESUsageInAve,WorkDir,SubmitLine";

    public static void Write(Simulation sim, TextWriter output)
    {
        output.Write(Columns.Replace(',', '|'));
        output.Write('\n');
        foreach (var j in sim.Jobs) output.Write(Line(j) + "\n");
    }

    public static string Line(SimJob j)
    {
        var memG = j.Cpus * 8;
        var gpuTres = j.Gpus > 0 ? $",gres/gpu:{PowerModel.GpuType}={j.Gpus},gres/gpu={j.Gpus}" : "";
        var alloc = Invariant($"billing={j.Cpus},cpu={j.Cpus}{gpuTres},mem={memG}G,node=1");
        var totalCpu = (long)Math.Floor(j.CpuBusy * j.ElapsedS * j.Cpus);
        var usage = "cpu=" + Duration(totalCpu) + (j.Gpus > 0 ? Invariant($",gres/gpuutil={j.UtilPercent * j.Gpus}") : "");
        var energy = Math.Round(PowerModel.Of(j).TotalJ).ToString("0", CultureInfo.InvariantCulture);
        string[] fields =
        [
            j.JobId, j.JobIdRaw, j.Name, j.User, j.User, j.Account, j.Partition, j.Node, alloc, Time(j.Submit), Time(j.Start), Time(j.End),
            Duration(j.ElapsedS), j.State, j.ExitCode, energy, usage, "", Duration(totalCpu), Invariant($"{j.Cpus}"), "1", Invariant($"{memG}G"), "",
            Duration(j.TimelimitS), alloc, "", j.WorkDir, j.SubmitLine,
        ];
        return string.Join('|', fields);
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>Slurm's <c>[D-]HH:MM:SS</c>.</summary>
    public static string Duration(long seconds)
    {
        var days = seconds / 86_400;
        var rest = seconds % 86_400;
        var hms = Invariant($"{rest / 3_600:00}:{rest % 3_600 / 60:00}:{rest % 60:00}");
        return days > 0 ? Invariant($"{days}-") + hms : hms;
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
