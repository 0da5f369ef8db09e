using Coca.Sources.Ipmi;
using Coca.Sources.NodeMeter;
using Coca.TestSupport;

namespace Coca.Sources.Tests.Ipmi;

/// <summary>
/// The DCMI reader runs its tool: faked by a script that prints a recorded output and its arguments. Debian's OpenIPMI
/// ipmi_sim answers IPMI over LAN but refuses DCMI's Get Power Reading ("Invalid command (c1)"), so no simulator
/// stands in for a BMC here.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // the fake tools are shell scripts
public sealed class IpmiReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new("coca-ipmi");

    public void Dispose() => _dir.Dispose();

    private string Tool(string output, int exit = 0)
    {
        var outputFile = _dir.Combine("output.txt");
        File.WriteAllText(outputFile, output);
        var script = _dir.Combine("ipmitool");
        File.WriteAllText(script, $"#!/bin/sh\necho \"$@\" > {_dir.Combine("args.txt")}\ncat {outputFile}\nexit {exit}\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    }

    [Fact]
    public async Task A_remote_reading_passes_the_password_file_never_the_password()
    {
        var tool = Tool(DcmiPowerReadingTests.Ipmitool1818);
        using var reader = new IpmiReader(new IpmiOptions { Binary = tool, Host = "bmc-n51", User = "admin", PasswordFile = "/etc/coca/bmc.pass" });
        var reading = await reader.ReadAsync(() => 7, CancellationToken.None);
        Assert.Equal(167, reading.Watts);
        Assert.Equal(new DateTimeOffset(2016, 8, 1, 21, 22, 51, TimeSpan.Zero), reading.MeterTime);
        Assert.Equal("-I lanplus -H bmc-n51 -U admin -f /etc/coca/bmc.pass dcmi power reading", File.ReadAllText(_dir.Combine("args.txt")).Trim());
    }

    [Fact]
    public async Task A_failing_tool_is_a_problem_with_its_first_line()
    {
        using var reader = new IpmiReader(new IpmiOptions { Binary = Tool("Could not open device at /dev/ipmi0: No such file or directory\n", exit: 1) });
        var e = await Assert.ThrowsAsync<MeterProblemException>(() => reader.ReadAsync(() => 0, CancellationToken.None));
        Assert.Contains("exit code 1: Could not open device", e.Message);
    }

    [Fact]
    public async Task A_missing_tool_is_a_problem_not_a_crash()
    {
        using var reader = new IpmiReader(new IpmiOptions { Binary = _dir.Combine("no-such-ipmitool") });
        await Assert.ThrowsAsync<MeterProblemException>(() => reader.ReadAsync(() => 0, CancellationToken.None));
    }

    [Fact]
    public async Task A_deactivated_power_reading_is_a_problem()
    {
        using var reader = new IpmiReader(new IpmiOptions { Binary = Tool(DcmiPowerReadingTests.Ipmitool1819.Replace("activated", "deactivated", StringComparison.Ordinal)) });
        var e = await Assert.ThrowsAsync<MeterProblemException>(() => reader.ReadAsync(() => 0, CancellationToken.None));
        Assert.Contains("deactivated", e.Message);
    }

    [Fact]
    public void Freeipmi_is_called_with_its_own_options()
    {
        var args = new IpmiOptions { Tool = IpmiTool.FreeIpmi, Host = "bmc", User = "u", PasswordFile = "/p" }.Arguments();
        Assert.Equal(["-h", "bmc", "-u", "u", "--config-file=/p", "--get-system-power-statistics"], args);
    }
}
