namespace AutoencoderNotebooks.IO;

/// <summary>
/// Writes a file so that readers see either the old file or the complete new one, never a half-written
/// one (chapter 0): the content goes to a temporary file beside the target, which then replaces it.
/// </summary>
public static class AtomicFile
{
    /// <summary>
    /// Calls <paramref name="write"/> with a temporary path beside <paramref name="path"/>, then moves the
    /// result over <paramref name="path"/>. On failure the temporary file is removed and the target is untouched.
    /// </summary>
    public static void Write(string path, Action<string> write)
    {
        var temp = $"{path}.{Environment.ProcessId}-{Guid.NewGuid():N}.tmp";
        try
        {
            write(temp);
            if (!OperatingSystem.IsWindows() && File.Exists(path))
                File.SetUnixFileMode(temp, File.GetUnixFileMode(path));
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
