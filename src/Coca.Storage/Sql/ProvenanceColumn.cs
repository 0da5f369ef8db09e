using Coca.Core.Units;

namespace Coca.Storage.Sql;

/// <summary>
/// Provenance per component (cpu, dram, gpu, other) as stored: one letter each (<c>mmmn</c>), a few bytes on
/// millions of rows. Rows written before schema 2 hold the words (<c>measured,measured,measured,none</c>): both read.
/// </summary>
internal static class ProvenanceColumn
{
    public static string Encode(IEnumerable<Provenance> components) => string.Concat(components.Select(Letter));

    public static string Encode(IEnumerable<string> wireWords) => string.Concat(wireWords.Select(w => Letter(ProvenanceExtensions.FromWire(w))));

    /// <summary>The components' provenance, whichever form the row holds.</summary>
    public static Provenance[] Decode(string stored) => stored.Length <= 4 && stored.All(IsLetter)
        ? [.. stored.Select(FromLetter)]
        : [.. stored.Split(',').Select(w => ProvenanceExtensions.FromWire(w.Trim()))];

    /// <summary>The words readers and JSON use: <c>measured,measured,measured,none</c>.</summary>
    public static string ToWire(string stored) => string.Join(',', Decode(stored).Select(p => p.ToWire()));

    /// <summary>The weakest of the stored components that have a provenance (None when none has), without an array: read for millions of jobs.</summary>
    public static Provenance Weakest(string stored)
    {
        var weakest = Provenance.None;
        if (stored.Length <= 4 && stored.AsSpan().IndexOfAnyExcept("mden") < 0)
        {
            foreach (var c in stored) weakest = Weaker(weakest, FromLetter(c));
            return weakest;
        }
        foreach (var p in Decode(stored)) weakest = Weaker(weakest, p);
        return weakest;
    }

    private static Provenance Weaker(Provenance a, Provenance b) => b == Provenance.None ? a : a == Provenance.None ? b : a.Combine(b);

    private static char Letter(Provenance p) => p switch
    {
        Provenance.Measured => 'm',
        Provenance.Derived => 'd',
        Provenance.Estimated => 'e',
        _ => 'n',
    };

    private static bool IsLetter(char c) => c is 'm' or 'd' or 'e' or 'n';

    private static Provenance FromLetter(char c) => c switch
    {
        'm' => Provenance.Measured,
        'd' => Provenance.Derived,
        'e' => Provenance.Estimated,
        _ => Provenance.None,
    };
}
