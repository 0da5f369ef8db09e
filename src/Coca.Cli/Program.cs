using System.CommandLine;
using Coca.Cli.Editions;
using Coca.Commands.Node;

var root = new RootCommand("""
    coca — energy and carbon of AI jobs, from one command on a laptop to a Slurm GPU cluster.

    Measures CPU (RAPL), memory and NVIDIA GPUs, estimates (and says so) where nothing can be measured,
    and turns energy into emissions with the grid's carbon intensity and the room's PUE.
    Settings: flag > environment (COCA_<SECTION>_<KEY>, then its older alias COCA_<KEY>) > config file ([section] key;
    --config, $COCA_CONFIG, ~/.config/coca/config.toml, /etc/coca/config.toml) > default; each option's help names them.
    Exit codes: 0 success, 1 failure, 2 usage error; `coca run` exits with the measured command's code.
    """);
// Which commands this binary has is the edition's choice: the csproj compiles one of Editions/*Edition.cs.
Edition.AddCommands(root);
return await CommandLineHost.RunAsync(root, args, "coca");
