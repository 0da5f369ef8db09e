using Coca.Core.Attribution;
using System.Buffers.Text;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Win32.SafeHandles;

namespace Coca.Agent.State;

/// <summary>
/// The books on disk: two slot files, <c>&lt;state-dir&gt;/agent-state.0.jsonl</c> and <c>agent-state.1.jsonl</c>, written
/// in turn. Each holds two JSON lines — a header (sequence number, length and CRC-32C of the books) and the books —
/// then spaces where an earlier, longer save ended. A save overwrites the older slot in place and flushes its data
/// (fdatasync); a SIGKILL or a power cut mid-write leaves that slot failing its check, and the other holds the save
/// before. Loading takes the valid slot with the higher sequence.
/// </summary>
/// <remarks>
/// The agent saves every minute and at each job edge. Replacing one file by rename made a new inode each time
/// (create, rename, free the old one) and cost 200–400 µs of CPU on ext4; the slots are opened once and rewritten
/// in place, with nothing allocated. An <c>agent-state.json</c> left by an earlier version is read when no slot is.
/// </remarks>
public sealed partial class StateFile(string stateDirectory) : IDisposable
{
    private readonly string[] _slots = [SlotPath(stateDirectory, 0), SlotPath(stateDirectory, 1)];
    private readonly SafeFileHandle?[] _handles = new SafeFileHandle?[2];
    private readonly long[] _lengths = new long[2];
    private readonly StateWriter _writer = new();
    private readonly byte[] _header = new byte[96];
    private byte[] _buffer = new byte[32 * 1024];
    private long _sequence;
    private bool _loaded;

    /// <summary>Where versions before the slot files kept the books.</summary>
    public string LegacyPath { get; } = System.IO.Path.Combine(stateDirectory, "agent-state.json");

    public static string SlotPath(string stateDirectory, int slot) => System.IO.Path.Combine(stateDirectory, $"agent-state.{slot}.jsonl");

    /// <summary>The newest books saved in <paramref name="stateDirectory"/>, or null (for tools and tests: nothing is kept open).</summary>
    public static Books? Read(string stateDirectory)
    {
        using var file = new StateFile(stateDirectory);
        return file.Load(out _);
    }

