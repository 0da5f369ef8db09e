using Microsoft.Data.Sqlite;
using Coca.Core.Analysis;

namespace Coca.Storage.Sql;

/// <summary>
/// A week of jobs read in the order the table holds them, then put in the order the week's ordered query gives: both
/// stores read rows in place several times faster than in time order (SQLite fetching each row by rowid from its
/// time index, PostgreSQL sorting the week's wide rows after a lossy scan of its BRIN index), and a week is a few
/// hundred thousand rows, small enough to hold.
/// </summary>
internal sealed partial class AnalysisQueries
{
    // Rows between two of the week's rowids that are read and skipped rather than starting a new range: reading one
    // in place costs far less than a lookup, so small gaps (other weeks' late rows) are read through.
    private const long MaxGap = 32;

    // More ranges than this share of the week's rows (a user's jobs scattered over the table): the week's ordered
    // query, whose lookups cost no more than so many one-row ranges.
    private const int RowsPerRange = 64;

    /// <summary>
    /// SQLite: the week's rowids in time order from the time index alone (ties by rowid: the ordered query's order),
    /// then the rows in rowid order over the few ranges that hold them, each put at its place.
    /// </summary>
    private IEnumerable<AnalysisJob> ByRowid(SqliteConnection sqlite, string chunk, List<(string, object?)> args)
    {
        var order = new List<long>();
        using (var ids = new SqliteAnalysisRows(sqlite, $"SELECT rowid FROM jobs {chunk} ORDER BY {JobTime}", args))
        {
            while (ids.Next()) order.Add(ids.Long(0));
        }
        var rowids = order.ToArray();
        var place = new int[rowids.Length];
        for (var i = 0; i < place.Length; i++) place[i] = i;
        Array.Sort(rowids, place);
        var ranges = Ranges(rowids);
        if (ranges.Count > 1 + rowids.Length / RowsPerRange)
        {
            foreach (var job in Rows($"SELECT {Columns} FROM jobs {chunk} ORDER BY {Order}", args)) yield return job;
            yield break;
        }
        var slots = new AnalysisJob?[rowids.Length];
        using (var rows = new SqliteAnalysisRows(sqlite, $"SELECT {Columns}, rowid FROM jobs WHERE rowid BETWEEN @lo AND @hi ORDER BY rowid", [("lo", 0L), ("hi", -1L)]))
        {
            foreach (var (first, last) in ranges)
            {
                rows.Bind([("lo", rowids[first]), ("hi", rowids[last])]);
                var next = first;
                while (rows.Next())
                {
                    var rowid = rows.Long(ColumnCount);
                    while (next <= last && rowids[next] < rowid) next++;
                    if (next <= last && rowids[next] == rowid) slots[place[next]] = Decode(rows);
                }
            }
        }
        // A row deleted between the two reads leaves its slot empty; one written meanwhile waits for the next analysis.
        foreach (var job in slots)
        {
            if (job is not null) yield return job;
        }
    }

    // Runs of sorted rowids with no gap over MaxGap, as (first, last) indexes into them.
    private static List<(int First, int Last)> Ranges(long[] sorted)
    {
        var ranges = new List<(int, int)>();
        var start = 0;
        for (var i = 1; i <= sorted.Length; i++)
        {
            if (i < sorted.Length && sorted[i] - sorted[i - 1] <= MaxGap) continue;
            ranges.Add((start, i - 1));
            start = i;
        }
        return sorted.Length == 0 ? [] : ranges;
    }

    /// <summary>
    /// PostgreSQL: the week as its scan finds it, sorted here by time, then id byte by byte (the ordered query's
    /// <c>COLLATE "C"</c>; ids are ASCII, where UTF-16's order and the bytes' agree).
    /// </summary>
    private IEnumerable<AnalysisJob> SortedHere(string chunk, List<(string, object?)> args)
    {
        var jobs = new List<AnalysisJob>();
        var keys = new List<WeekKey>();
        foreach (var r in sql.Rows($"SELECT {Columns}, job_id_raw FROM jobs {chunk}", [.. args]))
        {
            var job = Decode(new ReaderAnalysisRow(r));
            jobs.Add(job);
            keys.Add(new WeekKey(job.TimeMs!.Value, r.GetString(ColumnCount)));
        }
        var sortedJobs = jobs.ToArray();
        Array.Sort(keys.ToArray(), sortedJobs);
        return sortedJobs;
    }

    private readonly record struct WeekKey(long TimeMs, string Id) : IComparable<WeekKey>
    {
        public int CompareTo(WeekKey other) => TimeMs != other.TimeMs ? TimeMs.CompareTo(other.TimeMs) : string.CompareOrdinal(Id, other.Id);
    }
}
