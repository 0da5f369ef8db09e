using System.Diagnostics;
using System.Globalization;
using Coca.Commands.Node;
using Coca.Commands.Node.Config;
using Coca.Commands.Site.Config;
using MailKit.Net.Smtp;
using MimeKit;

namespace Coca.Commands.Site.Feedback;

/// <summary>
/// Hands one message on: to <c>[feedback] smtp</c> (HOST:PORT) through MailKit when set, else to <c>[feedback]
/// mail_command</c> (<c>sendmail -t -oi</c>: the recipients from the headers, the message on stdin), as Slurm's own
/// <c>/bin/mail</c> would. A failure is one line (<see cref="CommandFailedException"/>), never a trace.
/// </summary>
internal static class MailDelivery
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Where the message went, for the log and the messages: <c>smtp HOST:PORT</c> or the command's program.</summary>
    public static string Send(MimeMessage message, CocaSettings settings)
    {
        if (settings.String(FeedbackSettings.Smtp, null) is { Length: > 0 } smtp)
        {
            var endpoint = Endpoint(smtp, "[feedback] smtp");
            using var client = new SmtpClient();
            try
            {
                client.Connect(endpoint.Host, endpoint.Port, MailKit.Security.SecureSocketOptions.Auto);
                client.Send(message);
                client.Disconnect(true);
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or MailKit.CommandException or MailKit.ProtocolException or MailKit.Security.AuthenticationException)
            {
                throw new CommandFailedException($"SMTP {endpoint.Host}:{endpoint.Port}: {e.Message}");
            }
            return $"smtp {endpoint.Host}:{endpoint.Port}";
        }
        var words = (settings.String(FeedbackSettings.MailCommand, null) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) throw new UsageException("[feedback] mail_command is empty and [feedback] smtp is not set: no way to send mail");
        var start = new ProcessStartInfo(words[0]) { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var w in words.Skip(1)) start.ArgumentList.Add(w);
        try
        {
            using var process = Process.Start(start) ?? throw new CommandFailedException($"{words[0]}: did not start");
            var stderr = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            message.WriteTo(process.StandardInput.BaseStream);
            process.StandardInput.Close();
            if (!process.WaitForExit(CommandTimeout))
            {
                process.Kill(entireProcessTree: true);
                throw new CommandFailedException($"{words[0]}: still running after {CommandTimeout.TotalSeconds:0} s, stopped");
            }
            var why = stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
            if (process.ExitCode != 0) throw new CommandFailedException($"{words[0]} exited with {process.ExitCode}{(why is null ? "" : ": " + why)}");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            throw new CommandFailedException($"{words[0]}: {e.Message}");
        }
        return words[0];
    }

    public static (string Host, int Port) Endpoint(string text, string what)
    {
        var colon = text.LastIndexOf(':');
        return colon > 0 && int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? (text[..colon], port)
            : throw new UsageException($"{what} '{text}' is not HOST:PORT");
    }
}
