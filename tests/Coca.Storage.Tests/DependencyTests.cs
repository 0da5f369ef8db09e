namespace Coca.Storage.Tests;

public class DependencyTests
{
    // The store keeps what any scheduler's accounting says (Coca.Core.Accounting), not a Slurm type.
    [Fact]
    public void Storage_depends_on_Core_and_not_on_the_Slurm_library()
    {
        var references = typeof(IJobStore).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.Contains("Coca.Core", references);
        Assert.DoesNotContain("Coca.Slurm", references);
    }
}
