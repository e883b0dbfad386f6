using System.Buffers.Binary;
using System.IO.Compression;
using AutoencoderNotebooks.Platform;

namespace AutoencoderNotebooks.Data;

/// <summary>The pixels of an IDX image file: <c>Count</c> images of <c>Rows</c> × <c>Columns</c> bytes. (chapter 0)</summary>
public sealed record IdxImages(byte[] Pixels, int Count, int Rows, int Columns);

/// <summary>
/// Reads and writes the IDX format of MNIST and Fashion-MNIST (chapter 0), gzipped or raw; a gzip file is
/// recognised by its content, not its name. Every error names the file and what is wrong with it.
/// </summary>
public static class IdxFile
{
    /// <summary>Magic number of an unsigned-byte IDX file with three dimensions (images).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an unsigned-byte IDX file with one dimension (labels).</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>Reads an image file.</summary>
    /// <exception cref="InvalidDataException">Wrong magic number, truncated data or corrupt gzip.</exception>
    public static IdxImages ReadImages(string path)
    {
        var bytes = ReadContent(path);
        CheckMagic(path, bytes, ImagesMagic, "images");
        if (bytes.Length < 16) throw Truncated(path, 16, bytes.Length);
        var count = Dimension(path, bytes, 4);
        var rows = Dimension(path, bytes, 8);
        var columns = Dimension(path, bytes, 12);
        var expected = 16 + (long)count * rows * columns;
        if (bytes.Length < expected) throw Truncated(path, expected, bytes.Length);
        return new IdxImages(bytes.AsSpan(16, (int)(expected - 16)).ToArray(), count, rows, columns);
    }

    /// <summary>Reads a label file.</summary>
    /// <exception cref="InvalidDataException">Wrong magic number, truncated data or corrupt gzip.</exception>
    public static byte[] ReadLabels(string path)
    {
        var bytes = ReadContent(path);
        CheckMagic(path, bytes, LabelsMagic, "labels");
        if (bytes.Length < 8) throw Truncated(path, 8, bytes.Length);
        var count = Dimension(path, bytes, 4);
        if (bytes.Length < 8L + count) throw Truncated(path, 8L + count, bytes.Length);
        return bytes.AsSpan(8, count).ToArray();
    }

    /// <summary>Writes images in IDX format, gzipped when <paramref name="gzip"/> is true.</summary>
    public static void WriteImages(string path, IdxImages images, bool gzip = true)
    {
        var content = new byte[16 + images.Pixels.Length];
        BinaryPrimitives.WriteInt32BigEndian(content, ImagesMagic);
        BinaryPrimitives.WriteInt32BigEndian(content.AsSpan(4), images.Count);
        BinaryPrimitives.WriteInt32BigEndian(content.AsSpan(8), images.Rows);
        BinaryPrimitives.WriteInt32BigEndian(content.AsSpan(12), images.Columns);
        images.Pixels.CopyTo(content, 16);
        WriteContent(path, content, gzip);
    }

    /// <summary>Writes labels in IDX format, gzipped when <paramref name="gzip"/> is true.</summary>
    public static void WriteLabels(string path, byte[] labels, bool gzip = true)
    {
        var content = new byte[8 + labels.Length];
        BinaryPrimitives.WriteInt32BigEndian(content, LabelsMagic);
        BinaryPrimitives.WriteInt32BigEndian(content.AsSpan(4), labels.Length);
        labels.CopyTo(content, 8);
        WriteContent(path, content, gzip);
    }

    /// <summary>The file's IDX bytes, decompressed when the file is gzip.</summary>
    /// <exception cref="InvalidDataException">The gzip stream is corrupt or cut short.</exception>
    public static byte[] ReadContent(string path)
    {
        var raw = File.ReadAllBytes(path);
        return IsGzip(raw) ? Gunzip(raw, path) : raw;
    }

    /// <summary>True when <paramref name="bytes"/> start with the gzip magic number.</summary>
    public static bool IsGzip(ReadOnlySpan<byte> bytes) => bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;

    /// <summary>Decompresses gzip bytes; <paramref name="name"/> is used in the error message.</summary>
    /// <exception cref="InvalidDataException">The gzip stream is corrupt or cut short.</exception>
    public static byte[] Gunzip(byte[] gz, string name)
    {
        try
        {
            using var input = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
            // The gzip trailer's last four bytes are the uncompressed size (mod 2³²): read into an array of that size
            // instead of a growing stream, which would allocate several times the data set on the way.
            var expected = gz.Length >= 18 ? BinaryPrimitives.ReadUInt32LittleEndian(gz.AsSpan(gz.Length - 4)) : 0u;
            if (expected is > 0 and < int.MaxValue)
            {
                var content = new byte[expected];
                input.ReadExactly(content);
                if (input.ReadByte() < 0) return content;
            }
            using var output = new MemoryStream();
            using var again = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
            again.CopyTo(output);
            return output.ToArray();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            throw new InvalidDataException($"{name}: corrupt gzip data ({e.Message}). Delete the file and fetch it again.", e);
        }
    }

    // Atomic: a reader never sees a half-written IDX file, and a failure leaves the old one in place.
    private static void WriteContent(string path, byte[] content, bool gzip) => AtomicFile.Write(path, temp =>
    {
        using var file = File.Create(temp);
        if (!gzip)
        {
            file.Write(content);
            return;
        }
        using var zip = new GZipStream(file, CompressionLevel.SmallestSize);
        zip.Write(content);
    });

    private static void CheckMagic(string path, byte[] bytes, int expected, string what)
    {
        if (bytes.Length < 4) throw Truncated(path, 4, bytes.Length);
        var magic = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (magic != expected)
            throw new InvalidDataException(
                $"{path}: wrong magic number 0x{magic:x8} for IDX {what} (expected 0x{expected:x8}). Is this the right file?");
    }

    private static int Dimension(string path, byte[] bytes, int offset)
    {
        var value = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset));
        if (value < 0) throw new InvalidDataException($"{path}: negative IDX dimension {value} at byte {offset}.");
        return value;
    }

    private static InvalidDataException Truncated(string path, long expected, long actual) =>
        new($"{path}: truncated IDX file: needs {expected:N0} bytes, has {actual:N0}. Delete it and fetch it again.");
}
