namespace Coca.Storage.Sql;

/// <summary>The few places where SQLite and PostgreSQL spell things differently.</summary>
public sealed record SqlDialect(string Kind, string DistinctFrom)
{
    public static readonly SqlDialect Sqlite = new("sqlite", "IS NOT");
    public static readonly SqlDialect Postgres = new("postgres", "IS DISTINCT FROM");
}
