using System.Text.Json.Serialization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Core;

/// <summary>Optimisers a run can use (chapter 2).</summary>
public enum OptimizerKind
{
    /// <summary>Adam (Kingma &amp; Ba, 2015): the book's default.</summary>
    Adam,

    /// <summary>Adam with decoupled weight decay (Loshchilov &amp; Hutter, 2019).</summary>
    AdamW,

    /// <summary>Stochastic gradient descent with momentum <see cref="FitSettings.Beta1"/>.</summary>
    Sgd,

    /// <summary>Adam with Nesterov momentum (Dozat, 2016): Keras's "nadam", the book's 3rd-edition VAE optimiser.</summary>
    NAdam,
}

/// <summary>
/// How a model is trained (chapter 2): the course's one settings type, read by <see cref="Trainer"/> (epochs, batches,
/// seed, schedule) and by every step that makes an optimiser (<see cref="CreateOptimizer"/>). Chapter presets are values
/// of it that a notebook prints and a learner changes with <c>with { … }</c>. Being a record, it is part of a saved
/// model's key; the optional fields are left out of the key while unset, so adding one never renames older models.
/// </summary>
/// <param name="Epochs">Passes over the training set (or <paramref name="StepsPerEpoch"/> batches each).</param>
/// <param name="BatchSize">Samples per optimiser step.</param>
/// <param name="LearningRate">The optimiser's (initial) learning rate.</param>
/// <param name="Seed">Seeds torch before the first epoch: shuffling and any sampling in the step.</param>
/// <param name="CosineDecay">Lower the learning rate along a cosine to zero over all steps (Loshchilov &amp; Hutter, 2017).</param>
/// <param name="Optimizer">Which optimiser.</param>
/// <param name="Beta1">Adam's first-moment decay (0.5 is the usual choice for GANs), or SGD's momentum.</param>
/// <param name="WeightDecay">L2 penalty (Adam, SGD) or decoupled weight decay (AdamW).</param>
/// <param name="StepsPerEpoch">Batches per epoch, each epoch from a fresh shuffle; null for one full pass. GANs use it to look at their samples more often than once per pass.</param>
/// <param name="EvaluationBatchSize">Batch size of the validation pass; null for 2,048 (no gradients, so it can be large; convolutional models keep it small to bound the memory peak).</param>
/// <param name="Shuffle">Reshuffle the training set every epoch; null for yes.</param>
public sealed record FitSettings(int Epochs, int BatchSize = 128, double LearningRate = 2e-3, int Seed = 42, bool CosineDecay = false,
    OptimizerKind Optimizer = OptimizerKind.Adam, double Beta1 = 0.9, double WeightDecay = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? StepsPerEpoch = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? EvaluationBatchSize = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Shuffle = null)
{
    /// <summary>The validation batch size when <see cref="EvaluationBatchSize"/> is unset.</summary>
    public const int DefaultEvaluationBatchSize = 2048;

    /// <summary>Adam at 2·10⁻⁴ with β₁ = 0.5 (Radford et al., 2016): the usual start for GANs (chapter 8).</summary>
    public static FitSettings Gan(int epochs, int batchSize = 128, int? stepsPerEpoch = null) =>
        new(epochs, batchSize, LearningRate: 2e-4, Beta1: 0.5, StepsPerEpoch: stepsPerEpoch, EvaluationBatchSize: 256);

    /// <summary>AdamW at 2·10⁻³ with weight decay 10⁻⁴ (chapter 9); validation at the training batch size, since a UNet keeps every activation of a batch until its scope ends.</summary>
    public static FitSettings Diffusion(int epochs, int batchSize = 128) =>
        new(epochs, batchSize, Optimizer: OptimizerKind.AdamW, WeightDecay: 1e-4, EvaluationBatchSize: batchSize);

    /// <summary>The settings a chapter prints beside its run: "NAdam, learning rate 0.001, 25 epochs at batch 128".</summary>
    public string Describe() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{Optimizer}, learning rate {LearningRate:G4}{(CosineDecay ? " decayed to 0 along a cosine" : "")}, {Epochs} epochs at batch {BatchSize}");

    /// <summary>A new optimiser over <paramref name="parameters"/>; the caller (a step) disposes it.</summary>
    public optim.Optimizer CreateOptimizer(IEnumerable<Parameter> parameters) => Optimizer switch
    {
        OptimizerKind.Adam => optim.Adam(parameters, LearningRate, beta1: Beta1, weight_decay: WeightDecay),
        OptimizerKind.AdamW => optim.AdamW(parameters, LearningRate, beta1: Beta1, weight_decay: WeightDecay),
        OptimizerKind.Sgd => optim.SGD(parameters, LearningRate, momentum: Beta1, weight_decay: WeightDecay),
        OptimizerKind.NAdam => optim.NAdam(parameters, LearningRate, beta1: Beta1, weight_decay: WeightDecay),
        _ => throw new ArgumentOutOfRangeException(nameof(Optimizer), Optimizer, "Unknown optimiser."),
    };

    /// <summary>Throws for settings the loop cannot run, naming the value.</summary>
    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must be at least 1.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be at least 1.");
        if (StepsPerEpoch is < 1) throw new ArgumentOutOfRangeException(nameof(StepsPerEpoch), StepsPerEpoch, "StepsPerEpoch must be at least 1.");
        if (EvaluationBatchSize is < 1) throw new ArgumentOutOfRangeException(nameof(EvaluationBatchSize), EvaluationBatchSize, "EvaluationBatchSize must be at least 1.");
    }
}
