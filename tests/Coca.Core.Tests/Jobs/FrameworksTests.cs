using System.Text;
using Coca.Core.Jobs;

namespace Coca.Core.Tests.Jobs;

public class FrameworksTests
{
    [Theory]
    [InlineData("/x/torch/lib/libtorch.so", "pytorch")]
    [InlineData("/x/torch/lib/libtorch_cuda.so", "pytorch")]
    [InlineData("/x/torch/lib/libtorch_cpu.so (deleted)", "pytorch")]
    [InlineData("/x/tensorflow/libtensorflow_framework.so.2", "tensorflow")]
    [InlineData("/x/tensorflow/libtensorflow_cc.so.2", "tensorflow")]
    [InlineData("/x/jaxlib/xla_extension.so", "jax")]
    [InlineData("/x/site-packages/jaxlib/mlir/_mlir_libs/libjaxlib_mlir_capi.so", "jax")]
    [InlineData("/usr/lib/libcudnn_ops.so.9", "cuda")]
    [InlineData("/usr/local/cuda/lib64/libcudart.so.12", "cuda")]
    [InlineData("/usr/lib/libtorchy.so", null)]
    [InlineData("/usr/lib/libnvidia-ml.so.1", null)]
    [InlineData("/usr/lib/libc.so.6", null)]
    public void A_mapped_library_names_its_framework(string path, string? expected) =>
        Assert.Equal(expected, Frameworks.OfMappedPath(Encoding.UTF8.GetBytes(path)));

    [Fact]
    public void A_framework_is_more_specific_than_cuda_and_the_first_framework_is_kept()
    {
        Assert.Equal("pytorch", Frameworks.MoreSpecific("cuda", "pytorch"));
        Assert.Equal("pytorch", Frameworks.MoreSpecific("pytorch", "cuda"));
        Assert.Equal("jax", Frameworks.MoreSpecific("jax", "pytorch"));
        Assert.Equal("cuda", Frameworks.MoreSpecific(null, "cuda"));
        Assert.Null(Frameworks.MoreSpecific(null, null));
    }

    [Theory]
    [InlineData("pytorch", true)]
    [InlineData("onnx-runtime_2", true)]
    [InlineData("PyTorch", false)]
    [InlineData("", false)]
    [InlineData("a b", false)]
    [InlineData("x\n", false)]
    public void Names_the_ingest_accepts(string name, bool valid) => Assert.Equal(valid, Frameworks.IsValidName(name));
}
