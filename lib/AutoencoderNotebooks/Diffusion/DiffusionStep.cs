using AutoencoderNotebooks.Core;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Diffusion;

/// <summary>
/// The exponential moving average of a network's weights that sampling uses (chapter 9; Polyak &amp; Juditsky, 1992):
/// θ_avg ← d·θ_avg + (1 − d)·θ after each optimiser step. A record, so it is part of the saved model's key.
/// </summary>
/// <param name="Decay">The decay d (after a warm-up, see <see cref="DiffusionStep"/>).</param>
public sealed record WeightAverage(double Decay = 0.999)
{
    /// <summary>The course's average: d = 0.999.</summary>
    public static WeightAverage Course { get; } = new();

    /// <summary>
    /// θ_avg ← d·θ_avg + (1 − d)·θ for every weight of <paramref name="average"/> and <paramref name="model"/> (Polyak
    /// averaging; the average changes slowly and smooths out the noise of the last steps), with the decay warmed up as
    /// d = min(decay, (1 + n)/(10 + n)) after <paramref name="updates"/> = n updates: without it, 0.999ⁿ of the random
    /// initial weights would stay in the average (18% after 1,720 steps, which ruined samples here).
    /// </summary>
    public void Update(nn.Module average, nn.Module model, int updates)
    {
        var decay = Math.Min(Decay, (1.0 + updates) / (10.0 + updates));
        using var noGrad = no_grad();
        foreach (var (mine, theirs) in average.parameters().Zip(model.parameters()))
            mine.mul_(decay).add_(theirs, alpha: 1 - decay);
    }
}

/// <summary>
/// The noise-prediction step of a diffusion model (chapter 9; Ho et al., 2020): for each image x₀ of the batch
/// (scaled to [−1, 1]) draw a step t uniformly and noise ε ~ N(0, I), form x_t = √ᾱ_t x₀ + √(1 − ᾱ_t) ε, and
/// minimise w_t ‖ε − ε_θ(x_t, t)‖², with the step's weight w_t from a <see cref="NoiseWeighting"/> (the course's:
/// min-SNR, Hang et al., 2023); the unweighted error is logged beside it as "noise mse". After each optimiser step,
/// an exponential moving average of the weights is updated; sampling uses that copy.
/// </summary>
public sealed class DiffusionStep : TrainingStep
{
    private readonly UNet model;
    private readonly UNet average;
    private readonly optim.Optimizer optimizer;
    private readonly Tensor alphaBars;
    private readonly WeightAverage averaging;
    private readonly NoiseWeighting weighting;
    private readonly int steps;
    private int updates;

    /// <summary>
    /// A step that trains <paramref name="model"/> and keeps its average in <paramref name="average"/> (same config),
    /// with <paramref name="weighting"/> (default: <see cref="NoiseWeighting.Course"/>).
    /// </summary>
    public DiffusionStep(UNet model, UNet average, NoiseSchedule schedule, FitSettings settings, WeightAverage? averaging = null,
        NoiseWeighting? weighting = null)
    {
        this.model = model;
        this.average = average;
        this.averaging = averaging ?? WeightAverage.Course;
        this.weighting = weighting ?? NoiseWeighting.Course;
        steps = schedule.Steps;
        alphaBars = tensor(schedule.AlphaBars()).to_type(ScalarType.Float32).DetachFromDisposeScope();
        optimizer = settings.CreateOptimizer(model.parameters());
        CopyWeights(model, average);
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
        UpdateAverage();
        return loss;
    }

    /// <summary>The noise-prediction loss of a batch, each image at its own random step, weighted by its step.</summary>
    protected override LossTerms Loss(Tensor inputs, Tensor targets)
    {
        var x0 = PixelRange.ToSigned(inputs).reshape(inputs.shape[0], 28, 28);
        var t = randint(0, steps, [x0.shape[0]], dtype: ScalarType.Int64);
        var noise = randn_like(x0);
        var alphaBarsAtT = alphaBars.index_select(0, t);
        var noisy = NoiseSchedule.Noise(x0, noise, alphaBarsAtT);
        var errors = NoiseLosses.PerImageError(model.forward(noisy, t), noise);
        var weighted = (weighting.Weights(alphaBarsAtT) * errors).mean();
        return new LossTerms(weighted, new Dictionary<string, Tensor> { ["noise mse"] = errors.mean() });
    }

    /// <summary>One update of the moving average (<see cref="WeightAverage.Update"/>).</summary>
    private void UpdateAverage() => averaging.Update(average, model, updates++);

    /// <summary>Copies every weight of <paramref name="from"/> into <paramref name="to"/>.</summary>
    public static void CopyWeights(nn.Module from, nn.Module to)
    {
        using var noGrad = no_grad();
        foreach (var (target, source) in to.parameters().Zip(from.parameters())) target.copy_(source);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        optimizer.Dispose();
        alphaBars.Dispose();
    }
}
