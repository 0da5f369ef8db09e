using Coca.Core.Units;

namespace Coca.Tracker.Results;

/// <summary>Energy per component in joules, as <c>coca run --json</c> prints it; <see cref="Total"/> is their sum.</summary>
public sealed record ComponentJoules(double Cpu, double Dram, double Gpu, double Other)
{
    public double Total => Cpu + Dram + Gpu + Other;

    public static ComponentJoules From(in ComponentEnergy e) =>
        new(e[ComponentKind.Cpu].Joules, e[ComponentKind.Dram].Joules, e[ComponentKind.Gpu].Joules, e[ComponentKind.Other].Joules);
}

/// <summary>Provenance per component: <c>measured</c>, <c>derived</c>, <c>estimated</c> or <c>none</c>.</summary>
public sealed record ComponentProvenance(string Cpu, string Dram, string Gpu, string Other)
{
    public static ComponentProvenance From(in ComponentEnergy e) =>
        new(e.ProvenanceOf(ComponentKind.Cpu).ToWire(), e.ProvenanceOf(ComponentKind.Dram).ToWire(), e.ProvenanceOf(ComponentKind.Gpu).ToWire(), e.ProvenanceOf(ComponentKind.Other).ToWire());
}
