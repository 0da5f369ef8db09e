using Coca.TestSupport;

namespace Coca.Agent.Tests.Jobs;

[Collection(NvmlCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class JobActivityTests(NvmlCollection.Library library) : IDisposable
{
    private const string Libc = "/usr/lib/x86_64-linux-gnu/libc.so.6";
    private const string Cudart = "/opt/venv/lib/python3.11/site-packages/nvidia/cuda_runtime/lib/libcudart.so.12";
    private const string Torch = "/opt/venv/lib/python3.11/site-packages/torch/lib/libtorch_cuda.so";
    private const string Jax = "/opt/venv/lib/python3.11/site-packages/jaxlib/xla_extension.so";

    private readonly AgentFixture _f = new(library.Fresh(), gpus: 1);

    [Fact]
    public void A_batch_job_is_batch_and_its_framework_is_read_once_a_minute_until_a_framework_shows_then_never()
    {
        _f.Prolog("42", "0");
        _f.Cgroup("42", ["step_batch", "step_extern"], 500, 501);
        _f.Maps(500, Libc, Cudart);
        using var agent = _f.Agent();
        _f.Run(agent, 3);
        var book = agent.Books.Jobs["42"];
        Assert.Equal(("cuda", (bool?)false), (book.Framework, book.Interactive)); // pid 501 is gone: it tells nothing

        _f.Maps(500, Libc, Cudart, Torch); // torch loaded later
        _f.Run(agent, 10);
        Assert.Equal("cuda", book.Framework); // not read again within the minute
        _f.Run(agent, 60);
        Assert.Equal("pytorch", book.Framework);

        _f.Maps(500, Libc, Jax);
        _f.Run(agent, 130);
        Assert.Equal("pytorch", book.Framework); // found: no longer read
        Assert.DoesNotContain(_f.Log, l => l.Contains("tick failed", StringComparison.Ordinal));
    }

    [Fact]
    public void A_job_that_shows_no_framework_is_looked_at_after_doubling_gaps()
    {
        _f.Prolog("46", "0");
        _f.Cgroup("46", ["step_batch"], 800);
        _f.Maps(800, Libc);
        using var agent = _f.Agent();
        _f.Run(agent, 63); // looked at 2 s in, then a minute later
        _f.Maps(800, Libc, Torch);
        _f.Run(agent, 99);
        Assert.Null(agent.Books.Jobs["46"].Framework); // the next look is two minutes after the last
        _f.Run(agent, 4);
        Assert.Equal("pytorch", agent.Books.Jobs["46"].Framework);
    }

    [Fact]
    public void Only_numbered_steps_are_interactive_and_a_job_without_steps_is_decided_later()
    {
        _f.Prolog("43", "0");
        _f.Prolog("44", "0");
        _f.Cgroup("43", ["step_0", "step_extern"], 600);
        _f.Cgroup("44", ["step_extern"]);
        using var agent = _f.Agent();
        _f.Run(agent, 3);
        Assert.True(agent.Books.Jobs["43"].Interactive);
        Assert.Null(agent.Books.Jobs["44"].Interactive);
        Assert.Null(agent.Books.Jobs["43"].Framework); // no maps for pid 600

        _f.Cgroup("44", ["step_batch"]);
        _f.Run(agent, 60);
        Assert.False(agent.Books.Jobs["44"].Interactive);
    }

    [Fact]
    public void Numbered_steps_on_a_node_of_a_multi_node_job_do_not_say_interactive()
    {
        _f.Prolog("45", "0", ("SLURM_JOB_NODELIST", "gpu[01-02]"));
        _f.Cgroup("45", ["step_0"], 700);
        using var agent = _f.Agent();
        _f.Run(agent, 3);
        Assert.Null(agent.Books.Jobs["45"].Interactive); // its batch step may run on gpu01
    }

    public void Dispose() => _f.Dispose();
}
