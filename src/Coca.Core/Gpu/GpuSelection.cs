namespace Coca.Core.Gpu;

/// <summary>Which GPUs (whole) and which MIG instances (a share of their parent) a command or job is charged for.</summary>
public sealed record GpuSelection(
    IReadOnlySet<string> WholeGpus,
    IReadOnlyDictionary<string, double> MigShares,
    string Description,
    IReadOnlyList<string> Warnings)
{
    public bool IncludesWhole(string uuid) => WholeGpus.Contains(uuid);

    public bool IncludesMig(string migUuid) => MigShares.ContainsKey(migUuid);

    /// <summary>
    /// Resolves <c>CUDA_VISIBLE_DEVICES</c> as CUDA reads it: a comma-separated list of indices,
    /// <c>GPU-</c> UUIDs or <c>MIG-</c> UUIDs (unique prefixes allowed); the first entry that names no
    /// device hides it and every entry after it. Unset: every GPU. Set and empty: none.
    /// Indices count GPUs in PCI bus order, which is CUDA's with <c>CUDA_DEVICE_ORDER=PCI_BUS_ID</c>
    /// and on nodes of identical GPUs.
    /// </summary>
    public static GpuSelection FromCudaVisibleDevices(string? value, IReadOnlyList<GpuIdentity> gpus)
    {
        var whole = new HashSet<string>(StringComparer.Ordinal);
        var mig = new Dictionary<string, double>(StringComparer.Ordinal);
        var warnings = new List<string>();
        if (value is null)
        {
            foreach (var g in gpus) whole.Add(g.Uuid);
            return new GpuSelection(whole, mig, $"all {gpus.Count} GPU(s) of the machine (CUDA_VISIBLE_DEVICES not set)", warnings);
        }

        var byPci = gpus.OrderBy(g => NormalisePci(g.PciBusId), StringComparer.Ordinal).ToList();
        var names = new List<string>();
        foreach (var raw in value.Split(',', StringSplitOptions.TrimEntries))
        {
            if (raw.Length == 0) continue;
            if (!TryResolve(raw, byPci, out var gpu, out var instance))
            {
                warnings.Add($"CUDA_VISIBLE_DEVICES entry '{raw}' names no GPU of this machine: CUDA hides it and every entry after it");
                break;
            }
            if (instance is not null)
            {
                if (!whole.Contains(gpu!.Uuid)) mig[instance.Uuid] = instance.Share;
                names.Add($"{instance.Uuid} ({instance.Slices}/{instance.ParentSlices} of {gpu.Uuid})");
            }
            else
            {
                whole.Add(gpu!.Uuid);
                foreach (var m in gpu.MigInstances) mig.Remove(m.Uuid); // the whole parent already covers them
                names.Add(raw == gpu.Uuid ? gpu.Uuid : $"{raw} = {gpu.Uuid}");
            }
        }
        var description = names.Count == 0
            ? $"none (CUDA_VISIBLE_DEVICES='{value}')"
            : $"CUDA_VISIBLE_DEVICES='{value}': {string.Join(", ", names)}";
        return new GpuSelection(whole, mig, description, warnings);
    }

    private static bool TryResolve(string token, List<GpuIdentity> byPci, out GpuIdentity? gpu, out MigInstance? instance)
    {
        gpu = null;
        instance = null;
        if (int.TryParse(token, out var index))
        {
            if (index < 0 || index >= byPci.Count) return false;
            gpu = byPci[index];
            return true;
        }
        if (token.StartsWith("MIG-GPU-", StringComparison.Ordinal))
        {
            // Pre-R470 form MIG-GPU-<uuid>/<gi>/<ci>: the parent is known, the instance's size is not.
            var parent = token[4..].Split('/')[0];
            gpu = Unique(byPci.Where(g => g.Uuid.StartsWith(parent, StringComparison.OrdinalIgnoreCase)));
            instance = gpu?.MigInstances.FirstOrDefault();
            return gpu is not null && instance is not null;
        }
        if (token.StartsWith("MIG-", StringComparison.OrdinalIgnoreCase))
        {
            var matches = byPci.SelectMany(g => g.MigInstances.Select(m => (g, m)))
                .Where(p => p.m.Uuid.StartsWith(token, StringComparison.OrdinalIgnoreCase)).ToList();
            if (matches.Count != 1) return false;
            (gpu, instance) = matches[0];
            return true;
        }
        if (token.StartsWith("GPU-", StringComparison.OrdinalIgnoreCase))
        {
            gpu = Unique(byPci.Where(g => g.Uuid.StartsWith(token, StringComparison.OrdinalIgnoreCase)));
            return gpu is not null;
        }
        return false;
    }

    private static GpuIdentity? Unique(IEnumerable<GpuIdentity> candidates)
    {
        var list = candidates.Take(2).ToList();
        return list.Count == 1 ? list[0] : null;
    }

    /// <summary>"00000000:17:00.0" and "0000:17:00.0" name the same device: compare on bus:device.function, lower case.</summary>
    public static string NormalisePci(string busId)
    {
        var parts = busId.Trim().ToLowerInvariant().Split(':');
        return parts.Length == 3 ? $"{Convert.ToUInt32(parts[0], 16):x8}:{parts[1]}:{parts[2]}" : busId.Trim().ToLowerInvariant();
    }
}
