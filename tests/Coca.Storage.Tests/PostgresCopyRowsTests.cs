using Coca.Storage.Sql;
using Coca.TestSupport;
using Npgsql;

namespace Coca.Storage.Tests;

public class PostgresCopyRowsTests
{
    [Fact]
    public void Literals_quote_texts_and_a_text_with_a_nul_matches_nothing()
    {
        Assert.Equal("E'o''brien\\\\'", PostgresCopyRows.Literal("o'brien\\"));
        Assert.Equal("-42", PostgresCopyRows.Literal(-42L));
        Assert.Equal("7", PostgresCopyRows.Literal(7));
        Assert.Equal("NULL", PostgresCopyRows.Literal("a\0b"));
        Assert.Equal("NULL", PostgresCopyRows.Literal(null));
        Assert.Throws<InvalidOperationException>(() => PostgresCopyRows.Literal(1.5));
    }

    // Rows larger than the read buffer (64 kB) and many small rows across its refills; NULLs as -1 and "".
    [PostgresFact]
    public void Rows_of_every_size_read_whole_with_nulls_as_the_convention_says()
    {
        using var store = JobStores.Open(PostgresServer.NewDatabase());
        var connection = (NpgsqlConnection)((SqlJobStore)store).Session.Connection;
        const string query = """
            SELECT g::bigint, g::integer, g / 4.0::double precision, repeat('x', CASE WHEN g % 1000 = 0 THEN 200000 ELSE g % 50 END),
                   CASE WHEN g % 3 = 0 THEN NULL ELSE g END::bigint, CASE WHEN g % 3 = 0 THEN NULL ELSE 'u' || (g % 5) END,
                   CASE WHEN g % 3 = 0 THEN NULL ELSE 0.5 END::double precision
            FROM generate_series(@from, @to) AS g ORDER BY 1
            """;
        using var rows = PostgresCopyRows.Open(connection, query, [("from", 1L), ("to", 5000L)]);
        var n = 0L;
        Span<char> chars = stackalloc char[64];
        while (rows.Next())
        {
            n++;
            Assert.Equal(n, rows.Long(0));
            Assert.Equal(n, rows.Long(1));
            Assert.Equal(n / 4.0, rows.Double(2));
            var length = n % 1000 == 0 ? 200_000 : (int)(n % 50);
            Assert.Equal(length, rows.Text(3).Length);
            if (length <= 64) Assert.Equal(new string('x', length), rows.Chars(3, chars).ToString());
            Assert.Equal(n % 3 == 0 ? -1 : n, rows.Long(4));
            Assert.Equal(n % 3 == 0 ? "" : "u" + (n % 5), rows.Repeated(5));
            Assert.Equal(n % 3 == 0 ? -1 : 0.5, rows.Double(6));
        }
        Assert.Equal(5000, n);
    }
}
