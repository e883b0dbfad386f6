using AutoencoderNotebooks.Adversarial;
using AutoencoderNotebooks.Autoencoders;
using AutoencoderNotebooks.Checkpoints;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Data;
using AutoencoderNotebooks.Diffusion;
using AutoencoderNotebooks.Evaluation;
using AutoencoderNotebooks.LatentDiffusion;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Chapters;

/// <summary>What every trained autoencoder run reports, whatever its model's type: for tables and charts of several runs (chapter 3).</summary>
public interface IAutoencoderRun
{
    /// <summary>The run's name.</summary>
    string Name { get; }

    /// <summary>Epoch results (the saved ones when reused).</summary>
    IReadOnlyList<EpochResult> History { get; }

    /// <summary>The trained model, as a module from images to reconstructions.</summary>
    nn.Module<Tensor, Tensor> Model { get; }

    /// <summary>Test-set scores.</summary>
    ReconstructionScores TestScores { get; }

    /// <summary>One row of the chapter 3 comparison table.</summary>
    ModelComparisonRow Row();
}

/// <summary>A trained image autoencoder and its numbers: size, training time, test-set scores, history. (chapter 2)</summary>
/// <typeparam name="TModel">The model's own type, so a notebook reaches its encoder, decoder or codings without a cast.</typeparam>
public sealed record AutoencoderRun<TModel>(
    string Name,
    TModel Model,
    long Parameters,
    int Epochs,
    double Seconds,
    ReconstructionScores TestScores,
    IReadOnlyList<EpochResult> History,
    bool Reused) : IAutoencoderRun where TModel : nn.Module<Tensor, Tensor>
{
    nn.Module<Tensor, Tensor> IAutoencoderRun.Model => Model;

    /// <summary>The key the model is saved under (a later stage trained on its codings names it in its own key).</summary>
    public ModelKey? Key { get; init; }

    /// <summary>One row of the chapter 3 comparison table.</summary>
    public ModelComparisonRow Row() => new(Name, Parameters, Epochs, Math.Round(Seconds, 1),
        TestScores.BinaryCrossEntropy, TestScores.MeanSquaredError, TestScores.RoundedAccuracy);
}

/// <summary>A trained model that is not scored as an autoencoder (the yardstick's classifier, a diffusion network). (chapters 8, 9)</summary>
/// <typeparam name="TModel">The model's own type.</typeparam>
/// <param name="Name">The run's name.</param>
/// <param name="Model">The trained (or loaded) model.</param>
/// <param name="History">Its epochs (the saved ones when reused).</param>
/// <param name="Seconds">Training time.</param>
/// <param name="Reused">Loaded from the model store instead of trained.</param>
public sealed record TrainedModel<TModel>(string Name, TModel Model, IReadOnlyList<EpochResult> History, double Seconds, bool Reused);

/// <summary>A trained diffusion model (chapter 9): the moving average of its weights that sampling uses, and the raw weights (null when reused).</summary>
/// <param name="Average">The averaged network (saved in the store).</param>
/// <param name="Raw">The network as the optimiser left it; null when loaded.</param>
/// <param name="History">Its epochs.</param>
/// <param name="Seconds">Training time.</param>
/// <param name="Reused">Loaded from the model store instead of trained.</param>
public sealed record DiffusionRun(UNet Average, UNet? Raw, IReadOnlyList<EpochResult> History, double Seconds, bool Reused)
{
    /// <summary>The key the average is saved under.</summary>
    public ModelKey? Key { get; init; }

    /// <summary>A sampler of the averaged network (DDIM, 20 steps), whose scores the yardstick remembers under the model's key.</summary>
    public DiffusionSampler Sampler(NoiseSchedule schedule, string name = "diffusion") => new(Average, schedule, name) { ModelKey = Key?.Hash };
}

