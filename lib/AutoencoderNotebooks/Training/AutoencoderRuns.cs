using AutoencoderNotebooks.Data;
using AutoencoderNotebooks.Models;
using AutoencoderNotebooks.Notebook;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Training;

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
/// Trains, scores and saves the image autoencoders of the course, or reuses saved ones, so every chapter
/// shares one recipe (chapter 2): the settings' optimiser on an <see cref="Objective"/> through
/// <see cref="Trainer.Fit(TrainingStep, Tensor, Tensor?, TrainingOptions, Tensor?, Tensor?, ITrainingProgress?)"/>,
/// validation after each epoch, test-set scores computed as the book reports them. A saved model is found by
/// its <see cref="ModelKey"/>: model type and configuration, settings, objective and data.
/// </summary>
/// <param name="data">The splits every run here trains, validates and is scored on.</param>
/// <param name="store">Where trained models are saved and looked up.</param>
/// <param name="log">Where reuse messages go (default: standard output).</param>
public sealed class AutoencoderRuns(DataSplits data, ModelStore store, TextWriter? log = null)
{
    /// <summary>Runs on <paramref name="data"/> saved in the store of <paramref name="mode"/>.</summary>
    public static AutoencoderRuns For(DataSplits data, RunMode mode) => new(data, ModelStore.For(mode));

    /// <summary>The splits every run trains, validates and is scored on.</summary>
    public DataSplits Data => data;

    /// <summary>The model store.</summary>
    public ModelStore Store => store;

    /// <summary>The same store and log with other data (e.g. a subset for an exercise).</summary>
    public AutoencoderRuns With(DataSplits other) => new(other, store, log);

    /// <summary>
    /// Trains <paramref name="model"/> with <paramref name="settings"/> on <paramref name="objective"/>
    /// (default: binary cross-entropy) — or, with <paramref name="reuseSaved"/>, loads the weights a previous run
    /// saved under the same key — then scores it on the test set and saves it.
    /// </summary>
    public AutoencoderRun Train<TModel>(string name, TModel model, FitSettings settings, Objective? objective = null, bool reuseSaved = false)
        where TModel : nn.Module<Tensor, Tensor>, IConfiguredModel
    {
        objective ??= Objective.BinaryCrossEntropy;
        var key = ModelKey.Of("train", model.GetType().Name, model.Configuration, settings, objective, data.KeyPart);
        if (reuseSaved && Reuse(name, model, key) is { } reused) return reused;

        using var step = new ModelStep(model, settings.CreateOptimizer(model.parameters()), objective.For(model),
            ownsOptimizer: true, evaluationNeedsGradients: objective.EvaluationNeedsGradients);
        var history = Trainer.Fit(step, data.Train.Images, null, settings.ToOptions(name), data.Validation.Images);
        return Finish(name, model, key, history.Epochs, history.Epochs.Count, history.Seconds);
    }

    /// <summary>
    /// Greedy layer-wise training (chapter 2): one shallow autoencoder per layer, stacked, then fine-tuned
    /// as a whole. The run's seconds include every phase; reused runs have no phases.
    /// </summary>
    public (AutoencoderRun Run, IReadOnlyList<GreedyPhase> Phases) Greedy(string name, StackedAutoencoderConfig config,
        FitSettings pretraining, FitSettings fineTuning, bool reuseSaved = false)
    {
        var key = ModelKey.Of("greedy", nameof(StackedAutoencoder), config, pretraining, fineTuning, Objective.BinaryCrossEntropy, data.KeyPart);
        if (reuseSaved && Reuse(name, new StackedAutoencoder(config), key) is { } reused) return (reused, []);

        var phases = GreedyLayerwise.Pretrain(config.Sizes, config.Hidden, data.Train.Images, pretraining, data.Validation.Images);
        var stacked = StackedAutoencoder.Stack(phases.Select(p => p.Autoencoder).ToList());
        using var step = new ModelStep(stacked, fineTuning.CreateOptimizer(stacked.parameters()),
            Objective.BinaryCrossEntropy.For(stacked), ownsOptimizer: true);
        var history = Trainer.Fit(step, data.Train.Images, null, fineTuning.ToOptions($"{name} fine-tuning"), data.Validation.Images);
        var seconds = phases.Sum(p => p.History.Seconds) + history.Seconds;
        var epochs = phases.Sum(p => p.History.Epochs.Count) + history.Epochs.Count;
        return (Finish(name, stacked, key, history.Epochs, epochs, seconds), phases);
    }

    /// <summary>Number of trainable values in <paramref name="model"/>.</summary>
    public static long CountParameters(nn.Module model) => model.parameters().Sum(p => p.numel());

    // A reused model is scored again on this run's test set, not trusted from its record.
    private AutoencoderRun? Reuse(string name, nn.Module<Tensor, Tensor> model, ModelKey key)
    {
        if (store.TryLoad(model, name, key.Hash, log) is not { } saved) return null;
        (log ?? Console.Out).WriteLine($"{name}: reusing the weights saved in {store.Folder} (trained in {saved.Seconds:F1} s).");
        return new AutoencoderRun(name, model, CountParameters(model), saved.Epochs, saved.Seconds,
            ReconstructionScores.Evaluate(model, data.Test.Images), saved.History, Reused: true);
    }

    private AutoencoderRun Finish(string name, nn.Module<Tensor, Tensor> model, ModelKey key, IReadOnlyList<EpochResult> history,
        int epochs, double seconds)
    {
        var scores = ReconstructionScores.Evaluate(model, data.Test.Images);
        store.Save(model, new SavedTraining(name, key.Hash, key.Description, epochs, seconds, history));
        return new AutoencoderRun(name, model, CountParameters(model), epochs, seconds, scores, history, Reused: false);
    }
}
