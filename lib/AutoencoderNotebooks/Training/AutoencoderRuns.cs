using AutoencoderNotebooks.Data;
using AutoencoderNotebooks.Models;
using AutoencoderNotebooks.Notebook;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Training;

/// <summary>How an image autoencoder is trained (chapter 2): Adam on per-pixel binary cross-entropy.</summary>
public sealed record FitSettings(int Epochs, int BatchSize = 128, double LearningRate = 2e-3, int Seed = 42, bool CosineDecay = false);

/// <summary>A trained image autoencoder and its numbers: size, training time, test-set scores, history. (chapter 2)</summary>
public sealed record AutoencoderRun(
    string Name,
    nn.Module<Tensor, Tensor> Model,
    long Parameters,
    int Epochs,
    double Seconds,
    ReconstructionScores TestScores,
    IReadOnlyList<EpochResult> History,
    bool Reused)
{
    /// <summary>One row of the chapter 3 comparison table.</summary>
    public ModelComparisonRow Row() => new(Name, Parameters, Epochs, Math.Round(Seconds, 1),
        TestScores.BinaryCrossEntropy, TestScores.MeanSquaredError, TestScores.RoundedAccuracy);
}

/// <summary>A row of the model comparison table (chapter 3).</summary>
public sealed record ModelComparisonRow(string Model, long Parameters, int Epochs, double Seconds, double TestBce, double TestMse, double RoundedAccuracy);

/// <summary>
/// Trains, scores and saves the image autoencoders of chapters 2 and 3, or reuses saved ones, so the
/// chapters share one recipe: <see cref="Trainer.Fit"/> with Adam on binary cross-entropy, validation after
/// each epoch, test-set scores computed as the book reports them.
/// </summary>
public static class AutoencoderRuns
{
    /// <summary>
    /// Trains <paramref name="model"/> (or, with <paramref name="reuseSaved"/>, loads the weights a previous
    /// run saved under the same name, configuration and settings), scores it on the test set and saves it.
    /// </summary>
    public static AutoencoderRun Train<TModel>(string name, TModel model, string config, ImageSet train, ImageSet validation,
        ImageSet test, FitSettings settings, RunMode mode, bool reuseSaved = false)
        where TModel : nn.Module<Tensor, Tensor>, IAutoencoder
    {
        var key = $"{config} | {settings} | {train.Count} train";
        if (reuseSaved && Reuse(name, model, key, test, mode) is { } reused) return reused;

        var history = Trainer.Fit(model, optim.Adam(model.parameters(), settings.LearningRate), AutoencoderLosses.BinaryCrossEntropy(model),
            train.Images, null, new TrainingOptions(settings.Epochs, settings.BatchSize, settings.Seed, Label: name, CosineDecay: settings.CosineDecay), validation.Images);
        return Finish(name, model, key, history.Epochs, history.Epochs.Count, history.Seconds, test, mode);
    }

    /// <summary>
    /// Greedy layer-wise training (chapter 2): one shallow autoencoder per layer, stacked, then fine-tuned
    /// as a whole. The run's seconds include every phase.
    /// </summary>
    public static (AutoencoderRun Run, IReadOnlyList<GreedyPhase> Phases) Greedy(string name, StackedAutoencoderConfig config,
        ImageSet train, ImageSet validation, ImageSet test, FitSettings pretraining, FitSettings fineTuning, RunMode mode, bool reuseSaved = false)
    {
        var key = $"greedy {config} | {pretraining} | {fineTuning} | {train.Count} train";
        if (reuseSaved && Reuse(name, new StackedAutoencoder(config), key, test, mode) is { } reused) return (reused, []);

        var phases = GreedyLayerwise.Pretrain(config.Sizes, config.Hidden, train.Images,
            parameters => optim.Adam(parameters, pretraining.LearningRate),
            new TrainingOptions(pretraining.Epochs, pretraining.BatchSize, pretraining.Seed), validation.Images);
        var stacked = StackedAutoencoder.Stack(phases.Select(p => p.Autoencoder).ToList());
        var history = Trainer.Fit(stacked, optim.Adam(stacked.parameters(), fineTuning.LearningRate), AutoencoderLosses.BinaryCrossEntropy(stacked),
            train.Images, null, new TrainingOptions(fineTuning.Epochs, fineTuning.BatchSize, fineTuning.Seed, Label: $"{name} fine-tuning"), validation.Images);
        var seconds = phases.Sum(p => p.History.Seconds) + history.Seconds;
        var epochs = phases.Sum(p => p.History.Epochs.Count) + history.Epochs.Count;
        return (Finish(name, stacked, key, history.Epochs, epochs, seconds, test, mode), phases);
    }

    /// <summary>Number of trainable values in <paramref name="model"/>.</summary>
    public static long CountParameters(nn.Module model) => model.parameters().Sum(p => p.numel());

    private static AutoencoderRun? Reuse(string name, nn.Module<Tensor, Tensor> model, string key, ImageSet test, RunMode mode)
    {
        if (ModelStore.TryLoad(model, name, key, mode) is not { } saved) return null;
        Console.WriteLine($"{name}: reusing the weights saved in {ModelStore.Folder(mode)} (trained in {saved.Seconds:F1} s).");
        return new AutoencoderRun(name, model, CountParameters(model), saved.Epochs, saved.Seconds,
            saved.TestScores ?? ReconstructionScores.Evaluate(model, test.Images), saved.History, Reused: true);
    }

    private static AutoencoderRun Finish(string name, nn.Module<Tensor, Tensor> model, string key, IReadOnlyList<EpochResult> history,
        int epochs, double seconds, ImageSet test, RunMode mode)
    {
        var scores = ReconstructionScores.Evaluate(model, test.Images);
        ModelStore.Save(model, new SavedTraining(name, key, epochs, seconds, scores, history), mode);
        return new AutoencoderRun(name, model, CountParameters(model), epochs, seconds, scores, history, Reused: false);
    }
}
