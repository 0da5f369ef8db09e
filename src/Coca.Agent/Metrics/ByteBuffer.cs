using System.Globalization;

namespace Coca.Agent.Metrics;

/// <summary>
/// A growable UTF-8 buffer a connection keeps from request to request: rendering a scrape into it allocates
/// nothing once it has grown to the page's size. Room is kept at the front for the HTTP head, written last
/// (its Content-Length is only known once the body is).
/// </summary>
internal sealed class ByteBuffer
{
    public const int HeadRoom = 256;

    private byte[] _bytes = new byte[16 * 1024];
    private int _start = HeadRoom;
    private int _end = HeadRoom;

    /// <summary>The body written since the last <see cref="Clear"/>, and the head once <see cref="Prepend"/> has run.</summary>
    public ReadOnlySpan<byte> Written => _bytes.AsSpan(_start, _end - _start);

    public ReadOnlyMemory<byte> WrittenMemory => _bytes.AsMemory(_start, _end - _start);

    public int BodyLength => _end - HeadRoom;

    public void Clear() => _start = _end = HeadRoom;

    public ByteBuffer Append(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_bytes.AsSpan(_end));
        _end += bytes.Length;
        return this;
    }

    public ByteBuffer Append(byte b)
    {
        Ensure(1);
        _bytes[_end++] = b;
        return this;
    }

    /// <summary>Shortest round-trip form, invariant culture, as Prometheus reads it.</summary>
    public ByteBuffer Append(double value)
    {
        if (double.IsNaN(value)) return Append("NaN"u8);
        Ensure(32);
        value.TryFormat(_bytes.AsSpan(_end), out var n, default, CultureInfo.InvariantCulture);
        _end += n;
        return this;
    }

    public ByteBuffer Append(long value)
    {
        Ensure(20);
        value.TryFormat(_bytes.AsSpan(_end), out var n, default, CultureInfo.InvariantCulture);
        _end += n;
        return this;
    }

    /// <summary>The body, writable in place: for a filter that only shortens it (<see cref="Truncate"/>).</summary>
    public Span<byte> Body => _bytes.AsSpan(HeadRoom, _end - HeadRoom);

    /// <summary>Keeps the first <paramref name="bodyLength"/> bytes of the body.</summary>
    public void Truncate(int bodyLength) => _end = HeadRoom + Math.Clamp(bodyLength, 0, BodyLength);

    /// <summary>Puts the head in front of the body, in the room kept for it.</summary>
    public void Prepend(ReadOnlySpan<byte> head)
    {
        if (head.Length > HeadRoom) throw new ArgumentException("HTTP head longer than the room kept for it", nameof(head));
        _start = HeadRoom - head.Length;
        head.CopyTo(_bytes.AsSpan(_start));
    }

    private void Ensure(int more)
    {
        if (_end + more <= _bytes.Length) return;
        Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _end + more));
    }
}
