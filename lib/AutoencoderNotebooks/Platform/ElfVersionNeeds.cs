using System.Buffers.Binary;
using System.Text;

namespace AutoencoderNotebooks.Platform;

/// <summary>
/// Reads and edits the version requirements (<c>.gnu.version_r</c>) of a 64-bit little-endian ELF shared
/// library. Chapter 0 uses it to mark TorchSharp's one GCC 13 link marker as a weak requirement on hosts
/// whose libstdc++ predates it.
/// </summary>
public static class ElfVersionNeeds
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    /// <summary>One <c>Vernaux</c> entry: a symbol version that <paramref name="Library"/> must provide. (chapter 0)</summary>
    public sealed record Requirement(string Library, string Version, bool IsWeak, long FlagsOffset);

    /// <summary>All version requirements of the ELF file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a 64-bit little-endian ELF file.</exception>
    public static IReadOnlyList<Requirement> Read(string path) => Read(File.ReadAllBytes(path), path);

    /// <summary>
    /// Sets <c>VER_FLG_WEAK</c> on every requirement named <paramref name="version"/>, so the dynamic
    /// loader accepts a libstdc++ that lacks it. Returns how many entries changed (0 when already weak).
    /// The file is replaced atomically: a crash never leaves a half-written library.
    /// </summary>
    public static int MarkWeak(string path, string version)
    {
        var bytes = File.ReadAllBytes(path);
        var changed = 0;
        foreach (var need in Read(bytes, path).Where(r => r.Version == version && !r.IsWeak))
        {
            var span = bytes.AsSpan((int)need.FlagsOffset, 2);
            BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(span) | VerFlgWeak));
            changed++;
        }
        if (changed > 0)
            AtomicFile.Write(path, temp => File.WriteAllBytes(temp, bytes));
        return changed;
    }

    internal static IReadOnlyList<Requirement> Read(byte[] elf, string name)
    {
        try
        {
            return ReadChecked(elf, name);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"{name}: truncated or corrupt ELF version section ({e.Message}).", e);
        }
    }

    private static IReadOnlyList<Requirement> ReadChecked(byte[] d, string name)
    {
        if (d.Length < 64 || d[0] != 0x7f || d[1] != (byte)'E' || d[2] != (byte)'L' || d[3] != (byte)'F')
            throw new InvalidDataException($"{name}: not an ELF file (bad magic number).");
        if (d[4] != 2 || d[5] != 1)
            throw new InvalidDataException($"{name}: only 64-bit little-endian ELF files are supported.");

        var sectionTable = checked((int)U64(d, 0x28));
        var entrySize = U16(d, 0x3A);
        var count = U16(d, 0x3C);
        if (entrySize < 64 || sectionTable <= 0 || (long)sectionTable + (long)entrySize * count > d.Length)
            throw new InvalidDataException($"{name}: truncated ELF section table.");

        var result = new List<Requirement>();
        for (var i = 0; i < count; i++)
        {
            var header = sectionTable + i * entrySize;
            if (U32(d, header + 4) != ShtGnuVerneed) continue;
            var need = checked((int)U64(d, header + 24));
            var entries = U32(d, header + 44);
            var strings = sectionTable + checked((int)U32(d, header + 40)) * entrySize;
            var stringsOffset = checked((int)U64(d, strings + 24));
            // Every entry is 16 bytes and every link points forward, so no walk can visit more entries than the file
            // holds or come back to one it saw: a corrupt chain ends in an error, never a loop.
            if (entries > d.Length / 16) throw new InvalidDataException($"{name}: {entries} version requirements cannot fit in {d.Length:N0} bytes.");
            for (var n = 0; n < entries; n++)
            {
                var auxCount = U16(d, need + 2);
                var library = Str(d, stringsOffset + checked((int)U32(d, need + 4)));
                var aux = checked(need + (int)U32(d, need + 8));
                for (var a = 0; a < auxCount; a++)
                {
                    var flags = U16(d, aux + 4);
                    var version = Str(d, stringsOffset + checked((int)U32(d, aux + 8)));
                    result.Add(new Requirement(library, version, (flags & VerFlgWeak) != 0, aux + 4));
                    if (a + 1 < auxCount) aux = Forward(name, aux, U32(d, aux + 12), d.Length);
                }
                var next = U32(d, need + 12);
                if (next == 0) break;
                need = Forward(name, need, next, d.Length);
            }
        }
        return result;
    }

    // The next entry of a chain: at least one entry (16 bytes) further on, inside the file.
    private static int Forward(string name, int at, uint step, int length)
    {
        if (step < 16 || at + (long)step > length - 16)
            throw new InvalidDataException($"{name}: corrupt ELF version chain (a link of {step} bytes at byte {at}).");
        return at + (int)step;
    }

    private static ushort U16(byte[] d, int at) => BinaryPrimitives.ReadUInt16LittleEndian(d.AsSpan(at, 2));
    private static uint U32(byte[] d, int at) => BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan(at, 4));
    private static ulong U64(byte[] d, int at) => BinaryPrimitives.ReadUInt64LittleEndian(d.AsSpan(at, 8));

    private static string Str(byte[] d, int at)
    {
        var length = d.AsSpan(at).IndexOf((byte)0);
        if (length < 0) throw new InvalidDataException("unterminated string in the ELF string table.");
        return Encoding.ASCII.GetString(d, at, length);
    }
}
