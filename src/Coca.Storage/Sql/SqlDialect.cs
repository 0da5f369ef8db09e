namespace Coca.Storage.Sql;

/// <summary>The few places where SQLite and PostgreSQL spell things differently.</summary>
public sealed record SqlDialect(string Kind, string DistinctFrom)
{
    public static readonly SqlDialect Sqlite = new("sqlite", "IS NOT");
    public static readonly SqlDialect Postgres = new("postgres", "IS DISTINCT FROM");

    /// <summary>
    /// SQLite's planner, given no statistics, walks an index to group rows (user_name for the per-user totals)
    /// and then fetches every row at random: minutes on millions of rows. This names the index to use, or none
    /// (a plain scan); PostgreSQL's planner has statistics and needs no hint.
    /// </summary>
    public string Use(string? index) => this == Sqlite ? (index is null ? "NOT INDEXED" : "INDEXED BY " + index) : "";
}
