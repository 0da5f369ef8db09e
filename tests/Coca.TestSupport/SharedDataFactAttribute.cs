using Xunit;

namespace Coca.TestSupport;

/// <summary>A conformance test over a real capture in ../shared/data: skipped, with the reason shown, when the capture is absent.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute(string relativePath)
    {
        var path = SharedData.PathOf(relativePath);
        if (path is null || !System.IO.Path.Exists(path))
        {
            Skip = $"real capture ../shared/data/{relativePath} not present";
        }
    }
}
