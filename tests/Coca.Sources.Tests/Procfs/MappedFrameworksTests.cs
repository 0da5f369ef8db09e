using System.Text;
using Coca.Sources.Procfs;
using Coca.TestSupport;

namespace Coca.Sources.Tests.Procfs;

public sealed class MappedFrameworksTests : IDisposable
{
    private readonly TempDirectory _proc = new("coca-proc");

    private static string Line(string path, int n = 0) => $"7f{n:x8}000-7f{n:x8}fff r-xp 00000000 fd:01 {1000 + n}    {path}\n";

    private const string Libc = "/usr/lib/x86_64-linux-gnu/libc.so.6";
    private const string Python = "/usr/bin/python3.11";

    private void Maps(int pid, params string[] paths) => Write(pid, string.Concat(paths.Select((p, i) => Line(p, i))) + "7ffd0000-7ffd1000 rw-p 00000000 00:00 0    [stack]\n");

    private void Write(int pid, string text)
    {
        Directory.CreateDirectory(_proc.Combine(pid.ToString()));
        File.WriteAllText(_proc.Combine(pid.ToString(), "maps"), text);
    }

    [Fact]
    public void Torch_libraries_are_pytorch_even_with_the_cuda_runtime_mapped_first()
    {
        Maps(10, Python, Libc, "/opt/venv/lib/python3.11/site-packages/nvidia/cuda_runtime/lib/libcudart.so.12",
            "/opt/venv/lib/python3.11/site-packages/torch/lib/libtorch_cuda.so", "/opt/venv/lib/python3.11/site-packages/torch/lib/libtorch_cpu.so");
        Assert.Equal("pytorch", new MappedFrameworks(_proc.Path).Of([10]));
    }

    [Fact]
    public void Tensorflow_and_jax_libraries_are_named()
    {
        Maps(20, Python, "/opt/venv/lib/python3.11/site-packages/tensorflow/libtensorflow_framework.so.2");
        Maps(21, Python, "/opt/venv/lib/python3.11/site-packages/tensorflow/libtensorflow_cc.so.2");
        Maps(30, Python, "/opt/venv/lib/python3.11/site-packages/jaxlib/xla_extension.so");
        Maps(31, Python, "/opt/venv/lib/python3.11/site-packages/jaxlib/_jax.so");
        var maps = new MappedFrameworks(_proc.Path);
        Assert.Equal(["tensorflow", "tensorflow", "jax", "jax"], new[] { 20, 21, 30, 31 }.Select(maps.OfProcess));
    }

    [Fact]
    public void Cudnn_or_the_cuda_runtime_alone_is_cuda_and_nothing_is_null()
    {
        Maps(40, "/home/u/a.out", "/usr/local/cuda/lib64/libcudart.so.12.4.127");
        Maps(41, "/home/u/a.out", "/usr/lib/x86_64-linux-gnu/libcudnn.so.9");
        Maps(50, Python, Libc, "/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1"); // NVML alone is not CUDA work
        var maps = new MappedFrameworks(_proc.Path);
        Assert.Equal(["cuda", "cuda", null], new[] { 40, 41, 50 }.Select(maps.OfProcess));
        Assert.Null(maps.Of([50]));
    }

    [Fact]
    public void The_most_specific_over_all_processes_wins()
    {
        Maps(40, "/usr/local/cuda/lib64/libcudart.so.12");
        Maps(10, "/opt/torch/lib/libtorch.so");
        Assert.Equal("pytorch", new MappedFrameworks(_proc.Path).Of([40, 10]));
        Assert.Equal("cuda", new MappedFrameworks(_proc.Path).Of([50, 40]));
    }

    [Fact]
    public void A_vanished_process_tells_nothing_and_the_others_still_count()
    {
        Maps(10, "/opt/torch/lib/libtorch_cuda.so");
        Directory.CreateDirectory(_proc.Combine("77")); // exited between the pid list and its maps: no maps file
        Assert.Null(new MappedFrameworks(_proc.Path).OfProcess(77));
        Assert.Null(new MappedFrameworks(_proc.Path).OfProcess(99999));
        Assert.Equal("pytorch", new MappedFrameworks(_proc.Path).Of([99999, 77, 10]));
    }

    [Fact]
    public void A_maps_file_of_megabytes_is_streamed_and_lines_across_the_buffer_edge_are_read_whole()
    {
        // 40,000 regions (≈ 5 MB) before the framework: lines fall across every 64 KiB boundary.
        var text = new StringBuilder();
        for (var i = 0; i < 40_000; i++) text.Append(Line($"/opt/venv/lib/python3.11/site-packages/some/package/module_{i}.cpython-311-x86_64-linux-gnu.so", i));
        text.Append(Line("/opt/venv/lib/python3.11/site-packages/torch/lib/libtorch_cuda.so", 1));
        Write(60, text.ToString());
        Assert.True(new FileInfo(_proc.Combine("60", "maps")).Length > 4_000_000);
        Assert.Equal("pytorch", new MappedFrameworks(_proc.Path).OfProcess(60));
    }

    [Fact]
    public void A_line_longer_than_the_buffer_is_skipped_and_the_next_is_read()
    {
        var longPath = "/" + new string('x', MappedFrameworks.BufferBytes + 100) + "/libtorch_cuda.so"; // its name falls past the buffer
        Write(61, Line(longPath) + Line("/usr/local/cuda/lib64/libcudart.so.12"));
        Assert.Equal("cuda", new MappedFrameworks(_proc.Path).OfProcess(61));
    }

    [Fact]
    public void A_last_line_without_a_newline_is_read()
    {
        Write(62, Line(Libc) + Line("/opt/jaxlib/xla_extension.so").TrimEnd('\n'));
        Assert.Equal("jax", new MappedFrameworks(_proc.Path).OfProcess(62));
    }

    public void Dispose() => _proc.Dispose();
}
