namespace AutoencoderNotebooks.Platform;

/// <summary>
/// Writes a file so that readers see either the old file or the complete new one, never a half-written
/// one (chapter 0): the content goes to a temporary file beside the target, is flushed to disk, and then
/// replaces the target — so even a power cut right after the rename cannot leave an empty or partial file.
/// </summary>
public static class AtomicFile
{
    /// <summary>
    /// Calls <paramref name="write"/> with a temporary path beside <paramref name="path"/>, flushes that file to
    /// disk, then moves it over <paramref name="path"/>. On failure the temporary file is removed and the target
    /// is untouched.
    /// </summary>
    public static void Write(string path, Action<string> write)
    {
        var temp = TemporaryPathFor(path);
        try
        {
            write(temp);
            if (!File.Exists(temp)) throw new IOException($"Writing {path} produced no file.");
            FlushToDisk(temp);
            if (!OperatingSystem.IsWindows() && File.Exists(path))
                File.SetUnixFileMode(temp, File.GetUnixFileMode(path));
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Moves a finished file at <paramref name="source"/> over <paramref name="path"/> atomically (flushed first).</summary>
    public static void Replace(string source, string path) => Write(path, temp => File.Move(source, temp));

    /// <summary>A unique temporary name beside <paramref name="path"/>, in the same folder so the final rename is atomic.</summary>
    public static string TemporaryPathFor(string path) => $"{path}.{Environment.ProcessId}-{Guid.NewGuid():N}.tmp";

    /// <summary>Forces the file's data to the storage device (fsync), so the rename never publishes unwritten blocks.</summary>
    internal static void FlushToDisk(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        stream.Flush(flushToDisk: true);
        Flushed?.Invoke(path);
    }

    /// <summary>Raised after each flush; tests observe the order of flush and rename through it.</summary>
    internal static event Action<string>? Flushed;
}
