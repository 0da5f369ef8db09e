using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Coca.Cli.Tests.Agent;

/// <summary>A running <c>coca agent</c> process whose /metrics port is read from its log.</summary>
internal sealed partial class AgentProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public AgentProcess(IEnumerable<string> args)
    {
        _process = Process.Start(CocaProcess.StartInfo(["agent", "--listen", "127.0.0.1:0", .. args]))!;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_log) _log.AppendLine(e.Data);
            var match = Endpoint().Match(e.Data);
            if (match.Success) _port.TrySetResult(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        };
        _process.BeginErrorReadLine();
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
    }

    public int Pid => _process.Id;

    public string Log
    {
        get
        {
            lock (_log) return _log.ToString();
        }
    }

    public async Task<int> PortAsync()
    {
        var done = await Task.WhenAny(_port.Task, Task.Delay(TimeSpan.FromSeconds(30)));
        if (done != _port.Task) throw new TimeoutException("agent did not start: " + Log);
        return await _port.Task;
    }

    public async Task<string> MetricsAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return await http.GetStringAsync($"http://127.0.0.1:{await PortAsync()}/metrics");
    }

    public void Signal(string signal) => Process.Start("kill", [$"-{signal}", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    [GeneratedRegex(@"/metrics on http://[^:]+:(\d+)")]
    private static partial Regex Endpoint();
}
