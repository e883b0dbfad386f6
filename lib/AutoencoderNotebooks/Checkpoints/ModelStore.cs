using System.Text.Json;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Platform;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Checkpoints;

/// <summary>What was saved with a model: its key, what it is, and how its training went. (chapter 2)</summary>
/// <param name="Name">The run's name.</param>
/// <param name="Key">Its <see cref="ModelKey.Hash"/>.</param>
/// <param name="Description">Everything the key was computed from (<see cref="ModelKey.Description"/>), for a reader.</param>
/// <param name="Epochs">Epochs trained.</param>
/// <param name="Seconds">Training time.</param>
/// <param name="History">Its epochs.</param>
public sealed record SavedTraining(string Name, string Key, string Description, int Epochs, double Seconds, IReadOnlyList<EpochResult> History)
{
    /// <summary>The model's type and configuration (set by <see cref="ModelStore.Save"/>; null in records older than it).</summary>
    public SavedModel? Model { get; init; }
}

/// <summary>
/// Saves trained weights in a folder (by default <c>artifacts/models/&lt;mode&gt;/</c>) so later chapters and
/// learners reuse a model instead of retraining it (chapter 2). Files are named by the model's name and its
/// <see cref="ModelKey"/>, so a model is only reused when everything that made it matches. With
/// <paramref name="shipped"/> (pretrained mode) every run loads instead of training: from the folder first, then
/// from the shipped weights; only a model found in neither is trained (and saved in the folder).
/// </summary>
public sealed class ModelStore(string folder, PretrainedWeights? shipped = null)
{
    /// <summary>The folder the models are saved in.</summary>
    public string Folder { get; } = Path.GetFullPath(folder);

    /// <summary>True in pretrained mode: every run reuses saved weights whatever its caller asked.</summary>
    public bool ReusesEverything => shipped is not null;

    /// <summary>
    /// The store of <paramref name="mode"/>: <c>models/&lt;mode&gt;</c> under <see cref="RepositoryPaths.Artifacts"/>;
    /// pretrained mode shares full mode's folder (same keys) and falls back on the shipped weights.
    /// </summary>
    public static ModelStore For(RunMode mode) => mode == RunMode.Pretrained
        ? new(Path.Combine(RepositoryPaths.Artifacts(), "models", "full"), PretrainedWeights.Course())
        : new(Path.Combine(RepositoryPaths.Artifacts(), "models", mode.ToString().ToLowerInvariant()));

    /// <summary>Saves the weights and the training record (which names the model's type and configuration), each written atomically.</summary>
    public void Save(nn.Module model, SavedTraining info)
    {
        info = info with { Model = SavedModel.Of(model) };
        Directory.CreateDirectory(Folder);
        AtomicFile.Write(WeightsPath(info.Name, info.Key), temp => model.save(temp));
        AtomicFile.Write(RecordPath(info.Name, info.Key),
            temp => File.WriteAllText(temp, JsonSerializer.Serialize(info, LibraryJson.Indented)));
    }

    /// <summary>
    /// Loads the weights saved as <paramref name="name"/> with key <paramref name="key"/> into
    /// <paramref name="model"/>; returns their record, or null when there are none (model untouched). A file
    /// that cannot be used (unreadable, or a record of another model type or configuration) is reported in one line on
    /// <paramref name="log"/> with the reason, and treated as missing; the model is then left as it was, even when the
    /// weights file failed half-way through.
    /// </summary>
    public SavedTraining? TryLoad(nn.Module model, string name, string key, TextWriter? log = null)
    {
        var record = RecordPath(name, key);
        var weights = WeightsPath(name, key);
        if (!File.Exists(record) || !File.Exists(weights)) return shipped?.TryLoad(model, name, key, log);
        try
        {
            var info = JsonSerializer.Deserialize<SavedTraining>(File.ReadAllText(record), LibraryJson.Compact);
            if (info is null || info.Key != key) throw new InvalidDataException("its record does not match its file name");
            if (info.Model?.Mismatch(model) is { } mismatch) throw new InvalidDataException(mismatch);
            LoadWhole(model, weights);
            return info;
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidDataException or ArgumentException or InvalidOperationException)
        {
            (log ?? Console.Out).WriteLine($"{name}: the saved model {weights} cannot be used ({e.Message}); training it again.");
            return null;
        }
    }

    // Module.load writes each tensor into the live parameters as it reads them: on a failure, put back what was there.
    private static void LoadWhole(nn.Module model, string weights)
    {
        using var before = ModuleState.Of(model);
        try
        {
            model.load(weights);
        }
        catch
        {
            before.Restore();
            throw;
        }
    }

    /// <summary>The folder of remembered values (<see cref="Recall"/>), beside the models.</summary>
    public string ScoresFolder => Path.Combine(Folder, "scores");

    /// <summary>
    /// The value remembered under <paramref name="identity"/> — in this folder, else (pretrained mode) among the shipped
    /// values — or else <paramref name="compute"/>'s, which is then kept in <see cref="ScoresFolder"/>. Pretrained mode
    /// keeps nothing: it shares full mode's folder, and a value computed from float16 weights is not full mode's. A file
    /// that cannot be read, or holds another identity, is reported in one line and computed again.
    /// </summary>
    public T Recall<T>(string identity, Func<T> compute, TextWriter? log = null) where T : class
    {
        var file = SavedScore.FileName(identity);
        var path = Path.Combine(ScoresFolder, file);
        if (File.Exists(path) && Read<T>(path, identity, log) is { } kept) return kept;
        if (shipped?.ScorePath(file, log) is { } sent && Read<T>(sent, identity, log) is { } shippedValue) return shippedValue;
        var value = compute();
        if (shipped is null)
        {
            Directory.CreateDirectory(ScoresFolder);
            var saved = new SavedScore(identity, JsonSerializer.SerializeToElement(value, LibraryJson.Compact));
            AtomicFile.Write(path, temp => File.WriteAllText(temp, JsonSerializer.Serialize(saved, LibraryJson.Indented)));
        }
        return value;
    }

    private static T? Read<T>(string path, string identity, TextWriter? log) where T : class
    {
        try
        {
            var saved = JsonSerializer.Deserialize<SavedScore>(File.ReadAllText(path), LibraryJson.Compact);
            if (saved?.Identity != identity) throw new InvalidDataException("it was computed for something else");
            return saved.Value.Deserialize<T>(LibraryJson.Compact) ?? throw new InvalidDataException("it holds no value");
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidDataException or UnauthorizedAccessException)
        {
            (log ?? Console.Out).WriteLine($"the remembered score {path} cannot be used ({e.Message}); computing it again.");
            return null;
        }
    }

    /// <summary>The weights file of a model: its name and key.</summary>
    public static string WeightsFile(string name, string key) => $"{name}.{key}.weights";

    /// <summary>The training record of a model.</summary>
    public static string RecordFile(string name, string key) => $"{name}.{key}.json";

    private string WeightsPath(string name, string key) => Path.Combine(Folder, WeightsFile(name, key));

    private string RecordPath(string name, string key) => Path.Combine(Folder, RecordFile(name, key));
}
