namespace Coca.Storage.Sql;

/// <summary>Times as the schema stores them: milliseconds since the Unix epoch, UTC, in BIGINT columns.</summary>
internal static class SqlTime
{
    public static long? Ms(DateTimeOffset? t) => t?.ToUnixTimeMilliseconds();

    public static DateTimeOffset? FromMs(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;

    public static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
