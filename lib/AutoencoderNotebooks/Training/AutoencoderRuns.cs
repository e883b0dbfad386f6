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

    // A caller's request to reuse, or pretrained mode, where everything is loaded.
    private bool Reuses(bool asked) => asked || store.ReusesEverything;

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
        if (Reuses(reuseSaved) && Reuse(name, model, key) is { } reused) return reused;

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
        if (Reuses(reuseSaved) && Reuse(name, new StackedAutoencoder(config), key) is { } reused) return (reused, []);

        var phases = GreedyLayerwise.Pretrain(config.Sizes, config.Hidden, data.Train.Images, pretraining, data.Validation.Images);
        var stacked = StackedAutoencoder.Stack(phases.Select(p => p.Autoencoder).ToList());
        using var step = new ModelStep(stacked, fineTuning.CreateOptimizer(stacked.parameters()),
            Objective.BinaryCrossEntropy.For(stacked), ownsOptimizer: true);
        var history = Trainer.Fit(step, data.Train.Images, null, fineTuning.ToOptions($"{name} fine-tuning"), data.Validation.Images);
        var seconds = phases.Sum(p => p.History.Seconds) + history.Seconds;
        var epochs = phases.Sum(p => p.History.Epochs.Count) + history.Epochs.Count;
        return (Finish(name, stacked, key, history.Epochs, epochs, seconds), phases);
    }

    /// <summary>
    /// Trains a classifier on the training images and their labels with cross-entropy (chapter 8's yardstick), or
    /// loads it from the store when <paramref name="reuseSaved"/> and it was saved under the same key.
    /// </summary>
    public TrainingHistory? TrainClassifier<TModel>(string name, TModel model, FitSettings settings, bool reuseSaved = false)
        where TModel : nn.Module<Tensor, Tensor>, IConfiguredModel
    {
        var key = ModelKey.Of("classifier", model.GetType().Name, model.Configuration, settings, data.KeyPart);
        if (Reuses(reuseSaved) && store.TryLoad(model, name, key.Hash, log) is not null)
        {
            (log ?? Console.Out).WriteLine($"{name}: reusing the weights saved in {store.Folder}.");
            return null;
        }
        using var step = new ModelStep(model, settings.CreateOptimizer(model.parameters()), Classification.CrossEntropy(model), ownsOptimizer: true);
        var options = settings.ToOptions(name) with { EvaluationBatchSize = 500 }; // convolutional activations: keep the peak low
        var history = Trainer.Fit(step, data.Train.Images, data.Train.Labels, options, data.Validation.Images, data.Validation.Labels);
        store.Save(model, new SavedTraining(name, key.Hash, key.Description, history.Epochs.Count, history.Seconds, history.Epochs));
        return history;
    }

    /// <summary>
    /// Trains a GAN (chapter 8) with the two-player <see cref="AdversarialStep"/> through the course's loop, keeping
    /// images generated from <paramref name="snapshotCount"/> fixed noise vectors after each epoch; the generator is
    /// saved in the store. With <paramref name="reuseSaved"/> a saved generator with the same key is loaded instead.
    /// </summary>
    public GanRun TrainGan(string name, GanConfig config, GanSettings settings, bool reuseSaved = false, int snapshotCount = 20)
    {
        var generator = new GanGenerator(config);
        var discriminator = new GanDiscriminator(config);
        var key = ModelKey.Of("gan", config, settings, data.KeyPart);
        using var noiseSource = new Generator((ulong)settings.Seed);
        using var fixedNoise = randn(snapshotCount, config.Codings, generator: noiseSource);
        var discriminatorKey = ModelKey.Of("gan-discriminator", config, settings, data.KeyPart);
        if (Reuses(reuseSaved) && store.TryLoad(generator, name, key.Hash, log) is { } saved)
        {
            (log ?? Console.Out).WriteLine($"{name}: reusing the generator saved in {store.Folder} (trained in {saved.Seconds:F1} s).");
            if (store.TryLoad(discriminator, $"{name}-discriminator", discriminatorKey.Hash, log) is null)
                (log ?? Console.Out).WriteLine($"{name}: no saved discriminator; the run's discriminator is untrained.");
            // The per-epoch images were not saved: the saved generator's images of the same noise stand for the last epoch.
            var last = GanRun.ToImages(generator.Predict(fixedNoise)).DetachFromDisposeScope();
            return new GanRun(name, generator, discriminator, saved.History, [last], saved.Seconds, Reused: true);
        }
        var snapshots = new List<Tensor>();
        var progress = new SnapshotProgress(TrainingProgress.Automatic(name), () => GanRun.ToImages(generator.Predict(fixedNoise)));
        using (var step = new AdversarialStep(generator, discriminator, settings))
        {
            var validation = data.Validation.Images.narrow(0, 0, Math.Min(1000, data.Validation.Count));
            var history = Trainer.Fit(step, data.Train.Images, null, settings.ToOptions(name), validation, progress: progress);
            store.Save(generator, new SavedTraining(name, key.Hash, key.Description, history.Epochs.Count, history.Seconds, history.Epochs));
            store.Save(discriminator, new SavedTraining($"{name}-discriminator", discriminatorKey.Hash, discriminatorKey.Description,
                history.Epochs.Count, history.Seconds, history.Epochs));
            return new GanRun(name, generator, discriminator, history.Epochs, progress.Snapshots, history.Seconds, Reused: false);
        }
    }

    /// <summary>
    /// Trains a diffusion model (chapter 9) with the noise-prediction <see cref="Diffusion.DiffusionStep"/> through the
    /// course's loop and returns the moving average of its weights (what sampling uses; saved in the store) and the
    /// trained weights themselves (null when reused); with <paramref name="reuseSaved"/> a saved average with the
    /// same key is loaded instead.
    /// </summary>
    public (UNet Average, UNet? Raw, IReadOnlyList<EpochResult> History, double Seconds, bool Reused) TrainDiffusion(
        string name, UNetConfig config, Diffusion.NoiseSchedule schedule, Diffusion.DiffusionSettings settings, bool reuseSaved = false)
    {
        var average = new UNet(config);
        var key = ModelKey.Of("diffusion", config, schedule, settings, data.KeyPart);
        if (Reuses(reuseSaved) && store.TryLoad(average, name, key.Hash, log) is { } saved)
        {
            (log ?? Console.Out).WriteLine($"{name}: reusing the weights saved in {store.Folder} (trained in {saved.Seconds:F1} s).");
            return (average, null, saved.History, saved.Seconds, true);
        }
        var model = new UNet(config);
        using var step = new Diffusion.DiffusionStep(model, average, schedule, settings);
        var validation = data.Validation.Images.narrow(0, 0, Math.Min(1000, data.Validation.Count));
        var history = Trainer.Fit(step, data.Train.Images, null, settings.ToOptions(name), validation);
        store.Save(average, new SavedTraining(name, key.Hash, key.Description, history.Epochs.Count, history.Seconds, history.Epochs));
        return (average, model, history.Epochs, history.Seconds, false);
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
