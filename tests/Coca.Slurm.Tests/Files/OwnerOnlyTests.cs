using Coca.Slurm.Files;
using Coca.TestSupport;

namespace Coca.Slurm.Tests.Files;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class OwnerOnlyTests : IDisposable
{
    private readonly TempDirectory _dir = new("coca-modes");

    [Fact]
    public void A_directory_left_world_readable_by_an_earlier_version_is_tightened()
    {
        var path = _dir.Combine("state");
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101); // 0755
        OwnerOnly.CreateDirectory(path);
        Assert.Equal(OwnerOnly.DirectoryMode, File.GetUnixFileMode(path));
    }

    [Fact]
    public void A_file_written_over_a_world_readable_one_is_owner_only()
    {
        var path = _dir.Combine("books");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100); // 0644
        OwnerOnly.WriteAtomically(path, "new");
        Assert.Equal(("new", OwnerOnly.FileMode), (File.ReadAllText(path), File.GetUnixFileMode(path)));
    }

    [Fact]
    public void A_token_file_readable_by_others_is_told_apart()
    {
        var path = _dir.Combine("token");
        File.WriteAllText(path, "secret");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100); // 0644
        Assert.True(OwnerOnly.ReadableByOthers(path));
        File.SetUnixFileMode(path, OwnerOnly.FileMode);
        Assert.False(OwnerOnly.ReadableByOthers(path));
    }

    public void Dispose() => _dir.Dispose();
}
