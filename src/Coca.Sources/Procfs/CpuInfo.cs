namespace Coca.Sources.Procfs;

/// <summary>What <c>/proc/cpuinfo</c> says about this machine's CPUs.</summary>
public sealed record CpuInfo(string ModelName, int LogicalCpus, int PhysicalCores, int Sockets)
{
    public static CpuInfo Read(string procfsRoot = "/proc")
    {
        string text;
        try
        {
            text = File.ReadAllText(Path.Combine(procfsRoot, "cpuinfo"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new CpuInfo("", Math.Max(1, Environment.ProcessorCount), Math.Max(1, Environment.ProcessorCount), 1);
        }
        return Parse(text);
    }

    public static CpuInfo Parse(string text)
    {
        var model = "";
        var logical = 0;
        var cores = new HashSet<(string, string)>();
        var sockets = new HashSet<string>();
        string physical = "0";
        foreach (var raw in text.Split('\n'))
        {
            var colon = raw.IndexOf(':');
            if (colon < 0) continue;
            var key = raw[..colon].Trim();
            var value = raw[(colon + 1)..].Trim();
            switch (key)
            {
                case "processor":
                    logical++;
                    break;
                case "model name" or "Model Name" when model.Length == 0:
                    model = value;
                    break;
                case "physical id":
                    physical = value;
                    sockets.Add(value);
                    break;
                case "core id":
                    cores.Add((physical, value));
                    break;
            }
        }
        logical = Math.Max(1, logical);
        return new CpuInfo(model, logical, cores.Count > 0 ? cores.Count : logical, Math.Max(1, sockets.Count));
    }
}
