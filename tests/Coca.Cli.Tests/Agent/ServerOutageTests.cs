using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Coca.TestSupport;

namespace Coca.Cli.Tests.Agent;

/// <summary>An agent pushing to `coca server` through an outage: nothing lost, nothing counted twice, no token in the logs.</summary>
public sealed class ServerOutageTests : IDisposable
{
    private readonly SysfsFixture _sysfs = new SysfsFixture().Zone("intel-rapl:0", "package-0", 0);
    private readonly FakeNvml _nvml = new();
    private readonly TempDirectory _dir = new("coca-outage");

    public ServerOutageTests()
    {
        _nvml.Gpus.Add(FakeNvml.Gpu(0, 0));
        _nvml.Write();
        Directory.CreateDirectory(_dir.Combine("cgroup"));
    }

    private string Db => "sqlite:" + _dir.Combine("coca.db");

    [Fact]
    public async Task Batches_spooled_while_the_server_is_down_arrive_once_when_it_returns()
    {
        var token = CocaProcess.Run(["token", "issue", "--node", "outage-node", "--db", Db]).Stdout.Trim();
        Assert.StartsWith("coca_", token);
        File.WriteAllText(_dir.Combine("token"), token + "\n");
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";

        using var agent = new AgentProcess(["--state-dir", _dir.Combine("state"), "--interval", "0.2", "--push-interval", "0.5", "--sysfs-root", _sysfs.Root,
            "--cgroup-root", _dir.Combine("cgroup"), "--nvml-lib", _nvml.LibraryPath, "--node", "outage-node", "--server", url, "--token-file", _dir.Combine("token")]);
        await agent.PortAsync();

        // Job 301 runs and ends while there is no server.
        var job = new Dictionary<string, string> { ["SLURM_JOB_ID"] = "301", ["SLURM_JOB_USER"] = "dana", ["SLURM_JOB_GPUS"] = "0", ["SLURM_CPUS_ON_NODE"] = "1" };
        Assert.Equal(0, CocaProcess.Run(["slurm", "prolog", "--state-dir", _dir.Combine("state")], job).ExitCode);
        for (var i = 1; i <= 5; i++)
        {
            await Task.Delay(300);
            _nvml.Gpus[0].EnergyMj = (ulong)i * 20_000;
            _nvml.Write();
        }
        await Task.Delay(500);
        Assert.Equal(0, CocaProcess.Run(["slurm", "epilog", "--state-dir", _dir.Combine("state")], job).ExitCode);
        var report = _dir.Combine("state", "reports", "301.json");
        await WaitUntil(() => File.Exists(report), "the job report\n" + agent.Log);
        await Task.Delay(1000);
        Assert.NotEmpty(Directory.EnumerateFiles(_dir.Combine("state", "spool"), "*.json"));
        Assert.Contains("unreachable", agent.Log);

        using (var server = Start(["server", "--db", Db, "--listen", url]))
        {
            await WaitUntil(() => Directory.EnumerateFiles(_dir.Combine("state", "spool"), "*.json").Any() == false, "the spool to drain\n" + agent.Log);
            var stored = JsonDocument.Parse(CocaProcess.Run(["job", "301", "--json", "--db", Db]).Stdout).RootElement;
            var reported = JsonDocument.Parse(File.ReadAllText(report)).RootElement;
            Assert.Equal(100.0, reported.GetProperty("energy_j").GetProperty("gpu").GetDouble(), 6);
            Assert.Equal(reported.GetProperty("energy_j").GetProperty("gpu").GetDouble(), stored.GetProperty("energy_j").GetProperty("gpu").GetDouble(), 6);
            Assert.Equal(reported.GetProperty("energy_j").GetProperty("cpu").GetDouble(), stored.GetProperty("energy_j").GetProperty("cpu").GetDouble(), 6);
            Assert.Equal("dana", stored.GetProperty("user").GetString());
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Assert.DoesNotContain(token, await server.StandardOutput.ReadToEndAsync() + await server.StandardError.ReadToEndAsync());
        }

        // The server goes down again; the agent keeps spooling; it comes back: still exactly once.
        await Task.Delay(1500);
        using (var again = Start(["server", "--db", Db, "--listen", url]))
        {
            await WaitUntil(() => Directory.EnumerateFiles(_dir.Combine("state", "spool"), "*.json").Any() == false, "the spool to drain again\n" + agent.Log);
            var stored = JsonDocument.Parse(CocaProcess.Run(["job", "301", "--json", "--db", Db]).Stdout).RootElement;
            Assert.Equal(100.0, stored.GetProperty("energy_j").GetProperty("gpu").GetDouble(), 6);
            again.Kill(entireProcessTree: true);
        }
        Assert.DoesNotContain(token, agent.Log);
    }

    private static Process Start(string[] args)
    {
        var psi = CocaProcess.StartInfo(args);
        return Process.Start(psi)!;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(40)) throw new TimeoutException("waited for " + what);
            await Task.Delay(200);
        }
    }

    public void Dispose()
    {
        _sysfs.Dispose();
        _nvml.Dispose();
        _dir.Dispose();
    }
}
