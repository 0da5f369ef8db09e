namespace Coca.Agent.Clock;

/// <summary>The kernel's id of this boot: monotonic timestamps compare only within one boot.</summary>
internal static class BootId
{
    public static string? Read(string procfsRoot)
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(procfsRoot, "sys", "kernel", "random", "boot_id")).Trim();
            return text.Length > 0 ? text : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