    public Books? Load(out string? problem)
    {
        problem = null;
        _loaded = true;
        Books? newest = null;
        List<string>? bad = null;
        for (var slot = 0; slot < 2; slot++)
        {
            if (!File.Exists(_slots[slot])) continue;
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(_slots[slot]);
            }
            catch (IOException e)
            {
                (bad ??= []).Add($"{_slots[slot]} ({e.Message})");
                continue;
            }
            _lengths[slot] = bytes.Length;
            if (!TryParse(bytes, out var sequence, out var state, out var why))
            {
                (bad ??= []).Add($"{_slots[slot]} ({why})");
                continue;
            }
            if (newest is null || sequence > _sequence)
            {
                newest = state;
                _sequence = sequence;
            }
        }
        if (newest is null && File.Exists(LegacyPath))
        {
            try
            {
                newest = JsonSerializer.Deserialize(File.ReadAllText(LegacyPath), AgentJsonContext.Default.Books);
            }
            catch (Exception e) when (e is JsonException or IOException)
            {
                (bad ??= []).Add($"{LegacyPath} ({e.Message})");
            }
        }
        if (bad is not null)
        {
            // A slot cut short by a crash is expected, and the other slot has the save before: say so only when nothing was read.
            problem = newest is null
                ? $"unreadable books: {string.Join("; ", bad)}; starting from zero and keeping each as .bad"
                : $"kept the newest whole books; skipped {string.Join("; ", bad)}";
            if (newest is null) KeepUnreadable();
        }
        return newest;
    }

    // Starting from zero loses the books: what could not be read stays beside them for a person to look at.
    private void KeepUnreadable()
    {
        foreach (var path in (string[])[.. _slots, LegacyPath])
        {
            if (File.Exists(path)) File.Copy(path, path + ".bad", overwrite: true);
        }
    }

    public void Save(Books state)
    {
        if (!_loaded) Load(out _); // the slots' sequences and lengths: a save must go over the older one, and cover its tail
        var books = _writer.Write(state);
        var sequence = _sequence + 1;
        var slot = (int)(sequence & 1);
        var headerLength = WriteHeader(_header, sequence, books.Length, Crc32C(books));
        var length = headerLength + books.Length + 1;
        var padded = (int)Math.Max(length, _lengths[slot]); // spaces over the tail of a longer earlier save: no truncation, no metadata change
        if (_buffer.Length < padded) _buffer = new byte[Math.Max(padded, _buffer.Length * 2)];
        var bytes = _buffer.AsSpan(0, padded);
        _header.AsSpan(0, headerLength).CopyTo(bytes);
        books.CopyTo(bytes[headerLength..]);
        bytes[length - 1] = (byte)'\n';
        bytes[length..].Fill((byte)' ');

        var handle = _handles[slot] ??= OpenSlot(_slots[slot]);
        RandomAccess.Write(handle, bytes, 0);
        if (FlushData(handle) != 0) RandomAccess.FlushToDisk(handle); // fdatasync refused (some filesystems): fsync
        _lengths[slot] = padded;
        // The first save supersedes an earlier version's file: were both slots ever unreadable, it must not come back.
        if (_sequence == 0) File.Delete(LegacyPath);
        _sequence = sequence;
    }

    // Root's only: the books hold every job's figures. Set on each opening, since earlier versions made them 0644.
    private static SafeFileHandle OpenSlot(string path)
    {
        var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.Write);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(handle, Coca.Slurm.Files.OwnerOnly.FileMode);
        return handle;
    }

    // {"sequence":N,"length":N,"crc32c":N} and a newline, formatted by hand: interpolation boxes the numbers before tier-1 code.
    private static int WriteHeader(Span<byte> header, long sequence, int length, uint crc)
    {
        var n = 0;
        Append(header, ref n, "{\"sequence\":"u8);
        Utf8Formatter.TryFormat(sequence, header[n..], out var w);
        n += w;
        Append(header, ref n, ",\"length\":"u8);
        Utf8Formatter.TryFormat(length, header[n..], out w);
        n += w;
        Append(header, ref n, ",\"crc32c\":"u8);
        Utf8Formatter.TryFormat(crc, header[n..], out w);
        n += w;
        Append(header, ref n, "}\n"u8);
        return n;
    }

    private static void Append(Span<byte> into, ref int at, ReadOnlySpan<byte> text)
    {
        text.CopyTo(into[at..]);
        at += text.Length;
    }

    private static bool TryParse(ReadOnlySpan<byte> bytes, out long sequence, out Books? state, out string why)
    {
        sequence = 0;
        state = null;
        var newline = bytes.IndexOf((byte)'\n');
        if (newline < 0)
        {
            why = "no header line";
            return false;
        }
        SlotHeader? header;
        try
        {
            header = JsonSerializer.Deserialize(bytes[..newline], AgentJsonContext.Default.SlotHeader);
        }
        catch (JsonException e)
        {
            why = $"bad header: {e.Message}";
            return false;
        }
        var body = bytes[(newline + 1)..];
        if (header is null || header.Length < 0 || header.Length > body.Length)
        {
            why = "cut short";
            return false;
        }
        body = body[..(int)header.Length];
        if (Crc32C(body) != header.Crc32C)
        {
            why = "checksum mismatch: a save cut short";
            return false;
        }
        try
        {
            state = JsonSerializer.Deserialize(body, AgentJsonContext.Default.Books);
        }
        catch (JsonException e)
        {
            why = e.Message;
            return false;
        }
        sequence = header.Sequence;
        why = "";
        return state is not null;
    }

    internal static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, MemoryMarshal.Read<ulong>(data));
            data = data[8..];
        }
        foreach (var b in data) crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }

    private static int FlushData(SafeFileHandle handle)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return Fdatasync((int)handle.DangerousGetHandle());
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int Fdatasync(int fd);

    public void Dispose()
    {
        foreach (var handle in _handles) handle?.Dispose();
    }
}

internal sealed record SlotHeader(long Sequence, long Length, [property: JsonPropertyName("crc32c")] uint Crc32C);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(Books))]
[JsonSerializable(typeof(SlotHeader))]
[JsonSerializable(typeof(Coca.Core.Reports.JobReport))]
internal sealed partial class AgentJsonContext : JsonSerializerContext;
