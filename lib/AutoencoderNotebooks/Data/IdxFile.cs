using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
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

    /// <summary>No MNIST-format file holds more IDX bytes than this (Fashion-MNIST's largest: 47 MB); reading stops beyond it.</summary>
    public const long MaxContentBytes = 256L * 1024 * 1024;

    /// <summary>Reads an image file, verified against <paramref name="expected"/> when given (its size and checksum).</summary>
    /// <exception cref="InvalidDataException">Wrong magic number, truncated data, corrupt gzip, or not the expected file.</exception>
    public static IdxImages ReadImages(string path, DatasetFile? expected = null)
    {
        var bytes = ReadContent(path, expected);
        CheckMagic(path, bytes, ImagesMagic, "images");
        if (bytes.Length < 16) throw Truncated(path, 16, bytes.Length);
        var count = Dimension(path, bytes, 4);
        var rows = Dimension(path, bytes, 8);
        var columns = Dimension(path, bytes, 12);
        var needed = 16 + (long)count * rows * columns;
        if (bytes.Length < needed) throw Truncated(path, needed, bytes.Length);
        return new IdxImages(bytes.AsSpan(16, (int)(needed - 16)).ToArray(), count, rows, columns);
    }

    /// <summary>Reads a label file, verified against <paramref name="expected"/> when given (its size and checksum).</summary>
    /// <exception cref="InvalidDataException">Wrong magic number, truncated data, corrupt gzip, or not the expected file.</exception>
    public static byte[] ReadLabels(string path, DatasetFile? expected = null)
    {
        var bytes = ReadContent(path, expected);
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

    /// <summary>
    /// The file's IDX bytes, decompressed when the file is gzip, never more than <paramref name="expected"/>'s size (or
    /// <see cref="MaxContentBytes"/>); when <paramref name="expected"/> has a checksum, the bytes must match it.
    /// </summary>
    /// <exception cref="InvalidDataException">Corrupt, cut short, too large, or other bytes than expected.</exception>
    public static byte[] ReadContent(string path, DatasetFile? expected = null)
    {
        var limit = expected is { ContentBytes: > 0 } ? expected.ContentBytes : MaxContentBytes;
        // A gzip file is never much larger than what it holds; refuse a larger one before reading it into memory.
        var length = new FileInfo(path).Length;
        if (length > limit + 1024 * 1024)
            throw new InvalidDataException($"{path}: {length:N0} bytes, more than {(expected is null ? "any MNIST-format file" : expected.Name)} can hold ({limit:N0}). Is this the right file?");
        var raw = File.ReadAllBytes(path);
        var content = IsGzip(raw) ? Gunzip(raw, path, limit) : raw;
        if (expected is null) return content;
        if (expected.ContentBytes > 0 && content.Length != expected.ContentBytes)
            throw new InvalidDataException($"{path}: holds {content.Length:N0} bytes of IDX data, {expected.Name} holds {expected.ContentBytes:N0}. " +
                                           "The file is cut short or another file; delete it (a download fetches it again) or replace it with the original.");
        if (expected.ContentSha256.Length > 0 && Convert.ToHexStringLower(SHA256.HashData(content)) is var actual &&
            !string.Equals(actual, expected.ContentSha256, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{path}: the SHA-256 of its content is {actual}, {expected.Name}'s is {expected.ContentSha256}. " +
                                           "The file is damaged or from another release; delete it (a download fetches it again) or replace it with the original.");
        return content;
    }

    /// <summary>True when <paramref name="bytes"/> start with the gzip magic number.</summary>
    public static bool IsGzip(ReadOnlySpan<byte> bytes) => bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;

    /// <summary>
    /// Decompresses gzip bytes, at most <paramref name="limit"/> of them; <paramref name="name"/> is used in the error
    /// message. The gzip trailer's size (a number the file supplies) only sizes the first buffer, within the limit.
    /// </summary>
    /// <exception cref="InvalidDataException">The gzip stream is corrupt, cut short or decompresses to more than the limit.</exception>
    public static byte[] Gunzip(byte[] gz, string name, long limit = MaxContentBytes)
    {
        try
        {
            // The trailer's last four bytes are the uncompressed size (mod 2³²): when it is within the limit, read into
            // an array of that size instead of a growing stream, which would allocate several times the data set.
            var claimed = gz.Length >= 18 ? BinaryPrimitives.ReadUInt32LittleEndian(gz.AsSpan(gz.Length - 4)) : 0u;
            if (claimed > 0 && claimed <= limit)
            {
                using var input = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
                var content = new byte[claimed];
                if (input.ReadAtLeast(content, content.Length, throwOnEndOfStream: false) == content.Length && input.ReadByte() < 0) return content;
            }
            // No usable size (or a wrong one): copy in blocks, counting.
            using var again = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[81920];
            for (int read; (read = again.Read(buffer)) > 0;)
            {
                if (output.Length + read > limit)
                    throw new InvalidDataException($"{name}: decompresses to more than {limit:N0} bytes, more than the file it should be can hold. Delete it and fetch it again.");
                output.Write(buffer, 0, read);
            }
            return output.ToArray();
        }
        catch (Exception e) when (e is EndOfStreamException or IOException || e is InvalidDataException && !e.Message.StartsWith(name, StringComparison.Ordinal))
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
