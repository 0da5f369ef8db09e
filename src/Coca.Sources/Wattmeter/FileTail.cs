using System.Text;

namespace Coca.Sources.Wattmeter;

/// <summary>
/// The complete lines appended to a growing file since the last call (a wattmeter's logger, a serial reader's output).
/// A file that became shorter was rotated or truncated: it is read again from its start. A line still being written
/// (no newline yet) waits for the next call.
/// </summary>
public sealed class FileTail(string path)
{
    private long _position;
    private readonly StringBuilder _partial = new();

    public string Path => path;

    /// <summary>Whether the last call started the file over (rotation, truncation): the next lines begin with a header.</summary>
    public bool Restarted { get; private set; }

    public List<string> ReadNewLines(int maxBytes = 4 << 20)
    {
        var lines = new List<string>();
        Restarted = false;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length < _position)
        {
            _position = 0;
            _partial.Clear();
            Restarted = true;
        }
        stream.Position = _position;
        var buffer = new byte[Math.Min(maxBytes, Math.Max(0, stream.Length - _position))];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        _position += read;
        var text = Encoding.UTF8.GetString(buffer, 0, read);
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\n') continue;
            _partial.Append(text, start, i - start);
            lines.Add(_partial.ToString());
            _partial.Clear();
            start = i + 1;
        }
        _partial.Append(text, start, text.Length - start);
        return lines;
    }
}
