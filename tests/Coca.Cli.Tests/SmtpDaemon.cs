using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace Coca.Cli.Tests;

/// <summary>Debian's aiosmtpd (python3-aiosmtpd), delivering every message into a maildir.</summary>
internal sealed class SmtpDaemon : IDisposable
{
    private const string Binary = "/usr/bin/aiosmtpd";
    private readonly Process _process;
    private readonly string _maildir;

    public SmtpDaemon(string maildir)
    {
        Assert.True(File.Exists(Binary), $"{Binary} is missing: apt-get install python3-aiosmtpd (.ci/run does)");
        _maildir = maildir;
        Port = FreePort();
        _process = Process.Start(new ProcessStartInfo(Binary, ["-n", "-l", $"127.0.0.1:{Port}", "-c", "aiosmtpd.handlers.Mailbox", maildir])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        // Up when it accepts a connection; a daemon that never comes up fails the test after a minute, not a race.
        for (var i = 0; ; i++)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (i < 600 && !_process.HasExited)
            {
                Thread.Sleep(100);
            }
        }
    }

    public int Port { get; }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    // aiosmtpd has written and renamed each message into new/ before it answers 250, so what coca was told was sent is there.
    public List<MimeMessage> Messages() => Directory.Exists(Path.Combine(_maildir, "new"))
        ? [.. Directory.GetFiles(Path.Combine(_maildir, "new")).Select(f => MimeMessage.Load(f))]
        : [];

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
    }
}
