namespace Coca.Commands.Node.Config;

/// <summary><c>[host]</c>: where the machine is read from (a container sees the host's trees mounted elsewhere).</summary>
public static class HostSettings
{
    public const string Section = "host";

    public static readonly TextSetting SysfsRoot = new(Section, "sysfs_root", "/sys");
    public static readonly TextSetting ProcfsRoot = new(Section, "procfs_root", "/proc");
    public static readonly TextSetting CgroupRoot = new(Section, "cgroup_root", "/sys/fs/cgroup");

    public static IReadOnlyList<Setting> All { get; } = [SysfsRoot, ProcfsRoot, CgroupRoot];
}
