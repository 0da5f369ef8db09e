using Coca.Core.Readings;

namespace Coca.Sources.NodeMeter;

/// <summary>A node meter to open with the node's other sources: how to read it, how often, and how long a reading stands.</summary>
public sealed class NodeMeterOptions
{
    /// <summary>Opens the reader (a Redfish client, an ipmitool runner, a wattmeter file's tail).</summary>
    public required Func<IMeterReader> Open { get; init; }

    public double IntervalSeconds { get; init; } = 10;

    /// <summary>
    /// How long the last reading stands for the meter: past it the meter is unreadable. Three refreshes of a slow BMC
    /// (iDRAC's is about a minute) by default.
    /// </summary>
    public double StaleAfterSeconds { get; init; } = 180;

    /// <summary>Start the background poller when the source set opens (the agent, <c>coca run</c>); off for a one-shot reader.</summary>
    public bool Poll { get; init; } = true;

    /// <summary>What was said when it was set up (<c>--redfish-insecure</c>: TLS not verified), shown with the source's issues.</summary>
    public IReadOnlyList<SourceIssue> Warnings { get; init; } = [];
}
