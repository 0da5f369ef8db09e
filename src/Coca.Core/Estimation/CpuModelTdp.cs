namespace Coca.Core.Estimation;

/// <summary>A CPU model's thermal design power (W, whole package) and its core count.</summary>
public sealed record CpuModelTdp(string Model, double TdpWatts, int Cores)
{
    public double WattsPerCore => TdpWatts / Cores;
}
