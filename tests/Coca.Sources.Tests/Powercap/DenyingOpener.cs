using Coca.Sources.Io;
using Microsoft.Win32.SafeHandles;

namespace Coca.Sources.Tests.Powercap;

/// <summary>Denies the files a non-root reader may not open on Linux ≥ 5.10 (tests run as root, where chmod would not bite).</summary>
internal sealed class DenyingOpener(Func<string, bool> deny) : IFileOpener
{
    public SafeFileHandle OpenRead(string path) =>
        deny(path) ? throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.") : RealFileOpener.Instance.OpenRead(path);
}
