using System.Security.Cryptography;
using System.Text.Json;
using System.Text;
using AutoencoderNotebooks.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Checkpoints;

/// <summary>One shipped model: its files, checksum, precision and the score it was exported with.</summary>
/// <param name="Weights">The weights file (name.key.weights).</param>
/// <param name="Record">Its training record (name.key.json).</param>
/// <param name="Sha256">SHA-256 of the weights file, lower-case hex.</param>
/// <param name="Bytes">Size of the weights file.</param>
/// <param name="Precision">How the floating-point tensors are stored: <c>float16</c> or <c>float32</c>.</param>
/// <param name="ScoreName">What the model's registered score (<see cref="ModelRegistry.Score"/>) measured on the bundled sample's test split.</param>
/// <param name="Score">Its value when the file was exported (loaded back from the file as it is shipped).</param>
/// <param name="RecordSha256">SHA-256 of the record file, lower-case hex (null in manifests written before records were hashed: such an entry is not loaded).</param>
public sealed record PretrainedFile(string Weights, string Record, string Sha256, long Bytes, string Precision, string ScoreName, double Score, string? RecordSha256 = null);

/// <summary>One shipped remembered value (<see cref="SavedScore"/>): a generator's scores from the full run that trained it.</summary>
/// <param name="File">The file (score.hash.json).</param>
/// <param name="Sha256">Its SHA-256, lower-case hex.</param>
public sealed record PretrainedScore(string File, string Sha256);

/// <summary>The manifest of the shipped weights: every file and the command that produced them.</summary>
/// <param name="Command">How the weights were made.</param>
/// <param name="Files">The shipped models.</param>
/// <param name="Scores">The shipped scores of their samples (null in manifests written before scores were shipped).</param>
public sealed record PretrainedManifest(string Command, IReadOnlyList<PretrainedFile> Files, IReadOnlyList<PretrainedScore>? Scores = null);

/// <summary>
/// The weights full mode trained, shipped in the repository's <c>pretrained/</c> folder so that pretrained mode
/// (a live class) loads every chapter's models instead of training them (teaching). Each file is listed in
/// <c>manifest.json</c> with its SHA-256; a file that is missing, altered or absent from the manifest is reported in
/// one line and the model is trained instead, never loaded silently wrong. Floating-point tensors are stored as
/// float16, which halves the files and moves scores by less than their fourth digit (the export checks it).
/// </summary>
public sealed class PretrainedWeights(string folder)
{
    /// <summary>The manifest's file name.</summary>
    public const string ManifestName = "manifest.json";

    /// <summary>The command that writes the folder (after a full run).</summary>
    public const string ExportCommand = "dotnet run --project lib/CourseRunner -- export-pretrained";

    private PretrainedManifest? manifest;
    private string? manifestProblem;
    private int problemReported;

    /// <summary>Sets the manifest after an export wrote it.</summary>
    internal void Reset(PretrainedManifest written) => (manifest, manifestProblem) = (written, null);

    /// <summary>The repository's <c>pretrained/</c> folder.</summary>
    public static PretrainedWeights Course() => new(Path.Combine(RepositoryPaths.Root(), "pretrained"));

    /// <summary>The folder.</summary>
    public string Folder { get; } = Path.GetFullPath(folder);

    /// <summary>
    /// The manifest: empty when the folder has none, or when it cannot be read (a merge conflict, a cut-short copy);
    /// then <see cref="ManifestProblem"/> says why, and every model is trained instead.
    /// </summary>
    public PretrainedManifest Manifest => manifest ??= ReadManifest(Path.Combine(Folder, ManifestName), out manifestProblem);

    /// <summary>Why the manifest could not be read, naming the file and the fix; null when it was read (or there is none).</summary>
    public string? ManifestProblem
    {
        get
        {
            _ = Manifest; // reads it once
            return manifestProblem;
        }
    }

