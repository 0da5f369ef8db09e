namespace Coca.Core.Readings;

/// <summary>
/// A family of devices read together (RAPL zones, NVML GPUs, estimates). Sources never throw at
/// the caller once built: what they cannot do is in <see cref="Issues"/>, and a failing device
/// reports its state in its sample.
/// </summary>
public interface IEnergySource : IDisposable
{
    /// <summary>Short name: <c>rapl</c>, <c>nvml</c>, <c>nvidia-smi</c>, <c>estimate</c>.</summary>
    string Name { get; }

    /// <summary>The devices, in the order <see cref="Sample"/> fills them. Fixed once built.</summary>
    IReadOnlyList<DeviceInfo> Devices { get; }

    /// <summary>Why the source or some of its devices cannot be read, with the fix.</summary>
    IReadOnlyList<SourceIssue> Issues { get; }

    /// <summary>Reads every device into <paramref name="into"/> (one slot per device).</summary>
    /// <param name="monotonicSeconds">Time of the sample on a monotonic clock, for power integration.</param>
    void Sample(double monotonicSeconds, Span<DeviceSample> into);
}
