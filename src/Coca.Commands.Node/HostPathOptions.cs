using System.CommandLine;
using Coca.Commands.Node.Config;
using Coca.Sources;

namespace Coca.Commands.Node;

/// <summary>
/// The paths a command reads the machine and its settings from: sysfs and procfs roots, so that coca runs in a container
/// with the host mounted or on fixture trees, and the configuration file. (Not HostOptions: ASP.NET has one.)
/// </summary>
public sealed class HostPathOptions
{
    public Option<string?> SysfsRoot { get; } = new("--sysfs-root")
    {
        Description = HostSettings.SysfsRoot.Help("Root of the sysfs tree to read RAPL from"),
        HelpName = "DIR",
    };

    public Option<string?> ProcfsRoot { get; } = new("--procfs-root")
    {
        Description = HostSettings.ProcfsRoot.Help("Root of the procfs tree for CPU utilisation and process times"),
        HelpName = "DIR",
    };

    public Option<string?> ConfigFile { get; } = new("--config")
    {
        Description = "Configuration file (TOML; default $COCA_CONFIG, ~/.config/coca/config.toml, /etc/coca/config.toml)",
        HelpName = "FILE",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(SysfsRoot);
        command.Options.Add(ProcfsRoot);
        command.Options.Add(ConfigFile);
    }

    public CocaSettings Settings(ParseResult parse) => CocaSettings.Load(parse.GetValue(ConfigFile));

    public SourceSetOptions SourceOptions(ParseResult parse, CocaSettings settings) => new()
    {
        SysfsRoot = settings.String(HostSettings.SysfsRoot, parse.GetValue(SysfsRoot))!,
        ProcfsRoot = settings.String(HostSettings.ProcfsRoot, parse.GetValue(ProcfsRoot))!,
    };
}
