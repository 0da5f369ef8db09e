using Coca.Core.Attribution;
using Coca.Slurm.Jobs;

namespace Coca.Agent.Jobs;

/// <summary>
/// How a job record becomes a holder's span: a hook's wall times put on the agent's timeline once, when first seen
/// (a later wall-clock step moves nothing); a running job resumed after a restart keeps its book's start; a record
/// read again never moves a start (a second Prolog mid-job lost the energy before it); and a Prolog for an id whose
/// run is finished (Slurm's requeue keeps the id) starts a new book instead of adding to the final one. Each such
/// case and each unreadable record is logged once, not at every read. A record that lands after energy past its
/// time was already split for good (the hook stamped its time, then took a while to write; meanwhile another job's
/// record closed a window) is placed at that split: the job's span is what was measured for it, never more or less.
/// </summary>
/// <param name="settledUntil">The end of the last window whose CPU energy was split for good (NaN: none yet).</param>
internal sealed class RecordRules(Books books, Func<DateTimeOffset, double> toTimeline, Func<double> settledUntil, Action<string> newRun, Action<string> log)
{
    private readonly HashSet<string> _logged = new(StringComparer.Ordinal);

    public void LogOnce(string line)
    {
        if (_logged.Add(line)) log(line);
    }

    /// <summary>Whether <paramref name="record"/> is a new run of the job <paramref name="holder"/> finished (a requeue).</summary>
    public bool IsNewRun(Holder holder, JobRecord record) => holder.Book is { Final: true } && record.EndedAt is null;

    /// <summary>The span of a holder made for <paramref name="record"/>.</summary>
    public void Start(Holder holder, JobRecord record)
    {
        if (books.Jobs.TryGetValue(record.JobId, out var book))
        {
            if (!book.Final || record.EndedAt is not null)
            {
                // The run these books measured, seen again after a restart: its start stays where the books have it.
                holder.SetSpan(book.Start, book.End ?? double.PositiveInfinity);
                return;
            }
            LogOnce($"job {record.JobId}: a new run of a finished job (requeued); its first run's figures stay in its report, the new run gets its own book");
            newRun(record.JobId);
        }
        holder.SetSpan(NotBeforeSettled(record.JobId, "start", toTimeline(record.StartedAt)), double.PositiveInfinity);
    }

    /// <summary>Takes a record read again: only an end not yet known changes the span.</summary>
    public void Update(Holder holder, JobRecord record)
    {
        if (record.EndedAt is not { } end || holder.To < double.PositiveInfinity) return;
        holder.SetSpan(holder.From, Math.Max(holder.From, NotBeforeSettled(record.JobId, "end", toTimeline(end))));
    }

    // Energy before the last split went to the jobs known then; a start or end stamped before it is moved to it.
    private double NotBeforeSettled(string jobId, string what, double at)
    {
        var settled = settledUntil();
        if (!(at < settled)) return at;
        LogOnce($"job {jobId}: its hook's record came {settled - at:0.###} s after the {what} it gives, once energy up to then was split; its {what} is taken as {DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(settled * 1000)):HH:mm:ss.fff}");
        return settled;
    }
}
