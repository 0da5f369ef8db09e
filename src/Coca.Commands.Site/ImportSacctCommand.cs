using System.CommandLine;
using Coca.Commands.Node;
using Coca.Slurm.Accounting;

namespace Coca.Commands.Site;

/// <summary><c>coca slurm import-sacct</c>: Slurm's accounting into the store, idempotently.</summary>
internal static class ImportSacctCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var host = new HostPathOptions();
        var file = new Argument<string>("file") { Description = "sacct --parsable2 output with its header line, or - for standard input" };
        var timezone = new Option<string?>("--timezone") { Description = "IANA zone sacct's times are in (default: this machine's local zone)", HelpName = "TZ" };
        var delimiter = new Option<string>("--delimiter") { Description = "Field separator (default |, as --parsable2 writes it)", DefaultValueFactory = _ => "|", HelpName = "TEXT" };
        var command = new Command("import-sacct", """
            Import jobs from `sacct --parsable2` output (with its header line; any column order). Known columns:
            JobID, JobIDRaw, JobName, User, Group, Account, Partition, NodeList, AllocTRES, ReqTRES, Submit, Start, End,
            Elapsed, State, ExitCode, ConsumedEnergyRaw, TRESUsageInTot, Comment. Steps fold into their job, array
            tasks stay separate jobs, `CANCELLED by <uid>` is CANCELLED, times are converted to UTC. A malformed line
            is reported with its number and skipped (exit 1); every good record is kept. Importing the same dump
            twice changes nothing. Example:
              sacct -a -S 2026-01-01 --parsable2 -o JobID,JobIDRaw,JobName,User,Account,Partition,NodeList,AllocTRES,Submit,Start,End,Elapsed,State,ExitCode,ConsumedEnergyRaw | coca slurm import-sacct -
            """);
        command.Arguments.Add(file);
        command.Options.Add(timezone);
        command.Options.Add(delimiter);
        store.AddTo(command);
        command.Options.Add(host.ConfigFile);
        command.SetAction(parse =>
        {
            TimeZoneInfo zone;
            try
            {
                zone = parse.GetValue(timezone) is { } tz ? TimeZoneInfo.FindSystemTimeZoneById(tz) : TimeZoneInfo.Local;
            }
            catch (TimeZoneNotFoundException)
            {
                throw new UsageException($"unknown time zone '{parse.GetValue(timezone)}' (use an IANA name such as Europe/Paris)");
            }
            var path = parse.GetValue(file)!;
            SacctParser.Result parsed;
            try
            {
                using var reader = path == "-" ? Console.In : new StreamReader(path);
                parsed = SacctParser.Parse(reader, parse.GetValue(delimiter)!, zone);
            }
            catch (FileNotFoundException)
            {
                throw new UsageException($"{path}: no such file");
            }
            catch (FormatException e)
            {
                throw new UsageException(e.Message);
            }
            foreach (var p in parsed.Problems) Console.Error.WriteLine($"coca slurm import-sacct: {p}");
            using var s = store.Open(parse, host.Settings(parse));
            var result = s.UpsertAccounting(parsed.Jobs);
            Console.Error.WriteLine($"{parsed.Jobs.Count} jobs from {parsed.Lines} lines: {result.Inserted} new, {result.Updated} updated, {result.Unchanged} unchanged" +
                (parsed.Problems.Count > 0 ? $", {parsed.Problems.Count} lines skipped" : ""));
            return parsed.Problems.Count > 0 ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }
}
