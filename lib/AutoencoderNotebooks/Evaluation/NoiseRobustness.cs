using AutoencoderNotebooks.Core;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Evaluation;

/// <summary>Reconstruction error against the amount of noise in the inputs at test time (chapter 4).</summary>
public sealed record NoisePoint(double Sigma, double MeanSquaredError);

/// <summary>How well autoencoders clean images that were noised at test time (chapter 4).</summary>
public static class NoiseRobustness
{
    /// <summary>
    /// <paramref name="images"/> plus Gaussian noise of standard deviation <paramref name="sigma"/>, drawn from a
    /// generator seeded with <paramref name="seed"/> so every model sees the same noisy images.
    /// </summary>
    public static Tensor Noisy(Tensor images, double sigma, int seed = 42)
    {
        using var generator = new Generator((ulong)seed);
        using var noise = randn(images.shape, generator: generator);
        return images + noise * sigma;
    }

    /// <summary>
    /// For each σ in <paramref name="sigmas"/>: the MSE between the model's output for the noisy images and the
    /// clean images (in eval mode, without gradients).
    /// </summary>
    public static IReadOnlyList<NoisePoint> ErrorAgainstNoise(nn.Module<Tensor, Tensor> model, Tensor images, IEnumerable<double> sigmas, int seed = 42) =>
        sigmas.Select(sigma =>
        {
            using var scope = NewDisposeScope();
            var output = model.Predict(Noisy(images, sigma, seed));
            return new NoisePoint(sigma, ReconstructionLoss.MeanSquaredError(output, images).item<float>());
        }).ToList();
}
