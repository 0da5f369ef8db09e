using Microsoft.Win32.SafeHandles;

namespace Coca.Sources.Io;

/// <summary>
/// Opens the files a source reads. The only seam between the sources and the file system: tests
/// wrap <see cref="RealFileOpener"/> to deny one file, the way a non-root reader is denied
/// <c>energy_uj</c> on Linux ≥ 5.10.
/// </summary>
public interface IFileOpener
{
    /// <exception cref="UnauthorizedAccessException">The file exists but may not be read.</exception>
    /// <exception cref="IOException">Any other failure.</exception>
    SafeFileHandle OpenRead(string path);
}

public sealed class RealFileOpener : IFileOpener
{
    public static readonly RealFileOpener Instance = new();

    public SafeFileHandle OpenRead(string path) => File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
}
