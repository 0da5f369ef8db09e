using System.Reflection;
using System.Runtime.InteropServices;

namespace Coca.Sources.Nvml;

/// <summary>
/// Chooses the library behind <see cref="NvmlNative"/>: <c>libnvidia-ml.so.1</c> from the system,
/// or the path given with <c>--nvml-lib</c>. Checks every required function is exported before
/// anything is called, so a wrong library is one clear message, never a crash.
/// </summary>
/// <remarks>
/// The runtime binds each P/Invoke to its library once per process and a DllImport resolver can be
/// set once per assembly, so the binding is process-wide: the first library loaded stays, and a
/// later request for another path is refused with that reason. This is the one piece of static
/// state in the sources, forced by the runtime.
/// </remarks>
public static class NvmlLibrary
{
    public const string DefaultPath = "libnvidia-ml.so.1";

    private static readonly Lock Gate = new();
    private static nint s_handle;
    private static string? s_path;

    /// <summary>Loads and binds the library, or says why not.</summary>
    public static bool TryBind(string? path, out nint handle, out string? error)
    {
        path ??= DefaultPath;
        handle = 0;
        lock (Gate)
        {
            if (s_path is not null)
            {
                handle = s_handle;
                error = s_path == path ? null : $"NVML is already bound to {s_path} in this process; cannot switch to {path}";
                return error is null;
            }

            if (!NativeLibrary.TryLoad(path, out var loaded))
            {
                error = path == DefaultPath
                    ? $"cannot load {DefaultPath} (no NVIDIA driver installed, or not on the library path)"
                    : File.Exists(path) ? $"cannot load {path}: not a loadable shared library for this machine" : $"cannot load {path}: no such file";
                return false;
            }
            var missing = NvmlNative.RequiredSymbols.Where(s => !NativeLibrary.TryGetExport(loaded, s, out _)).ToList();
            if (missing.Count > 0)
            {
                NativeLibrary.Free(loaded);
                error = $"{path} lacks required NVML function(s) {string.Join(", ", missing)} (driver older than R470, or not NVML)";
                return false;
            }

            NativeLibrary.SetDllImportResolver(typeof(NvmlLibrary).Assembly, Resolve);
            handle = loaded;
            s_handle = loaded;
            s_path = path;
            error = null;
            return true;
        }
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == NvmlNative.Library ? s_handle : 0;
}
