using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Diffusion;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.LatentDiffusion;

/// <summary>
/// How often training hides the class (chapter 10; Ho &amp; Salimans, 2022, sect. 3.2): each label is replaced by
/// "no class" with probability p, so the one network also learns the unconditional model that guidance needs.
/// A record, so it is part of the saved model's key.
/// </summary>
/// <param name="Probability">p, the share of labels dropped (the paper tries 0.1 and 0.2).</param>
public sealed record ClassDropout(double Probability)
{
    /// <summary>The course's dropout: p = 0.15.</summary>
    public static ClassDropout Course { get; } = new(0.15);

    /// <summary>
    /// <paramref name="labels"/> with each replaced by <paramref name="noClass"/> with probability p (one uniform draw
    /// per label from the global generator).
    /// </summary>
    public Tensor Apply(Tensor labels, long noClass) =>
        where(rand(labels.shape[0]).lt(Probability), full_like(labels, noClass), labels);
}

/// <summary>
/// The noise-prediction step of class-conditional latent diffusion (chapter 10): chapter 9's step on the scaled
/// latents z₀ of the first stage — draw t and ε, form z_t = √ᾱ_t z₀ + √(1 − ᾱ_t) ε, minimise the weighted
/// w_t ‖ε − ε_θ(z_t, t, y)‖² — with the class y given to the network and hidden with <see cref="ClassDropout"/>.
/// Inputs are the latents, targets their labels. The moving average of the weights is what sampling uses.
/// </summary>
public sealed class ConditionalDiffusionStep : TrainingStep
{
    private readonly LatentDenoiser model;
    private readonly LatentDenoiser average;
    private readonly optim.Optimizer optimizer;
    private readonly Tensor alphaBars;
    private readonly WeightAverage averaging;
    private readonly NoiseWeighting weighting;
    private readonly ClassDropout dropout;
    private readonly int steps;
    private int updates;

    /// <summary>
    /// A step that trains <paramref name="model"/> and keeps its average in <paramref name="average"/> (same config),
    /// dropping labels with <paramref name="dropout"/> and weighing the steps with <paramref name="weighting"/>.
    /// </summary>
    public ConditionalDiffusionStep(LatentDenoiser model, LatentDenoiser average, NoiseSchedule schedule, FitSettings settings,
        ClassDropout dropout, WeightAverage averaging, NoiseWeighting weighting)
    {
        this.model = model;
        this.average = average;
        this.dropout = dropout;
        this.averaging = averaging;
        this.weighting = weighting;
        steps = schedule.Steps;
        alphaBars = tensor(schedule.AlphaBars()).to_type(ScalarType.Float32).DetachFromDisposeScope();
        optimizer = settings.CreateOptimizer(model.parameters());
        DiffusionStep.CopyWeights(model, average);
        Modules = [model];
        Optimizers = [optimizer];
    }

    /// <inheritdoc />
    public override IReadOnlyList<nn.Module> Modules { get; }

    /// <inheritdoc />
    public override IReadOnlyList<optim.Optimizer> Optimizers { get; }

    /// <inheritdoc />
    public override LossTerms Train(Tensor inputs, Tensor targets)
    {
        optimizer.zero_grad();
        var loss = Loss(inputs, targets);
        loss.Total.backward();
        optimizer.step();
        averaging.Update(average, model, updates++);
        return loss;
    }

    /// <summary>The weighted noise-prediction loss of a batch of latents, each at its own step, some without their class.</summary>
    protected override LossTerms Loss(Tensor inputs, Tensor targets)
    {
        var t = randint(0, steps, [inputs.shape[0]], dtype: ScalarType.Int64);
        var noise = randn_like(inputs);
        var alphaBarsAtT = alphaBars.index_select(0, t);
        var noisy = NoiseSchedule.Noise(inputs, noise, alphaBarsAtT);
        var classes = dropout.Apply(targets, model.Config.NoClass);
        var errors = NoiseLosses.PerImageError(model.forward(noisy, t, classes), noise);
        var weighted = (weighting.Weights(alphaBarsAtT) * errors).mean();
        return new LossTerms(weighted, new Dictionary<string, Tensor> { ["noise mse"] = errors.mean() });
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        optimizer.Dispose();
        alphaBars.Dispose();
    }
}