/// <summary>
/// A trained latent diffusion model (chapter 10): the first stage that encodes and decodes, the scaled codings the
/// denoiser was trained on (the caller's: the run does not dispose them), and the denoiser's moving average (saved in
/// the store) and raw weights (null when reused).
/// </summary>
/// <param name="FirstStage">The convolutional VAE whose latents the denoiser works on.</param>
/// <param name="Codes">The first stage's scaled codings of the training and validation images.</param>
/// <param name="Average">The averaged denoiser, which sampling uses.</param>
/// <param name="Raw">The denoiser as the optimiser left it; null when loaded.</param>
/// <param name="History">Its epochs.</param>
/// <param name="Seconds">The denoiser's training time.</param>
/// <param name="Reused">Loaded from the model store instead of trained.</param>
public sealed record LatentDiffusionRun(LatentAutoencoder FirstStage, LatentCodes Codes, LatentDenoiser Average, LatentDenoiser? Raw,
    IReadOnlyList<EpochResult> History, double Seconds, bool Reused)
{
    /// <summary>The key the averaged denoiser is saved under (it names the first stage's).</summary>
    public ModelKey? Key { get; init; }

    /// <summary>
    /// A DDIM sampler of the averaged denoiser with guidance <paramref name="guidance"/>, decoding with the first stage;
    /// the yardstick remembers its scores under the denoiser's key. <paramref name="steps"/> DDIM steps, the course's by default.
    /// </summary>
    public GuidedSampler Sampler(NoiseSchedule schedule, double guidance, string? name = null, int steps = CourseSettings.LatentSamplingSteps) =>
        new(Average, FirstStage, Codes, schedule, guidance, name ?? GuidedSampler.NameFor(guidance)) { Steps = steps, ModelKey = Key?.Hash };
}

/// <summary>A row of the model comparison table (chapter 3).</summary>
public sealed record ModelComparisonRow(string Model, long Parameters, int Epochs, double Seconds, double TestBce, double TestMse, double RoundedAccuracy);

