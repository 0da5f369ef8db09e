namespace Coca.Core.Extrapolation;

/// <summary>
/// The built-in <c>--target jean-zay</c>: IDRIS's Jean Zay (GENCI/CNRS, Saclay) from public figures, each with its
/// source; where no figure is published the range is a stated assumption and says so. docs/extrapolate.md repeats them.
/// A site that knows better writes its own file with the same keys.
/// </summary>
public static class JeanZayProfile
{
    public const string Toml = """
        name = "jean-zay"

        [gpus]
        # 364 nodes x 4 H100 SXM5 80 GB: the 2024 extension (GENCI/IDRIS announcement, March 2024: "1 456 GPU H100", 125.9 PFlop/s).
        h100 = 1456
        # 52 nodes x 8 A100 SXM4 80 GB (IDRIS, Jean Zay GPU partitions, gpu_p5).
        a100 = 416
        # 261 nodes x 4 V100 SXM2 32 GB: the 2019 configuration (CNRS/IDRIS). The 2020 extensions (gpu_p2, gpu_p3) added
        # more V100, not counted here: their number was not verified for this profile, so this is a lower bound.
        v100 = 1044

        [tdp_w]
        # NVIDIA data sheets: H100 SXM5 up to 700 W, A100 SXM4 400 W, V100 SXM2 300 W.
        h100 = 700
        a100 = 400
        v100 = 300

        [utilisation]
        # Share of GPU-hours allocated over a year. Assumption (no published Jean Zay figure found): national centres
        # run their accelerated partitions mostly full; 70 to 90 %.
        low = 0.70
        mid = 0.80
        high = 0.90

        [pue]
        # Assumption (no published Jean Zay PUE found): warm-water-cooled French national centres, 1.1 to 1.4.
        low = 1.10
        mid = 1.25
        high = 1.40

        [carbon]
        # France's grid, gCO2e/kWh: RTE eCO2mix, 2023 yearly mean of direct emissions ~32 (low); ADEME Base Empreinte,
        # mean mix with its life cycle ~52 (mid); winter evening peaks ~80 (high).
        low = 30
        mid = 52
        high = 80

        [idle_w]
        # An unallocated GPU with its share of its node's idle draw (CPUs, memory, fans, network), W. Assumption from
        # measured idle draws of A100/H100 boards (~50-70 W) plus a node share.
        low = 70
        mid = 100
        high = 140
        """;
}
