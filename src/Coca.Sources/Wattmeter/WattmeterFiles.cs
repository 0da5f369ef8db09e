using System.IO.Compression;

namespace Coca.Sources.Wattmeter;

/// <summary>
/// A wattmeter's recorded samples: one file, a <c>.zip</c> archive of files, or a directory of daily files (rotated,
/// zipped or not), read in name order — the names of rotated files sort by day. Each file begins with its header.
/// </summary>
public static class WattmeterFiles
{
    /// <summary>Every sample in <paramref name="path"/>, with the parser's counts of what it skipped.</summary>
    public static (List<WattmeterSample> Samples, WattmeterLines Parser) Read(string path, WattmeterFormat format, ChannelMap? channels)
    {
        var parser = new WattmeterLines(format, channels);
        var samples = new List<WattmeterSample>();
        foreach (var file in FilesOf(path))
        {
            if (file.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            {
                using var zip = ZipFile.OpenRead(file);
                foreach (var entry in zip.Entries.Where(e => e.Length > 0).OrderBy(e => e.FullName, StringComparer.Ordinal))
                {
                    using var reader = new StreamReader(entry.Open());
                    ReadAll(reader, parser, samples);
                }
            }
            else
            {
                using var reader = new StreamReader(file);
                ReadAll(reader, parser, samples);
            }
        }
        samples.Sort((a, b) => a.Time.CompareTo(b.Time));
        return (samples, parser);
    }

    private static IEnumerable<string> FilesOf(string path)
    {
        if (Directory.Exists(path)) return Directory.EnumerateFiles(path).Where(f => !Path.GetFileName(f).StartsWith('.')).OrderBy(f => f, StringComparer.Ordinal);
        if (File.Exists(path)) return [path];
        throw new FileNotFoundException($"wattmeter file {path} does not exist");
    }

    private static void ReadAll(StreamReader reader, WattmeterLines parser, List<WattmeterSample> samples)
    {
        parser.Reset();
        while (reader.ReadLine() is { } line) parser.Read(line, samples);
    }
}
