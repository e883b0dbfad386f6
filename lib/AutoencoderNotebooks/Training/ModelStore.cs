using System.Text.Json;
using AutoencoderNotebooks.IO;
using AutoencoderNotebooks.Notebook;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Training;

/// <summary>What was saved with a model: its configuration and how its training went. (chapter 2)</summary>
public sealed record SavedTraining(string Name, string Config, int Epochs, double Seconds, ReconstructionScores? TestScores, IReadOnlyList<EpochResult> History);

/// <summary>
/// Saves trained weights under <c>artifacts/models/&lt;mode&gt;/</c> so later chapters and learners reuse a
/// model instead of retraining it (chapter 2). A model is only reused when its configuration matches.
/// </summary>
public static class ModelStore
{
    /// <summary>The folder models of <paramref name="mode"/> are saved in.</summary>
    public static string Folder(RunMode mode) => Path.Combine(RepositoryPaths.Artifacts(), "models", mode.ToString().ToLowerInvariant());

    /// <summary>Saves the weights and the training record, each written atomically.</summary>
    public static void Save(nn.Module model, SavedTraining info, RunMode mode)
    {
        var folder = Folder(mode);
        Directory.CreateDirectory(folder);
        AtomicFile.Write(Path.Combine(folder, info.Name + ".weights"), temp => model.save(temp));
        AtomicFile.Write(Path.Combine(folder, info.Name + ".json"),
            temp => File.WriteAllText(temp, JsonSerializer.Serialize(info, new JsonSerializerOptions { WriteIndented = true })));
    }

    /// <summary>
    /// Loads the weights saved as <paramref name="name"/> into <paramref name="model"/> when they were saved
    /// with configuration <paramref name="config"/>; returns their record, or null (model untouched).
    /// </summary>
    public static SavedTraining? TryLoad(nn.Module model, string name, string config, RunMode mode)
    {
        var folder = Folder(mode);
        var json = Path.Combine(folder, name + ".json");
        var weights = Path.Combine(folder, name + ".weights");
        if (!File.Exists(json) || !File.Exists(weights)) return null;
        var info = JsonSerializer.Deserialize<SavedTraining>(File.ReadAllText(json));
        if (info is null || info.Config != config) return null;
        model.load(weights);
        return info;
    }
}
