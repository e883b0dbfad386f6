using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Training;

/// <summary>Optimisers a run can use (chapter 2).</summary>
public enum OptimizerKind
{
    /// <summary>Adam (Kingma &amp; Ba, 2015): the book's default.</summary>
    Adam,

    /// <summary>Adam with decoupled weight decay (Loshchilov &amp; Hutter, 2019).</summary>
    AdamW,

    /// <summary>Stochastic gradient descent with momentum <see cref="FitSettings.Beta1"/>.</summary>
    Sgd,
}

/// <summary>
/// How a model is trained by <see cref="AutoencoderRuns"/> (chapter 2): epochs, batch size, optimiser and its
/// learning rate, seed, schedule. The one place where these become <see cref="TrainingOptions"/> and an optimiser.
/// </summary>
/// <param name="Epochs">Passes over the training set.</param>
/// <param name="BatchSize">Samples per step.</param>
/// <param name="LearningRate">The optimiser's (initial) learning rate.</param>
/// <param name="Seed">Seeds the shuffling and any sampling in the loss.</param>
/// <param name="CosineDecay">Decay the learning rate to zero along a cosine.</param>
/// <param name="Optimizer">Which optimiser.</param>
/// <param name="Beta1">Adam's first-moment decay (0.5 is the usual choice for GANs), or SGD's momentum.</param>
/// <param name="WeightDecay">L2 penalty (Adam, SGD) or decoupled weight decay (AdamW).</param>
public sealed record FitSettings(int Epochs, int BatchSize = 128, double LearningRate = 2e-3, int Seed = 42, bool CosineDecay = false,
    OptimizerKind Optimizer = OptimizerKind.Adam, double Beta1 = 0.9, double WeightDecay = 0)
{
    /// <summary>The loop's options for a run labelled <paramref name="label"/>.</summary>
    public TrainingOptions ToOptions(string label) => new(Epochs, BatchSize, Seed, Label: label, CosineDecay: CosineDecay);

    /// <summary>A new optimiser over <paramref name="parameters"/>; the caller disposes it.</summary>
    public optim.Optimizer CreateOptimizer(IEnumerable<Parameter> parameters) => Optimizer switch
    {
        OptimizerKind.Adam => optim.Adam(parameters, LearningRate, beta1: Beta1, weight_decay: WeightDecay),
        OptimizerKind.AdamW => optim.AdamW(parameters, LearningRate, beta1: Beta1, weight_decay: WeightDecay),
        OptimizerKind.Sgd => optim.SGD(parameters, LearningRate, momentum: Beta1, weight_decay: WeightDecay),
        _ => throw new ArgumentOutOfRangeException(nameof(Optimizer), Optimizer, "Unknown optimiser."),
    };
}
