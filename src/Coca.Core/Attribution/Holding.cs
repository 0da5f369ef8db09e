namespace Coca.Core.Attribution;

/// <summary>
/// A consumer's hold on a device over a time span: a GPU held exclusively (<see cref="Share"/> 1),
/// or a share of a CPU package or DRAM (the job's share of the CPU time, or of the allocated cores).
/// <see cref="Share"/> NaN: the consumer was there but its share is unknown.
/// </summary>
/// <param name="From">Start, seconds on the same clock as the intervals (Unix time in the agent).</param>
/// <param name="To">End, exclusive; <see cref="double.PositiveInfinity"/> while still running.</param>
public readonly record struct Holding(string ConsumerId, string DeviceId, double From, double To, double Share)
{
    public double OverlapSeconds(double start, double end) => Math.Max(0, Math.Min(end, To) - Math.Max(start, From));
}
