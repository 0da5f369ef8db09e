using Coca.Storage.Sql;

namespace Coca.Storage.Tests;

public class ReadAheadTests
{
    [Fact]
    public void Interleaved_readers_give_the_parts_in_order_each_read_by_reader_index_mod_readers()
    {
        var sizes = new[] { 0, 1, 9000, 3, 0, 20_000, 4096, 4097, 7 };
        var readBy = new int[sizes.Length];
        var parts = sizes.Select((size, p) => (Func<int, IEnumerable<(int Part, int Item)>>)(reader =>
        {
            readBy[p] = reader;
            return Enumerable.Range(0, size).Select(i => (p, i));
        })).ToList();

        var read = ReadAhead.Interleaved(parts, readers: 2).ToList();

        Assert.Equal(sizes.SelectMany((size, p) => Enumerable.Range(0, size).Select(i => (p, i))), read);
        Assert.Equal(sizes.Select((_, p) => p % 2), readBy);
    }

    [Fact]
    public void A_readers_error_reaches_the_caller_after_the_parts_before_it()
    {
        var parts = new List<Func<int, IEnumerable<int>>>
        {
            _ => Enumerable.Range(0, 10_000),
            _ => Failing(),
            _ => Enumerable.Range(0, 10_000),
        };
        var seen = 0;
        var e = Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (var _ in ReadAhead.Interleaved(parts, readers: 2)) seen++;
        });
        Assert.Equal("the store went away", e.Message);
        Assert.Equal(10_000, seen); // the whole part before; the failing part's few rows went with its error

        static IEnumerable<int> Failing()
        {
            for (var i = 0; i < 5; i++) yield return i;
            throw new InvalidOperationException("the store went away");
        }
    }

    [Fact]
    public void A_caller_that_stops_early_stops_the_readers_without_an_error()
    {
        var parts = Enumerable.Range(0, 50).Select(p => (Func<int, IEnumerable<int>>)(_ => Enumerable.Range(p * 100_000, 100_000))).ToList();
        Assert.Equal(Enumerable.Range(0, 10), ReadAhead.Interleaved(parts, readers: 2).Take(10));
    }
}
