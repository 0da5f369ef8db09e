namespace Coca.Core.Jobs;

/// <summary>
/// The ML framework a job used, named from the shared libraries its processes mapped (<c>/proc/PID/maps</c>):
/// <c>libtorch*</c> (libtorch, libtorch_cpu, libtorch_cuda…) is <c>pytorch</c>; <c>libtensorflow_framework</c> and
/// <c>libtensorflow_cc</c> are <c>tensorflow</c>; anything under a <c>jaxlib/</c> folder, or <c>xla_extension</c>, is
/// <c>jax</c>; <c>libcudnn*</c> or <c>libcudart*</c> alone is <c>cuda</c>. A framework is more specific than
/// <c>cuda</c> (every framework on a GPU maps the CUDA runtime too): the most specific seen wins, and between two
/// frameworks the first seen is kept.
/// </summary>
public static class Frameworks
{
    public const string PyTorch = "pytorch";
    public const string TensorFlow = "tensorflow";
    public const string Jax = "jax";
    public const string Cuda = "cuda";

    /// <summary>Longest name the ingest accepts (newer agents may name frameworks this one does not know).</summary>
    public const int MaxNameLength = 32;

    /// <summary>0 none, 1 <c>cuda</c>, 2 a framework.</summary>
    public static int Specificity(string? name) => name switch
    {
        null or "" => 0,
        Cuda => 1,
        _ => 2,
    };

    /// <summary>The more specific of two; <paramref name="kept"/> on a tie.</summary>
    public static string? MoreSpecific(string? kept, string? other) => Specificity(other) > Specificity(kept) ? other : kept;

    /// <summary>Whether a name may be stored: 1 to <see cref="MaxNameLength"/> lowercase letters, digits, <c>_</c> or <c>-</c>.</summary>
    public static bool IsValidName(string? name) =>
        name is { Length: > 0 and <= MaxNameLength } && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-');

    /// <summary>The framework a mapped file's path (UTF-8, as in <c>/proc/PID/maps</c>) names; null when none.</summary>
    public static string? OfMappedPath(ReadOnlySpan<byte> path)
    {
        var slash = path.LastIndexOf((byte)'/');
        var name = slash >= 0 ? path[(slash + 1)..] : path;
        if (name.StartsWith("libtorch."u8) || name.StartsWith("libtorch_"u8)) return PyTorch;
        if (name.StartsWith("libtensorflow_framework"u8) || name.StartsWith("libtensorflow_cc"u8)) return TensorFlow;
        if (name.StartsWith("xla_extension"u8) || path.IndexOf("/jaxlib/"u8) >= 0) return Jax;
        if (name.StartsWith("libcudnn"u8) || name.StartsWith("libcudart"u8)) return Cuda;
        return null;
    }
}
