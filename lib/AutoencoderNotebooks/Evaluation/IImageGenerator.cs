namespace AutoencoderNotebooks.Evaluation;

/// <summary>Anything that makes new images (chapters 6, 8, 9, 10): a VAE's decoder, a GAN's generator, a diffusion sampler.</summary>
public interface IImageGenerator
{
    /// <summary>A name for tables and charts.</summary>
    string Name { get; }

    /// <summary><paramref name="count"/> new images [count, 28, 28] in [0, 1], reproducibly for a given <paramref name="seed"/>.</summary>
    TorchSharp.torch.Tensor Sample(int count, int seed);

    /// <summary>
    /// Everything that decides its samples, as text: each model it runs as <c>key:&lt;hash&gt;</c> (its
    /// <c>ModelKey</c>) and the sampler's settings. Scores of its samples are remembered under it
    /// (<see cref="GeneratorYardstick.Memory"/>); null when the generator has no saved model, so nothing is remembered.
    /// </summary>
    string? Identity => null;
}

/// <summary>A generator given by a name and a sampling function (chapter 8), e.g. a VAE's <c>Generate</c>.</summary>
/// <param name="Name">The generator's name.</param>
/// <param name="Sampler">(count, seed) → images [count, 28, 28] in [0, 1].</param>
public sealed record NamedGenerator(string Name, Func<int, int, TorchSharp.torch.Tensor> Sampler) : IImageGenerator
{
    /// <inheritdoc />
    public TorchSharp.torch.Tensor Sample(int count, int seed) => Sampler(count, seed);
}
