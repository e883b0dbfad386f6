using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Evaluation;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Adversarial;

/// <summary>A trained GAN (chapter 8): its two players, history, per-epoch samples from fixed noise, and time.</summary>
/// <param name="Name">The run's name.</param>
/// <param name="Generator">The generator.</param>
/// <param name="Discriminator">The discriminator (loaded with the generator when reused; untrained if it was not saved).</param>
/// <param name="History">Losses, D(x) and D(G(z)) per epoch.</param>
/// <param name="Snapshots">Images from the same noise after each epoch, [count, 28, 28] in [0, 1].</param>
/// <param name="Seconds">Training time.</param>
/// <param name="Reused">Loaded from the model store instead of trained.</param>
public sealed record GanRun(string Name, GanGenerator Generator, GanDiscriminator Discriminator, IReadOnlyList<EpochResult> History,
    IReadOnlyList<Tensor> Snapshots, double Seconds, bool Reused) : IImageGenerator
{
    /// <summary>
    /// The snapshots labelled by epoch, for a slider; a reused generator has one, its final images, labelled with
    /// the last epoch of its saved history.
    /// </summary>
    public IReadOnlyList<(string Label, Tensor Images)> SnapshotFrames() => Reused
        ? Snapshots.Select(s => ($"{History.Count} (saved)", s)).ToList()
        : Snapshots.Select((s, i) => ($"{i + 1}", s)).ToList();

    /// <summary>The hash of the generator's model key (null for a generator not trained by <c>AutoencoderRuns</c>).</summary>
    public string? ModelKey { get; init; }

    /// <inheritdoc />
    public string? Identity => ModelKey is null ? null : $"GAN generator key:{ModelKey}, noise N(0, I) in batches of 1000";

    /// <inheritdoc />
    public Tensor Sample(int count, int seed)
    {
        using var generator = new Generator((ulong)seed);
        using var scope = NewDisposeScope();
        var noise = randn(count, Generator.Config.Codings, generator: generator);
        return PixelRange.ToUnit(Generator.Predict(noise, batchSize: 1000)).MoveToOuterDisposeScope();
    }
}

/// <summary>Keeps the images a GAN's generator makes from fixed noise after every epoch (chapter 8: samples per epoch, a slider).</summary>
/// <param name="snapshot">Makes the images; called in the epoch's end, outside any batch scope.</param>
public sealed class EpochSnapshots(Func<Tensor> snapshot) : ITrainingCallback
{
    /// <summary>One set of images per finished epoch.</summary>
    public List<Tensor> Snapshots { get; } = [];

    /// <inheritdoc />
    public void EpochEnded(TrainingContext context, EpochResult epoch) => Snapshots.Add(snapshot().DetachFromDisposeScope());
}
