using Coca.Commands.Node.Config;
using Coca.Storage;

namespace Coca.Commands.Site.Config;

/// <summary><c>[store]</c>: which store the site commands use.</summary>
public static class StoreSettings
{
    public const string Section = "store";

    public static readonly TextSetting Db = new(Section, "db", JobStores.DefaultLocation(),
        "sqlite:/var/lib/coca/coca.db as root, ~/.local/share/coca/coca.db otherwise");

    public static IReadOnlyList<Setting> All { get; } = [Db];
}
