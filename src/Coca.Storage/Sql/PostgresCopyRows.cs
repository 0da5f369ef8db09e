using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace Coca.Storage.Sql;

/// <summary>
/// A PostgreSQL query read as its binary COPY (<c>COPY (query) TO STDOUT (FORMAT binary)</c>), parsed in place: each
/// field is a length and its bytes, read here without a reader object, a boxed value or a string per text (repeated
/// texts come from a pool, as SQLite's do). Npgsql's data reader spent several times the server's own time on a year
/// of jobs. A NULL reads as -1 or as an empty text, the convention of <see cref="AnalysisQueries"/>'s columns.
/// </summary>
internal sealed partial class PostgresCopyRows : IAnalysisRow, IDisposable
{
    // "PGCOPY\n\xff\r\n\0" (a u8 literal would write \xff as two bytes of UTF-8).
    private static ReadOnlySpan<byte> Signature => [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00];

    private readonly Stream _copy;
    private readonly Utf8StringPool _pool = new(100_000);
    private byte[] _buffer = new byte[1 << 16];
    private int _position, _end;
    private int[] _offsets = new int[32], _lengths = new int[32];
    private int _fields;

    private PostgresCopyRows(Stream copy)
    {
        _copy = copy;
        ReadHeader();
    }

    /// <summary>
    /// Starts the COPY of <paramref name="query"/>. COPY takes no parameters: each <c>@name</c> is written into the
    /// query as a literal (<see cref="Literal"/>).
    /// </summary>
    public static PostgresCopyRows Open(NpgsqlConnection connection, string query, IReadOnlyList<(string Name, object? Value)> args)
    {
        var inlined = Parameter().Replace(query, m => Literal(args.First(a => a.Name == m.Groups[1].Value).Value));
        return new PostgresCopyRows(connection.BeginRawBinaryCopy($"COPY ({inlined}) TO STDOUT (FORMAT binary)"));
    }

    /// <summary>A value as an SQL literal: numbers in digits; texts as escape strings (<c>E'…'</c>, each quote and backslash
    /// doubled), which mean only themselves whatever the session's standard_conforming_strings. A text with a NUL (which
    /// PostgreSQL cannot store, so no row holds it) becomes NULL, which equals nothing.</summary>
    internal static string Literal(object? value) => value switch
    {
        null => "NULL",
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        string s when s.Contains('\0', StringComparison.Ordinal) => "NULL",
        string s => "E'" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "'",
        var other => throw new InvalidOperationException($"cannot write a {other.GetType().Name} into a COPY query"),
    };

    [GeneratedRegex(@"@(\w+)")]
    private static partial Regex Parameter();

    /// <summary>Moves to the next row; false at the end of the COPY.</summary>
    public bool Next()
    {
        while (true)
        {
            var start = _position;
            if (TryParseRow(ref start) is { } more)
            {
                if (!more) return false;
                _position = start;
                return true;
            }
            if (!Fill()) throw new InvalidDataException("PostgreSQL's COPY ended inside a row");
        }
    }

    // The row at `at`, whole in the buffer: true (and `at` past it), false at the trailer, null when more bytes are needed.
    private bool? TryParseRow(ref int at)
    {
        if (_end - at < 2) return null;
        var count = BinaryPrimitives.ReadInt16BigEndian(_buffer.AsSpan(at));
        if (count == -1) return false;
        if (count > _offsets.Length)
        {
            _offsets = new int[count];
            _lengths = new int[count];
        }
        var p = at + 2;
        for (var i = 0; i < count; i++)
        {
            if (_end - p < 4) return null;
            var length = BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(p));
            p += 4;
            _lengths[i] = length;
            _offsets[i] = p;
            if (length <= 0) continue;
            if (_end - p < length) return null;
            p += length;
        }
        _fields = count;
        at = p;
        return true;
    }

    // Keeps the unread bytes (the start of a row), grows the buffer when a row is larger than it, and reads more.
    private bool Fill()
    {
        var unread = _end - _position;
        if (unread == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        _buffer.AsSpan(_position, unread).CopyTo(_buffer);
        _position = 0;
        _end = unread;
        var read = _copy.Read(_buffer, _end, _buffer.Length - _end);
        _end += read;
        return read > 0;
    }

    private void ReadHeader()
    {
        while (_end < Signature.Length + 8)
        {
            if (!Fill()) throw new InvalidDataException("PostgreSQL's COPY ended inside its header");
        }
        if (!_buffer.AsSpan(0, Signature.Length).SequenceEqual(Signature)) throw new InvalidDataException("not PostgreSQL's binary COPY format");
        var extension = BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(Signature.Length + 4));
        _position = Signature.Length + 8;
        while (_end - _position < extension)
        {
            if (!Fill()) throw new InvalidDataException("PostgreSQL's COPY ended inside its header");
        }
        _position += extension;
    }

    private ReadOnlySpan<byte> Field(int i)
    {
        if (i >= _fields) throw new IndexOutOfRangeException($"the COPY's rows have {_fields} fields, not {i + 1}");
        return _lengths[i] <= 0 ? [] : _buffer.AsSpan(_offsets[i], _lengths[i]);
    }

    public long Long(int i)
    {
        var f = Field(i);
        return f.Length switch
        {
            8 => BinaryPrimitives.ReadInt64BigEndian(f),
            4 => BinaryPrimitives.ReadInt32BigEndian(f),
            2 => BinaryPrimitives.ReadInt16BigEndian(f),
            0 when _lengths[i] < 0 => -1,
            _ => throw new InvalidDataException($"field {i} of the COPY is not an integer ({f.Length} bytes)"),
        };
    }

    public double Double(int i)
    {
        var f = Field(i);
        return f.Length switch
        {
            8 => BinaryPrimitives.ReadDoubleBigEndian(f),
            4 => BinaryPrimitives.ReadSingleBigEndian(f),
            0 when _lengths[i] < 0 => -1,
            _ => throw new InvalidDataException($"field {i} of the COPY is not a floating-point number ({f.Length} bytes)"),
        };
    }

    public string Text(int i) => Field(i) is { Length: > 0 } f ? Encoding.UTF8.GetString(f) : "";

    public string Repeated(int i) => Field(i) is var f && f.Length > 256 ? Encoding.UTF8.GetString(f) : _pool.Get(f);

    public ReadOnlySpan<char> Chars(int i, Span<char> buffer)
    {
        var f = Field(i);
        return f.Length <= buffer.Length ? buffer[..Encoding.UTF8.GetChars(f, buffer)] : Text(i);
    }

    public void Dispose() => _copy.Dispose();
}
