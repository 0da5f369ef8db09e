namespace Coca.Tracker.Results;

/// <summary>Energy per component in joules; <see cref="Total"/> is their sum.</summary>
public sealed record ComponentJoules(double Cpu, double Dram, double Gpu, double Other)
{
    public double Total => Cpu + Dram + Gpu + Other;
}

/// <summary>Provenance per component: <c>measured</c>, <c>derived</c>, <c>estimated</c> or <c>none</c>.</summary>
public sealed record ComponentProvenance(string Cpu, string Dram, string Gpu, string Other);
