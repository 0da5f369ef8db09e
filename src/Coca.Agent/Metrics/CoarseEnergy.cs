namespace Coca.Agent.Metrics;

/// <summary>
/// The resolution policy for a /metrics page served without authentication: every energy counter (device, job,
/// idle, unattributed) is floored to whole joules and every power to whole watts, so that a local user who can
/// reach the port learns no more than a joule per tick (PLATYPUS, CVE-2020-8694, needs microjoules at kHz rates).
/// Works in place on the rendered page, so that an anonymous scrape costs one pass over it and allocates nothing.
/// </summary>
internal static class CoarseEnergy
{
    private static readonly byte[][] Families =
    [
        "coca_device_energy_joules_total{"u8.ToArray(),
        "coca_job_energy_joules_total{"u8.ToArray(),
        "coca_idle_energy_joules_total{"u8.ToArray(),
        "coca_unattributed_energy_joules_total{"u8.ToArray(),
        "coca_device_power_watts{"u8.ToArray(),
    ];

    public static void Apply(ByteBuffer page) => page.Truncate(Apply(page.Body));

    /// <summary>Drops the fraction of the values of the energy and power series; returns the new length.</summary>
    public static int Apply(Span<byte> body)
    {
        var w = 0;
        var r = 0;
        while (r < body.Length)
        {
            var newline = body[r..].IndexOf((byte)'\n');
            var end = newline < 0 ? body.Length : r + newline;
            var line = body[r..end];
            var keep = line.Length;
            var space = line.LastIndexOf((byte)' ');
            if (space > 0 && IsCoarse(line))
            {
                var value = line[(space + 1)..];
                var dot = value.IndexOf((byte)'.');
                // 1.2E+16 is already coarser than a joule: left as it is.
                if (dot >= 0 && value.IndexOfAny((byte)'E', (byte)'e') < 0) keep = space + 1 + dot;
            }
            line[..keep].CopyTo(body[w..]);
            w += keep;
            if (newline < 0) break;
            body[w++] = (byte)'\n';
            r = end + 1;
        }
        return w;
    }

    private static bool IsCoarse(ReadOnlySpan<byte> line)
    {
        if (line.Length == 0 || line[0] != (byte)'c') return false;
        foreach (var family in Families)
        {
            if (line.StartsWith(family)) return true;
        }
        return false;
    }
}
