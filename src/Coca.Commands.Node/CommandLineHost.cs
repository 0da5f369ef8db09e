using System.CommandLine;
using Coca.Tracker.Commands;

namespace Coca.Commands.Node;

/// <summary>
/// Parses and runs a command line the same way in every Coca4ai binary: a usage error is one line on stderr and
/// exit 2, a failure one line and exit 1, never a stack trace.
/// </summary>
public static class CommandLineHost
{
    /// <param name="program">The binary's name as the user typed it, first word of every error line.</param>
    public static async Task<int> RunAsync(RootCommand root, string[] args, string program)
    {
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            var where = parse.CommandResult.Command == root ? program : $"{program} {parse.CommandResult.Command.Name}";
            Console.Error.WriteLine($"{where}: {parse.Errors[0].Message} (see `{where} --help`)");
            return ExitCodes.Usage;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"{program}: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (CommandStartException e)
        {
            // `coca run` could not start the command: its code is the shell's (127 not found, 126 not executable).
            Console.Error.WriteLine($"{program}: {e.Message}");
            return e.ExitCode;
        }
        catch (Exception e) when (e is CommandFailedException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            Console.Error.WriteLine($"{program}: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidDataException)
        {
            // The store failed under a command that had opened it (a server gone down mid-read, a damaged file): its own
            // words, and the cause Npgsql wraps ("Exception while reading from stream" says little alone). No connection
            // string is in either.
            var cause = e.InnerException is { } inner ? $" ({inner.Message})" : "";
            Console.Error.WriteLine($"{program}: the store failed: {e.Message}{cause}");
            return ExitCodes.Failure;
        }
    }
}
