using Coca.TestSupport;

namespace Coca.Agent.Tests;

/// <summary>
/// One NVML test library per process (the runtime binds NVML once, and refuses another path): the agent tests that
/// read GPUs share it and run one at a time, each writing the GPUs it needs before it starts an agent.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NvmlCollection : ICollectionFixture<NvmlCollection.Library>
{
    public const string Name = "one NVML library";

    public sealed class Library : IDisposable
    {
        public FakeNvml Nvml { get; } = new();

        /// <summary>The library with no GPUs described yet.</summary>
        public FakeNvml Fresh()
        {
            Nvml.Gpus.Clear();
            Nvml.ReloadMs = null;
            return Nvml;
        }

        public void Dispose() => Nvml.Dispose();
    }
}
