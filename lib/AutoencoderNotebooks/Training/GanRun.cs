using AutoencoderNotebooks.Models;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Training;

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

    /// <summary>The generator's output [−1, 1] mapped to pixel intensities [0, 1].</summary>
    public static Tensor ToImages(Tensor generated) => (generated + 1) / 2;

    /// <inheritdoc />
    public Tensor Sample(int count, int seed)
    {
        using var generator = new Generator((ulong)seed);
        using var scope = NewDisposeScope();
        var noise = randn(count, Generator.Config.Codings, generator: generator);
        return ToImages(Generator.Predict(noise, batchSize: 1000)).MoveToOuterDisposeScope();
    }
}

/// <summary>Passes progress on and takes a snapshot after every epoch (chapter 8: GAN samples per epoch).</summary>
internal sealed class SnapshotProgress(ITrainingProgress inner, Func<Tensor> snapshot) : ITrainingProgress
{
    /// <summary>One snapshot per finished epoch.</summary>
    public List<Tensor> Snapshots { get; } = [];

    public void Batch(int epoch, int epochs, int batch, int batches, double loss, double samplesPerSecond) =>
        inner.Batch(epoch, epochs, batch, batches, loss, samplesPerSecond);

    public void Epoch(EpochResult result, int epochs)
    {
        inner.Epoch(result, epochs);
        Snapshots.Add(snapshot().DetachFromDisposeScope());
    }

    public void Finished(TrainingHistory history) => inner.Finished(history);
}
