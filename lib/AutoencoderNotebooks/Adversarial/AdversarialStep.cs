using AutoencoderNotebooks.Core;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Adversarial;

/// <summary>
/// What a GAN's discriminator is trained towards (chapter 8): the label of real images in its binary cross-entropy,
/// 1 as in Goodfellow et al. (2014), or e.g. 0.9 for one-sided label smoothing (Salimans et al., 2016). A record, so it
/// is part of the generator's saved key.
/// </summary>
/// <param name="RealLabel">Target for real images in the discriminator's loss.</param>
public sealed record GanObjective(double RealLabel = 1.0)
{
    /// <summary>The original objective: real images labelled 1.</summary>
    public static GanObjective Standard { get; } = new();
}

/// <summary>
/// The two-player step of a GAN (chapter 8; Goodfellow et al., 2014), in two phases per batch, each with its own
/// optimiser made from the run's <see cref="FitSettings"/> (Adam at 2·10⁻⁴, β₁ = 0.5: <see cref="FitSettings.Gan"/>): (1) the discriminator learns to tell the real images (scaled to [−1, 1]) from the generator's
/// fakes; (2) the generator learns to make the discriminator call fresh fakes real (the non-saturating loss
/// −log D(G(z))). Logs both losses and the discriminator's mean outputs D(x) and D(G(z)).
/// </summary>
public sealed class AdversarialStep : TrainingStep
{
    private readonly GanGenerator generator;
    private readonly GanDiscriminator discriminator;
    private readonly optim.Optimizer generatorOptimizer;
    private readonly optim.Optimizer discriminatorOptimizer;
    private readonly GanObjective objective;

    /// <summary>A step for the two players with <paramref name="settings"/>' optimisers (owned and disposed by the step).</summary>
    public AdversarialStep(GanGenerator generator, GanDiscriminator discriminator, FitSettings settings, GanObjective? objective = null)
    {
        this.generator = generator;
        this.discriminator = discriminator;
        this.objective = objective ?? GanObjective.Standard;
        generatorOptimizer = settings.CreateOptimizer(generator.parameters());
        discriminatorOptimizer = settings.CreateOptimizer(discriminator.parameters());
        Modules = [generator, discriminator];
        Optimizers = [generatorOptimizer, discriminatorOptimizer];
    }

    /// <inheritdoc />
    public override IReadOnlyList<nn.Module> Modules { get; }

    /// <inheritdoc />
    public override IReadOnlyList<optim.Optimizer> Optimizers { get; }

    /// <inheritdoc />
    public override LossTerms Train(Tensor inputs, Tensor targets)
    {
        var (discriminatorLoss, realScore, fakeScore) = DiscriminatorPhase(inputs);
        var generatorLoss = GeneratorPhase(inputs.shape[0]);
        return Terms(discriminatorLoss, generatorLoss, realScore, fakeScore);
    }

    /// <summary>Phase 1: one optimiser step of the discriminator only; the fakes are detached from the generator.</summary>
    public (Tensor Loss, Tensor RealScore, Tensor FakeScore) DiscriminatorPhase(Tensor images)
    {
        var real = PixelRange.ToSigned(images);
        Tensor fake;
        using (no_grad()) fake = generator.forward(Noise(real.shape[0]));
        discriminatorOptimizer.zero_grad();
        var realLogits = discriminator.forward(real);
        var fakeLogits = discriminator.forward(fake);
        var loss = GanLosses.Discriminator(realLogits, fakeLogits, objective.RealLabel);
        loss.backward();
        discriminatorOptimizer.step();
        return (loss.detach(), realLogits.detach().sigmoid().mean(), fakeLogits.detach().sigmoid().mean());
    }

    /// <summary>Phase 2: one optimiser step of the generator only (the discriminator's gradients are discarded).</summary>
    public Tensor GeneratorPhase(long count)
    {
        generatorOptimizer.zero_grad();
        var loss = GanLosses.Generator(discriminator.forward(generator.forward(Noise(count))));
        loss.backward();
        generatorOptimizer.step();
        discriminator.zero_grad();
        return loss.detach();
    }

    /// <inheritdoc />
    protected override LossTerms Loss(Tensor inputs, Tensor targets)
    {
        var realLogits = discriminator.forward(PixelRange.ToSigned(inputs));
        var fakeLogits = discriminator.forward(generator.forward(Noise(inputs.shape[0])));
        return Terms(GanLosses.Discriminator(realLogits, fakeLogits, objective.RealLabel), GanLosses.Generator(fakeLogits),
            realLogits.sigmoid().mean(), fakeLogits.sigmoid().mean());
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        generatorOptimizer.Dispose();
        discriminatorOptimizer.Dispose();
    }

    private Tensor Noise(long count) => randn(count, generator.Config.Codings);

    private static LossTerms Terms(Tensor discriminatorLoss, Tensor generatorLoss, Tensor realScore, Tensor fakeScore) =>
        new(discriminatorLoss + generatorLoss, new Dictionary<string, Tensor>
        {
            ["discriminator"] = discriminatorLoss,
            ["generator"] = generatorLoss,
            ["D(x)"] = realScore,
            ["D(G(z))"] = fakeScore,
        });
}

/// <summary>The GAN losses (chapter 8), on the discriminator's logits.</summary>
public static class GanLosses
{
    /// <summary>
    /// The discriminator's binary cross-entropy: real images labelled <paramref name="realLabel"/> (1, or 0.9 with
    /// one-sided label smoothing, Salimans et al., 2016), fakes labelled 0 (Goodfellow et al., 2014, eq. 1).
    /// </summary>
    public static Tensor Discriminator(Tensor realLogits, Tensor fakeLogits, double realLabel = 1.0) =>
        nn.functional.binary_cross_entropy_with_logits(realLogits, full_like(realLogits, realLabel)) +
        nn.functional.binary_cross_entropy_with_logits(fakeLogits, zeros_like(fakeLogits));

    /// <summary>The generator's non-saturating loss −log D(G(z)) (Goodfellow et al., 2014, section 3).</summary>
    public static Tensor Generator(Tensor fakeLogits) =>
        nn.functional.binary_cross_entropy_with_logits(fakeLogits, ones_like(fakeLogits));
}
