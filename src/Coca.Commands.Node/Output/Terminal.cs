using Spectre.Console;

namespace Coca.Commands.Node.Output;

/// <summary>Human output goes to stderr (stdout is for --json and for the measured command); plain when not a terminal or NO_COLOR is set.</summary>
public static class Terminal
{
    public static IAnsiConsole Error { get; } = Create(Console.Error, Console.IsErrorRedirected);
    public static IAnsiConsole Out { get; } = Create(Console.Out, Console.IsOutputRedirected);

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var plain = redirected || Environment.GetEnvironmentVariable("NO_COLOR") is { Length: > 0 };
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = plain ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = plain ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (redirected) console.Profile.Width = 120;
        return console;
    }
}