/// <summary>
/// Trains, scores and saves the image autoencoders of the course, or reuses saved ones, so every chapter
/// shares one recipe (chapter 2): the settings' optimiser on an <see cref="Objective"/> through
/// <see cref="Trainer"/>,
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
    /// saved under the same key — then scores it on the test set and saves it. Training starts from the weights the
    /// model's constructor draws under the key's <see cref="ModelKey.InitialSeed"/>, whatever its weights were (to
    /// train from weights you set, call <c>Trainer.Fit</c>).
    /// </summary>
    public AutoencoderRun<TModel> Train<TModel>(string name, TModel model, FitSettings settings, Objective? objective = null, bool reuseSaved = false)
        where TModel : nn.Module<Tensor, Tensor>, IConfiguredModel
    {
        objective ??= Objective.BinaryCrossEntropy;
        var key = ModelKey.Of("train", model.GetType().Name, model.Configuration, settings, objective, data.KeyPart);
        if (Reuses(reuseSaved) && Reuse(name, model, key) is { } reused) return reused;

        StartFromKey(name, model, key);
        using var step = ModelStep.Training(model, settings, objective);
        var history = Trainer.Fit(step, data.Train.Images, null, settings, name, data.Validation.Images);
        return Finish(name, model, key, history.Epochs, history.Epochs.Count, history.Seconds);
    }

    /// <summary>
    /// Greedy layer-wise training (chapter 2): one shallow autoencoder per layer, stacked, then fine-tuned
    /// as a whole. The run's seconds include every phase; reused runs have no phases.
    /// </summary>
    public (AutoencoderRun<StackedAutoencoder> Run, IReadOnlyList<GreedyPhase> Phases) Greedy(string name, StackedAutoencoderConfig config,
        FitSettings pretraining, FitSettings fineTuning, bool reuseSaved = false)
    {
        var key = ModelKey.Of("greedy", nameof(StackedAutoencoder), config, pretraining, fineTuning, Objective.BinaryCrossEntropy, data.KeyPart);
        if (Reuses(reuseSaved) && Reuse(name, new StackedAutoencoder(config), key) is { } reused) return (reused, []);

        manual_seed(key.InitialSeed); // each phase's shallow autoencoder is built in turn from here
        var phases = GreedyLayerwise.Pretrain(config.Sizes, config.Hidden, data.Train.Images, pretraining, data.Validation.Images);
        var stacked = StackedAutoencoder.Stack(phases.Select(p => p.Autoencoder).ToList());
        using var step = ModelStep.Training(stacked, fineTuning, Objective.BinaryCrossEntropy);
        var history = Trainer.Fit(step, data.Train.Images, null, fineTuning, $"{name} fine-tuning", data.Validation.Images);
        var seconds = phases.Sum(p => p.History.Seconds) + history.Seconds;
        var epochs = phases.Sum(p => p.History.Epochs.Count) + history.Epochs.Count;
        return (Finish(name, stacked, key, history.Epochs, epochs, seconds), phases);
    }

    /// <summary>
    /// Trains a classifier on the training images and their labels with cross-entropy (chapter 8's yardstick), or
    /// loads it from the store when <paramref name="reuseSaved"/> and it was saved under the same key.
    /// </summary>
    public TrainedModel<TModel> TrainClassifier<TModel>(string name, TModel model, FitSettings settings, bool reuseSaved = false)
        where TModel : nn.Module<Tensor, Tensor>, IConfiguredModel
    {
        var key = ClassifierKey(model, settings);
        if (Reuses(reuseSaved) && store.TryLoad(model, name, key.Hash, log) is { } saved)
        {
            (log ?? Console.Out).WriteLine($"{name}: reusing the weights saved in {store.Folder}.");
            return new TrainedModel<TModel>(name, model, saved.History, saved.Seconds, Reused: true);
        }
        StartFromKey(name, model, key);
        using var step = new ModelStep(model, settings.CreateOptimizer(model.parameters()), Classification.CrossEntropy(model), ownsOptimizer: true);
        // Convolutional activations: keep the validation peak low (the batch size of evaluation leaves the weights alone, so not the key).
        var history = Trainer.Fit(step, data.Train.Images, data.Train.Labels, settings with { EvaluationBatchSize = 500 }, name,
            data.Validation.Images, data.Validation.Labels);
        store.Save(model, new SavedTraining(name, key.Hash, key.Description, history.Epochs.Count, history.Seconds, history.Epochs));
        return new TrainedModel<TModel>(name, model, history.Epochs, history.Seconds, Reused: false);
    }

    /// <summary>
    /// Chapter 8's yardstick for this run's data: its classifier from the store (or trained now with
    /// <paramref name="settings"/> and saved), with the features of the first <paramref name="frechetCount"/> test images.
    /// It remembers the scores of generators trained here in the store (<see cref="ModelStore.Recall"/>), so a later
    /// chapter, or pretrained mode, reads a score instead of sampling thousands of images again.
    /// </summary>
    public GeneratorYardstick Yardstick(FitSettings settings, int frechetCount = 5000)
    {
        var model = new FashionClassifier(FashionClassifierConfig.Course);
        var classifier = TrainClassifier("yardstick-classifier", model, settings, reuseSaved: true).Model;
        return GeneratorYardstick.Of(classifier, data.Test, frechetCount, ClassifierKey(model, settings).Hash, new StoreMemory(store, log));
    }

    private ModelKey ClassifierKey(IConfiguredModel model, FitSettings settings) =>
        ModelKey.Of("classifier", model.GetType().Name, model.Configuration, settings, data.KeyPart);

    // The yardstick's memory is the model store.
    private sealed class StoreMemory(ModelStore store, TextWriter? log) : IScoreMemory
    {
        public T Recall<T>(string identity, Func<T> compute) where T : class => store.Recall(identity, compute, log);
    }

    /// <summary>
    /// Trains a GAN (chapter 8) with the two-player <see cref="AdversarialStep"/> through the course's loop, keeping
    /// images generated from <paramref name="snapshotCount"/> fixed noise vectors after each epoch; the generator is
    /// saved in the store. With <paramref name="reuseSaved"/> a saved generator with the same key is loaded instead.
    /// </summary>
    public GanRun TrainGan(string name, GanConfig config, FitSettings settings, GanObjective? objective = null, bool reuseSaved = false,
        int snapshotCount = 20)
    {
        objective ??= GanObjective.Standard;
        var key = ModelKey.Of("gan", config, settings, objective, data.KeyPart);
        manual_seed(key.InitialSeed);
        var generator = new GanGenerator(config);
        var discriminator = new GanDiscriminator(config);
        using var noiseSource = new Generator((ulong)settings.Seed);
        using var fixedNoise = randn(snapshotCount, config.Codings, generator: noiseSource);
        var discriminatorKey = ModelKey.Of("gan-discriminator", config, settings, objective, data.KeyPart);
        if (Reuses(reuseSaved) && store.TryLoad(generator, name, key.Hash, log) is { } saved)
        {
            (log ?? Console.Out).WriteLine($"{name}: reusing the generator saved in {store.Folder} (trained in {saved.Seconds:F1} s).");
            if (store.TryLoad(discriminator, $"{name}-discriminator", discriminatorKey.Hash, log) is null)
                (log ?? Console.Out).WriteLine($"{name}: no saved discriminator; the run's discriminator is untrained.");
            // The per-epoch images were not saved: the saved generator's images of the same noise stand for the last epoch.
            var last = PixelRange.ToUnit(generator.Predict(fixedNoise)).DetachFromDisposeScope();
            return new GanRun(name, generator, discriminator, saved.History, [last], saved.Seconds, Reused: true) { ModelKey = key.Hash };
        }
        var snapshots = new EpochSnapshots(() => PixelRange.ToUnit(generator.Predict(fixedNoise)));
        using (var step = new AdversarialStep(generator, discriminator, settings, objective))
        {
            var validation = data.Validation.Images.narrow(0, 0, Math.Min(1000, data.Validation.Count));
            var history = Trainer.Fit(step, data.Train.Images, null, settings, name, validation, callbacks: [snapshots]);
            store.Save(generator, new SavedTraining(name, key.Hash, key.Description, history.Epochs.Count, history.Seconds, history.Epochs));
            store.Save(discriminator, new SavedTraining($"{name}-discriminator", discriminatorKey.Hash, discriminatorKey.Description,
                history.Epochs.Count, history.Seconds, history.Epochs));
            return new GanRun(name, generator, discriminator, history.Epochs, snapshots.Snapshots, history.Seconds, Reused: false) { ModelKey = key.Hash };
        }
    }

    /// <summary>
    /// Trains a diffusion model (chapter 9) with the noise-prediction <see cref="Diffusion.DiffusionStep"/> through the
    /// course's loop and returns the moving average of its weights (what sampling uses; saved in the store) and the
    /// trained weights themselves (null when reused); with <paramref name="reuseSaved"/> a saved average with the
    /// same key is loaded instead. <paramref name="weighting"/> weighs the loss over the steps (default: the course's).
    /// </summary>
    public DiffusionRun TrainDiffusion(string name, UNetConfig config, NoiseSchedule schedule, FitSettings settings,
        WeightAverage? averaging = null, bool reuseSaved = false, NoiseWeighting? weighting = null)
    {
        averaging ??= WeightAverage.Course;
        weighting ??= NoiseWeighting.Course;
        var key = ModelKey.Of("diffusion", config, schedule, settings, averaging, weighting, data.KeyPart);
        manual_seed(key.InitialSeed);
        var average = new UNet(config);
        if (Reuses(reuseSaved) && store.TryLoad(average, name, key.Hash, log) is { } saved)
        {
            (log ?? Console.Out).WriteLine($"{name}: reusing the weights saved in {store.Folder} (trained in {saved.Seconds:F1} s).");
            return new DiffusionRun(average, null, saved.History, saved.Seconds, Reused: true) { Key = key };
        }
        var model = new UNet(config);
        using var step = new DiffusionStep(model, average, schedule, settings, averaging, weighting);
        var validation = data.Validation.Images.narrow(0, 0, Math.Min(1000, data.Validation.Count));
        var history = Trainer.Fit(step, data.Train.Images, null, settings, name, validation);
        store.Save(average, new SavedTraining(name, key.Hash, key.Description, history.Epochs.Count, history.Seconds, history.Epochs));
        return new DiffusionRun(average, model, history.Epochs, history.Seconds, Reused: false) { Key = key };
    }

    /// <summary>
    /// Trains the second stage of latent diffusion (chapter 10): a class-conditional <see cref="LatentDenoiser"/> on
    /// <paramref name="codes"/>, the scaled codings of this run's training and validation images by
    /// <paramref name="firstStage"/>'s model (<see cref="LatentCodes.Of"/>), with the
    /// <see cref="ConditionalDiffusionStep"/> through the course's loop; or, with <paramref name="reuseSaved"/>, loads
    /// a saved average with the same key (which names the first stage's).
    /// </summary>
    public LatentDiffusionRun TrainLatentDiffusion(string name, AutoencoderRun<LatentAutoencoder> firstStage, LatentCodes codes,
        LatentDenoiserConfig config, NoiseSchedule schedule, FitSettings settings, ClassDropout? dropout = null,
        WeightAverage? averaging = null, NoiseWeighting? weighting = null, bool reuseSaved = false)
    {
        var firstKey = firstStage.Key ?? throw new ArgumentException($"{firstStage.Name} has no model key: train the first stage with Train(...).", nameof(firstStage));
        if (!ReferenceEquals(codes.FirstStage, firstStage.Model))
            throw new ArgumentException($"These codes were made by another first stage than {firstStage.Name}'s model: make them with LatentCodes.Of({firstStage.Name}'s model, data).", nameof(codes));
        dropout ??= ClassDropout.Course;
        averaging ??= WeightAverage.Course;
        weighting ??= NoiseWeighting.Course;
        var key = ModelKey.Of("latent-diffusion", config, firstKey.Hash, schedule, settings, dropout, averaging, weighting, data.KeyPart);
        manual_seed(key.InitialSeed);
        var average = new LatentDenoiser(config);
        if (Reuses(reuseSaved) && store.TryLoad(average, name, key.Hash, log) is { } saved)
        {
            (log ?? Console.Out).WriteLine($"{name}: reusing the weights saved in {store.Folder} (trained in {saved.Seconds:F1} s).");
            return new LatentDiffusionRun(firstStage.Model, codes, average, null, saved.History, saved.Seconds, Reused: true) { Key = key };
        }
        var model = new LatentDenoiser(config);
        using var step = new ConditionalDiffusionStep(model, average, schedule, settings, dropout, averaging, weighting);
        var history = Trainer.Fit(step, codes.Train, codes.TrainLabels, settings, name, codes.Validation, codes.ValidationLabels);
        store.Save(average, new SavedTraining(name, key.Hash, key.Description, history.Epochs.Count, history.Seconds, history.Epochs));
        return new LatentDiffusionRun(firstStage.Model, codes, average, model, history.Epochs, history.Seconds, Reused: false) { Key = key };
    }

    /// <summary>Number of trainable values in <paramref name="model"/>.</summary>
    public static long CountParameters(nn.Module model) => model.parameters().Sum(p => p.numel());

    // Initial weights from the key, not from what the global generator went through before (a chapter's numbers
    // would otherwise depend on whether an earlier chapter's models were trained or loaded in the same process).
    private void StartFromKey(string name, nn.Module model, ModelKey key)
    {
        if (!CourseModels.Registry.TryInitialise(model, key.InitialSeed))
            (log ?? Console.Out).WriteLine($"{name}: {model.GetType().Name} is not in CourseModels.Registry, so it starts from the weights it was built with.");
    }

    // A reused model is scored again on this run's test set, not trusted from its record.
    private AutoencoderRun<TModel>? Reuse<TModel>(string name, TModel model, ModelKey key) where TModel : nn.Module<Tensor, Tensor>
    {
        if (store.TryLoad(model, name, key.Hash, log) is not { } saved) return null;
        (log ?? Console.Out).WriteLine($"{name}: reusing the weights saved in {store.Folder} (trained in {saved.Seconds:F1} s).");
        return new AutoencoderRun<TModel>(name, model, CountParameters(model), saved.Epochs, saved.Seconds,
            ReconstructionScores.Evaluate(model, data.Test.Images), saved.History, Reused: true) { Key = key };
    }

    private AutoencoderRun<TModel> Finish<TModel>(string name, TModel model, ModelKey key, IReadOnlyList<EpochResult> history,
        int epochs, double seconds) where TModel : nn.Module<Tensor, Tensor>
    {
        var scores = ReconstructionScores.Evaluate(model, data.Test.Images);
        store.Save(model, new SavedTraining(name, key.Hash, key.Description, epochs, seconds, history));
        return new AutoencoderRun<TModel>(name, model, CountParameters(model), epochs, seconds, scores, history, Reused: false) { Key = key };
    }
}
