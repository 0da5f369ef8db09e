using System.Runtime.CompilerServices;

namespace Coca.Core.Units;

/// <summary>
/// Energy per component (CPU, DRAM, GPU, other) with the provenance of each: what a job, the idle or the unattributed
/// total, or a whole run carries from the engine to the books, the wire, the store and the report. A mutable value:
/// kept as a field, it is added to in place, so the engine's tick allocates nothing.
/// </summary>
public struct ComponentEnergy : IEquatable<ComponentEnergy>
{
    public static readonly ComponentKind[] Components = [ComponentKind.Cpu, ComponentKind.Dram, ComponentKind.Gpu, ComponentKind.Other];

    private Four<long> _uj;
    private Four<Provenance> _provenance;

    public readonly Energy this[ComponentKind component] => new(_uj[(int)component]);

    public readonly Provenance ProvenanceOf(ComponentKind component) => _provenance[(int)component];

    /// <summary>All components added up.</summary>
    public readonly Energy Total => new(_uj[0] + _uj[1] + _uj[2] + _uj[3]);

    /// <summary>The weakest provenance of the components that have one.</summary>
    public readonly Provenance Provenance =>
        _provenance[0].Combine(_provenance[1]).Combine(_provenance[2]).Combine(_provenance[3]);

    /// <summary>Adds energy to one component; its provenance becomes the weaker of the two (never upgraded).</summary>
    public void Add(ComponentKind component, Energy energy, Provenance provenance = Provenance.None)
    {
        _uj[(int)component] += energy.Microjoules;
        _provenance[(int)component] = _provenance[(int)component].Combine(provenance);
    }

    /// <summary>Adds every component of <paramref name="other"/>, provenance included.</summary>
    public void Add(in ComponentEnergy other)
    {
        for (var c = 0; c < 4; c++)
        {
            _uj[c] += other._uj[c];
            _provenance[c] = _provenance[c].Combine(other._provenance[c]);
        }
    }

    public void SetProvenance(ComponentKind component, Provenance provenance) => _provenance[(int)component] = provenance;

    /// <summary>Replaces one component's energy (its provenance is kept): for books read back from disk.</summary>
    public void Set(ComponentKind component, Energy energy) => _uj[(int)component] = energy.Microjoules;

    /// <summary>µJ as [cpu, dram, gpu, other]: the shape of the books on disk and of the wire since version 1.</summary>
    public readonly long[] Microjoules() => [_uj[0], _uj[1], _uj[2], _uj[3]];

    /// <summary>Sets the energies from [cpu, dram, gpu, other] µJ (missing entries are 0); provenance is kept.</summary>
    public void SetMicrojoules(long[]? values)
    {
        for (var c = 0; c < 4; c++) _uj[c] = values is not null && c < values.Length ? values[c] : 0;
    }

    public static ComponentEnergy Of(Energy cpu, Energy dram, Energy gpu, Energy other)
    {
        var e = new ComponentEnergy();
        e._uj[0] = cpu.Microjoules;
        e._uj[1] = dram.Microjoules;
        e._uj[2] = gpu.Microjoules;
        e._uj[3] = other.Microjoules;
        return e;
    }

    /// <summary>Each component scaled by <paramref name="fraction"/> (a share of the whole), rounded to the µJ; provenance kept.</summary>
    public readonly ComponentEnergy Scaled(ComponentKind component, double fraction)
    {
        var e = this;
        e._uj[(int)component] = (long)Math.Round(_uj[(int)component] * fraction);
        return e;
    }

    public readonly bool Equals(ComponentEnergy other)
    {
        for (var c = 0; c < 4; c++)
        {
            if (_uj[c] != other._uj[c] || _provenance[c] != other._provenance[c]) return false;
        }
        return true;
    }

    public override readonly bool Equals(object? obj) => obj is ComponentEnergy other && Equals(other);
    public override readonly int GetHashCode() => HashCode.Combine(_uj[0], _uj[1], _uj[2], _uj[3], _provenance[0], _provenance[1], _provenance[2], _provenance[3]);
    public static bool operator ==(ComponentEnergy a, ComponentEnergy b) => a.Equals(b);
    public static bool operator !=(ComponentEnergy a, ComponentEnergy b) => !a.Equals(b);

    public override readonly string ToString() =>
        $"cpu {this[ComponentKind.Cpu]} ({ProvenanceOf(ComponentKind.Cpu).ToWire()}), dram {this[ComponentKind.Dram]} ({ProvenanceOf(ComponentKind.Dram).ToWire()}), " +
        $"gpu {this[ComponentKind.Gpu]} ({ProvenanceOf(ComponentKind.Gpu).ToWire()}), other {this[ComponentKind.Other]} ({ProvenanceOf(ComponentKind.Other).ToWire()})";

    [InlineArray(4)]
    private struct Four<T>
    {
        private T _element;
    }
}
