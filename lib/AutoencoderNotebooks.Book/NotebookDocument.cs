using System.Text.Json;
using System.Text.Json.Nodes;

namespace AutoencoderNotebooks.Book;

/// <summary>Reading a <c>.ipynb</c> file that may be missing, cut short or not JSON (a merge conflict, a crash while saving). (chapter 0)</summary>
public static class NotebookDocument
{
    /// <summary>
    /// The notebook-level metadata entry in which a chapter's file-based app records its process's peak resident
    /// memory, in bytes, so the runner's <c>--apps</c> rows show it as they show a kernel's.
    /// </summary>
    public const string PeakMemoryKey = "autoencoder_peak_resident_bytes";

    /// <summary>The peak resident memory recorded in <paramref name="document"/>'s metadata, or null.</summary>
    public static long? PeakMemory(JsonObject document) =>
        document["metadata"]?[PeakMemoryKey] is JsonValue value && value.TryGetValue(out long bytes) ? bytes : null;

    /// <summary>
    /// The notebook at <paramref name="path"/> as a JSON object, or null with <paramref name="problem"/> saying why:
    /// the file and, for broken JSON, the line and byte where parsing stopped.
    /// </summary>
    public static JsonObject? Read(string path, out string? problem)
    {
        problem = null;
        try
        {
            if (JsonNode.Parse(File.ReadAllText(path)) is JsonObject document) return document;
            problem = $"{path} is not a notebook: its JSON is not an object.";
        }
        catch (JsonException e)
        {
            problem = $"{path} is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): fix or restore the file, e.g. `git checkout -- {Path.GetFileName(path)}`.";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"{path} cannot be read: {e.Message}";
        }
        return null;
    }
}
