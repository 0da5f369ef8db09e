using Coca.Core.Units;

namespace Coca.Core.Tests.Units;

public class ProvenanceTests
{
    [Theory]
    [InlineData(Provenance.Measured, Provenance.Estimated, Provenance.Estimated)]
    [InlineData(Provenance.Derived, Provenance.Measured, Provenance.Derived)]
    [InlineData(Provenance.None, Provenance.Measured, Provenance.Measured)]
    [InlineData(Provenance.Measured, Provenance.Measured, Provenance.Measured)]
    public void Combining_keeps_the_weaker_label_so_provenance_is_never_upgraded(Provenance a, Provenance b, Provenance expected)
    {
        Assert.Equal(expected, a.Combine(b));
        Assert.Equal(expected, b.Combine(a));
    }

    [Fact]
    public void Wire_words_are_the_documented_ones()
    {
        Assert.Equal(["none", "measured", "derived", "estimated"],
            Enum.GetValues<Provenance>().Select(p => p.ToWire()).ToArray());
    }

    [Fact]
    public void Wire_words_read_back_as_their_label_and_unknown_words_as_none()
    {
        foreach (var p in Enum.GetValues<Provenance>()) Assert.Equal(p, ProvenanceExtensions.FromWire(p.ToWire()));
        Assert.Equal(Provenance.None, ProvenanceExtensions.FromWire("guessed"));
    }
}
