using System.Text;
using Coca.Storage.Sql;

namespace Coca.Storage.Tests;

public class Utf8StringPoolTests
{
    [Fact]
    public void The_same_bytes_give_the_same_string_and_different_bytes_their_own()
    {
        var pool = new Utf8StringPool(capacity: 100);
        var alice = pool.Get("alice"u8);
        Assert.Equal("alice", alice);
        Assert.Same(alice, pool.Get("alice"u8.ToArray()));
        Assert.Equal("alicia", pool.Get("alicia"u8));
        Assert.Equal("", pool.Get(ReadOnlySpan<byte>.Empty));
        Assert.Equal("élodie", pool.Get(Encoding.UTF8.GetBytes("élodie")));
    }

    [Fact]
    public void Growing_keeps_every_text_and_past_the_capacity_texts_are_still_right_but_not_kept()
    {
        var pool = new Utf8StringPool(capacity: 3000);
        var first = Enumerable.Range(0, 3000).Select(i => pool.Get(Encoding.UTF8.GetBytes($"user{i:0000}"))).ToList();
        for (var i = 0; i < 3000; i++) Assert.Same(first[i], pool.Get(Encoding.UTF8.GetBytes($"user{i:0000}")));

        var late = pool.Get("user9999"u8);
        Assert.Equal("user9999", late);
        Assert.NotSame(late, pool.Get("user9999"u8));
    }
}
