namespace Coca.Sources.Ipmi;

/// <summary>Which tool reads DCMI.</summary>
public enum IpmiTool
{
    /// <summary><c>ipmitool dcmi power reading</c>.</summary>
    Ipmitool,
    /// <summary>FreeIPMI's <c>ipmi-dcmi --get-system-power-statistics</c>.</summary>
    FreeIpmi,
}

/// <summary>Where and how a node's DCMI power reading is taken: the local BMC (through the kernel's IPMI driver) or a remote one over LAN.</summary>
public sealed class IpmiOptions
{
    public IpmiTool Tool { get; init; } = IpmiTool.Ipmitool;

    /// <summary>The binary; null: the tool's name on PATH.</summary>
    public string? Binary { get; init; }

    /// <summary>A remote BMC's host (<c>-H</c>); null: the local one.</summary>
    public string? Host { get; init; }

    public string? User { get; init; }

    /// <summary>
    /// File the tool reads the remote BMC's password from, so that it never shows in the process list: ipmitool's
    /// <c>-f FILE</c> (the password alone), FreeIPMI's <c>--config-file=FILE</c> (<c>password …</c>, FreeIPMI's format).
    /// </summary>
    public string? PasswordFile { get; init; }

    public double TimeoutSeconds { get; init; } = 10;
    public double IntervalSeconds { get; init; } = 10;

    /// <summary>The command line, without the password: it is only ever in the file the tool reads.</summary>
    public IReadOnlyList<string> Arguments()
    {
        var args = new List<string>();
        if (Tool == IpmiTool.Ipmitool)
        {
            if (Host is not null) args.AddRange(["-I", "lanplus", "-H", Host]);
            if (User is not null) args.AddRange(["-U", User]);
            if (PasswordFile is not null) args.AddRange(["-f", PasswordFile]);
            args.AddRange(["dcmi", "power", "reading"]);
        }
        else
        {
            if (Host is not null) args.AddRange(["-h", Host]);
            if (User is not null) args.AddRange(["-u", User]);
            if (PasswordFile is not null) args.Add("--config-file=" + PasswordFile);
            args.Add("--get-system-power-statistics");
        }
        return args;
    }

    public string BinaryName => Binary ?? (Tool == IpmiTool.Ipmitool ? "ipmitool" : "ipmi-dcmi");
}
