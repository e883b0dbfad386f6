using System.Text.Json;
using System.Text;
using AutoencoderNotebooks.Checkpoints;
using AutoencoderNotebooks.Data;
using AutoencoderNotebooks.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Chapters;

/// <summary>
/// Writes the shipped weights of pretrained mode from a full run's model store (teaching): every model rebuilt from its
/// record by <see cref="CourseModels.Registry"/>, stored in a lower precision, loaded back and scored on the bundled sample.
/// </summary>
public static class PretrainedExport
{
    /// <summary>
    /// Writes every model saved in <paramref name="source"/> (a full run's store) into this folder with the
    /// floating-point tensors in <paramref name="precision"/>, scores each as loaded back from its file on
    /// <paramref name="sampleTest"/>, and writes the manifest last; files of an older export that are not
    /// re-exported are removed (only files the previous manifest lists: nothing else in the folder is touched).
    /// Returns the manifest.
    /// </summary>
    /// <exception cref="InvalidDataException">A record that cannot be read or loaded, or whose name and key do not make a plain file name.</exception>
    public static PretrainedManifest Export(this PretrainedWeights shipped, string source, ImageSet sampleTest, ScalarType precision = ScalarType.Float16, TextWriter? log = null)
    {
        log ??= Console.Out;
        var folder = shipped.Folder;
        Directory.CreateDirectory(folder);
        var previous = shipped.Manifest.Files.SelectMany(f => new[] { f.Weights, f.Record })
            .Concat((shipped.Manifest.Scores ?? []).Select(f => f.File)).Where(IsPlainFileName).ToList();
        var files = new List<PretrainedFile>();
        var keys = new HashSet<string>();
        foreach (var recordPath in Directory.EnumerateFiles(source, "*.json").Order(StringComparer.Ordinal))
        {
            var info = JsonSerializer.Deserialize<SavedTraining>(File.ReadAllText(recordPath), LibraryJson.Compact)
                       ?? throw new InvalidDataException($"{recordPath}: an empty training record.");
            var weights = ModelStore.WeightsFile(info.Name, info.Key);
            if (!IsPlainFileName(weights))
                throw new InvalidDataException($"{recordPath}: its name and key make '{weights}', not a plain file name; the export writes only into {folder}. Delete the record or run the course in full mode again.");
            var saved = info.Model ?? throw new InvalidDataException(
                $"{recordPath} does not name its model type and configuration (written before checkpoints did); run the course in full mode again.");
            var model = CourseModels.Registry.Create(saved);
            if (new ModelStore(source).TryLoad(model, info.Name, info.Key, log) is null)
                throw new InvalidDataException($"{Path.Combine(source, weights)} cannot be loaded; run the course in full mode again.");
            model.to(precision);
            var target = Path.Combine(folder, weights);
            AtomicFile.Write(target, temp => model.save(temp));
            AtomicFile.Write(Path.Combine(folder, Path.GetFileName(recordPath)), temp => File.Copy(recordPath, temp, overwrite: true));

            var name = precision == ScalarType.Float16 ? "float16" : "float32";
            var recordCopy = Path.Combine(folder, Path.GetFileName(recordPath));
            var entry = new PretrainedFile(weights, Path.GetFileName(recordPath), PretrainedWeights.Sha256Of(target), new FileInfo(target).Length, name, "", 0,
                PretrainedWeights.Sha256Of(recordCopy));
            var loaded = CourseModels.Registry.Create(saved);
            if (shipped.Load(loaded, info.Name, info.Key, entry, TextWriter.Null) is null) throw new InvalidDataException($"{target}: cannot be loaded back.");
            var (scoreName, score) = CourseModels.Registry.Score(loaded, sampleTest);
            files.Add(entry with { ScoreName = scoreName, Score = score });
            keys.Add(info.Key);
            log.WriteLine($"{weights}: {entry.Bytes / 1e3:F0} kB, {scoreName} {score:G6}");
        }
        var scores = ExportScores(Path.Combine(source, "scores"), folder, keys, log);
        var manifest = new PretrainedManifest(PretrainedWeights.ExportCommand, files, scores);
        shipped.Reset(manifest);
        var keep = files.SelectMany(f => new[] { f.Weights, f.Record }).Concat(scores.Select(f => f.File)).ToHashSet();
        foreach (var stale in previous.Where(f => !keep.Contains(f))) File.Delete(Path.Combine(folder, stale));
        AtomicFile.Write(Path.Combine(folder, PretrainedWeights.ManifestName), temp => File.WriteAllText(temp, JsonSerializer.Serialize(manifest, LibraryJson.Indented) + "\n"));
        AtomicFile.Write(Path.Combine(folder, "README.md"), temp => File.WriteAllText(temp, Readme(manifest)));
        return manifest;
    }

    // The remembered scores whose every model is exported: a score of a model no longer in the store stays behind.
    private static List<PretrainedScore> ExportScores(string source, string folder, HashSet<string> exportedKeys, TextWriter log)
    {
        var scores = new List<PretrainedScore>();
        if (!Directory.Exists(source)) return scores;
        foreach (var path in Directory.EnumerateFiles(source, "score.*.json").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            SavedScore? saved;
            try
            {
                saved = JsonSerializer.Deserialize<SavedScore>(File.ReadAllText(path), LibraryJson.Compact);
            }
            catch (JsonException e)
            {
                log.WriteLine($"{path}: not a remembered score ({e.Message}); not exported.");
                continue;
            }
            if (saved?.Identity is null || SavedScore.FileName(saved.Identity) != name || saved.ModelKeys.Count == 0 || !saved.ModelKeys.All(exportedKeys.Contains)) continue;
            var target = Path.Combine(folder, name);
            AtomicFile.Write(target, temp => File.Copy(path, temp, overwrite: true));
            scores.Add(new PretrainedScore(name, PretrainedWeights.Sha256Of(target)));
        }
        log.WriteLine($"{scores.Count} remembered scores exported.");
        return scores;
    }

    /// <summary>True for a name that stays in its folder: no separator, not "." or "..", no character a file name cannot hold.</summary>
    internal static bool IsPlainFileName(string name) =>
        name.Length > 0 && name is not ("." or "..") && name.IndexOfAny(['/', '\\']) < 0 && name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0;

    private static string Readme(PretrainedManifest manifest)
    {
        var text = new StringBuilder();
        text.AppendLine("# Pretrained weights");
        text.AppendLine();
        text.AppendLine("Weights trained by the course in full mode, loaded by pretrained mode (`AUTOENCODER_RUN_MODE=pretrained`,");
        text.AppendLine("or `dotnet run --project lib/CourseRunner -- --pretrained`) instead of training. Made by a full run followed by");
        text.AppendLine($"`{manifest.Command}`; `manifest.json` is what the library checks (SHA-256 of every file).");
        text.AppendLine();
        text.AppendLine($"{manifest.Files.Count} models, {manifest.Files.Sum(f => f.Bytes) / 1e6:F1} MB of weights; {manifest.Scores?.Count ?? 0} remembered scores");
        text.AppendLine("(`score.*.json`: generators' scores on thousands of samples from the full run, read instead of sampling again).");
        text.AppendLine();
        text.AppendLine("| file | kB | precision | SHA-256 | score on the bundled sample's test split |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var f in manifest.Files)
            text.AppendLine($"| `{f.Weights}` | {f.Bytes / 1e3:F0} | {f.Precision} | `{f.Sha256}` | {f.ScoreName}: {f.Score:G6} |");
        return text.ToString();
    }
}
