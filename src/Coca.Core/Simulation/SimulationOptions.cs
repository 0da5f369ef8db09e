namespace Coca.Core.Simulation;

/// <summary>
/// What <c>coca simulate</c> builds: a cluster of <see cref="Nodes"/> nodes of <see cref="GpusPerNode"/> GPUs, used by
/// <see cref="Users"/> people for <see cref="Days"/> days from <see cref="Start"/>. The same options give the same bytes.
/// </summary>
public sealed record SimulationOptions
{
    public int Nodes { get; init; } = 12;
    public int GpusPerNode { get; init; } = 8;
    public int Users { get; init; } = 99;
    public int Days { get; init; } = 30;
    public ulong Seed { get; init; } = 1;

    /// <summary>A fixed Monday, not today: the output must not depend on when it is run.</summary>
    public DateTimeOffset Start { get; init; } = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    public const int MaxNodes = 10_000, MaxGpusPerNode = 16, MaxUsers = 100_000, MaxDays = 3_660;

    /// <summary>Null when the options are usable; else the first problem, as one line.</summary>
    public string? Problem() =>
        Nodes is < 1 or > MaxNodes ? $"--nodes must be from 1 to {MaxNodes}"
        : GpusPerNode is < 1 or > MaxGpusPerNode ? $"--gpus-per-node must be from 1 to {MaxGpusPerNode}"
        : Users is < 1 or > MaxUsers ? $"--users must be from 1 to {MaxUsers}"
        : Days is < 1 or > MaxDays ? $"--days must be from 1 to {MaxDays}"
        : null;
}