    private static PretrainedManifest ReadManifest(string path, out string? problem)
    {
        problem = null;
        var none = new PretrainedManifest(ExportCommand, []);
        if (!File.Exists(path)) return none;
        try
        {
            var read = JsonSerializer.Deserialize<PretrainedManifest>(File.ReadAllText(path), LibraryJson.Compact);
            if (read?.Files is { } files && files.All(f => f?.Weights is not null && f.Record is not null && f.Sha256 is not null)
                && (read.Scores ?? []).All(f => f?.File is not null && f.Sha256 is not null)) return read;
            problem = $"{path} lists no files or entries without a name or checksum";
        }
        catch (JsonException e)
        {
            problem = $"{path} is not valid JSON (line {e.LineNumber + 1})";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"{path} cannot be read ({e.Message})";
        }
        problem += $": pretrained mode trains every model instead. Restore it (`git checkout -- pretrained/{ManifestName}`) or re-export with `{ExportCommand}` after a full run.";
        return none;
    }

    /// <summary>
    /// Loads the shipped weights of <paramref name="name"/> with key <paramref name="key"/> into
    /// <paramref name="model"/> and returns their record; or says in one line on <paramref name="log"/> why it cannot
    /// and returns null (the caller trains the model).
    /// </summary>
    public SavedTraining? TryLoad(nn.Module model, string name, string key, TextWriter? log = null)
    {
        log ??= Console.Out;
        if (ManifestProblem is { } problem)
        {
            // One line per process, not one per model.
            if (Interlocked.Exchange(ref problemReported, 1) == 0) log.WriteLine(problem);
            return null;
        }
        var entry = Manifest.Files.FirstOrDefault(f => f.Weights == ModelStore.WeightsFile(name, key));
        if (entry is not null) return Load(model, name, key, entry, log);
        log.WriteLine($"{name}: no pretrained weights for these settings in {Folder} (re-export with `{ExportCommand}` after a full run); training it.");
        return null;
    }

    /// <summary>
    /// The shipped file of a remembered value, checked against its SHA-256; null when none is shipped, the manifest
    /// cannot be read (<see cref="TryLoad"/> says so), or the file is missing or altered (said in one line on <paramref name="log"/>).
    /// </summary>
    public string? ScorePath(string file, TextWriter? log = null)
    {
        if (ManifestProblem is not null || Manifest.Scores?.FirstOrDefault(f => f.File == file) is not { } entry) return null;
        var path = Path.Combine(Folder, entry.File);
        if (ChecksumProblem(path, entry.Sha256) is not { } problem) return path;
        (log ?? Console.Out).WriteLine($"the shipped score {path} {problem}; computing it.");
        return null;
    }

    // Why a shipped file is not the one its manifest entry lists, or null when it is.
    private static string? ChecksumProblem(string path, string expected)
    {
        if (!File.Exists(path)) return "is missing";
        var actual = Sha256Of(path);
        return actual == expected ? null : $"is corrupt (SHA-256 {actual[..12]}…, the manifest says {expected[..Math.Min(12, expected.Length)]}…)";
    }

    // Checks the file against its manifest entry, then loads it in its stored precision and converts to float32.
    internal SavedTraining? Load(nn.Module model, string name, string key, PretrainedFile entry, TextWriter log)
    {
        var path = Path.Combine(Folder, entry.Weights);
        if (!File.Exists(path) || !File.Exists(Path.Combine(Folder, entry.Record)))
        {
            log.WriteLine($"{name}: {path} or its record is missing; training it.");
            return null;
        }
        foreach (var (file, expected) in new[] { (path, entry.Sha256), (Path.Combine(Folder, entry.Record), entry.RecordSha256) })
        {
            if (expected is null)
            {
                log.WriteLine($"{name}: the manifest has no checksum for {file} (exported before records were hashed); re-export with `{ExportCommand}`. Training it.");
                return null;
            }
            if (ChecksumProblem(file, expected) is { } problem)
            {
                log.WriteLine($"{name}: {file} {problem}; training it.");
                return null;
            }
        }
        var precision = entry.Precision == "float16" ? ScalarType.Float16 : ScalarType.Float32;
        // The model changes precision before the load is known to succeed: a failed load gets its float32 values back.
        using var before = ModuleState.Of(model);
        model.to(precision);
        var record = new ModelStore(Folder).TryLoad(model, name, key, log);
        model.to(ScalarType.Float32);
        if (record is null) before.Restore();
        else log.WriteLine($"{name}: loaded the pretrained weights {path}.");
        return record;
    }

    /// <summary>SHA-256 of a file, lower-case hex.</summary>
    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
