using AutoencoderNotebooks.Adversarial;
using AutoencoderNotebooks.Autoencoders;
using AutoencoderNotebooks.Checkpoints;
using AutoencoderNotebooks.Contractive;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Data;
using AutoencoderNotebooks.Diffusion;
using AutoencoderNotebooks.Evaluation;
using AutoencoderNotebooks.LatentDiffusion;
using AutoencoderNotebooks.Sparse;
using AutoencoderNotebooks.Variational;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Chapters;

/// <summary>
/// Every model the course saves, with how it is rebuilt from its checkpoint and scored without training (teaching:
/// pretrained weights). The scores are deterministic (seeded, in eval mode) and measured on at most 500 images of
/// the test split they are given (the bundled sample's, for the shipped weights).
/// </summary>
public static class CourseModels
{
    /// <summary>The registry of the course's model types.</summary>
    public static ModelRegistry Registry { get; } = new ModelRegistry()
        .Add((LinearAutoencoderConfig c) => new LinearAutoencoder(c), ReconstructionMse)
        .Add((StackedAutoencoderConfig c) => new StackedAutoencoder(c), ReconstructionMse)
        .Add((StackedAutoencoderConfig c) => new TiedAutoencoder(c), ReconstructionMse)
        .Add((ConvAutoencoderConfig c) => new ConvAutoencoder(c), ReconstructionMse)
        .Add((RecurrentAutoencoderConfig c) => new RecurrentAutoencoder(c), ReconstructionMse)
        .Add((DenoisingAutoencoderConfig c) => new DenoisingAutoencoder(c), ReconstructionMse)
        .Add((SparseAutoencoderConfig c) => new SparseAutoencoder(c), ReconstructionMse)
        .Add((HashingAutoencoderConfig c) => new HashingAutoencoder(c), ReconstructionMse)
        .Add((VariationalAutoencoderConfig c) => new VariationalAutoencoder(c), ReconstructionMse)
        .Add((ContractiveAutoencoderConfig c) => new ContractiveAutoencoder(c), ReconstructionMse)
        .Add((FashionClassifierConfig c) => new FashionClassifier(c), Accuracy)
        .Add((GanConfig c) => new GanGenerator(c), MeanPixelOfSamples)
        .Add((GanConfig c) => new GanDiscriminator(c), ShareCalledReal)
        .Add((UNetConfig c) => new UNet(c), NoisePredictionMse)
        .Add((LatentAutoencoderConfig c) => new LatentAutoencoder(c), ReconstructionMse)
        .Add((LatentDenoiserConfig c) => new LatentDenoiser(c), LatentNoisePredictionMse);

    /// <summary>Reconstruction MSE of an autoencoder (seed 1 for the stochastic ones: a VAE's sampling, a hashing layer's noise).</summary>
    public static ModelScore ReconstructionMse(nn.Module<Tensor, Tensor> autoencoder, ImageSet test)
    {
        using var scope = NewDisposeScope();
        var images = First(test, 500);
        manual_seed(1);
        return new("reconstruction MSE", ReconstructionLoss.MeanSquaredError(autoencoder.Predict(images), images).item<float>());
    }

    /// <summary>Accuracy of the yardstick's classifier (chapter 8).</summary>
    public static ModelScore Accuracy(FashionClassifier classifier, ImageSet test)
    {
        using var scope = NewDisposeScope();
        var images = First(test, 500);
        return new("accuracy", Classification.Accuracy(classifier, images, test.Labels.narrow(0, 0, images.shape[0])));
    }

    /// <summary>A GAN generator takes noise rather than images: the mean pixel of 100 samples from seed 1 (chapter 8).</summary>
    public static ModelScore MeanPixelOfSamples(GanGenerator generator, ImageSet test)
    {
        using var scope = NewDisposeScope();
        using var noise = new Generator(1);
        return new("mean pixel of 100 samples (seed 1)",
            PixelRange.ToUnit(generator.Predict(randn(100, generator.Config.Codings, generator: noise))).mean().item<float>());
    }

    /// <summary>The share of test images a GAN discriminator calls real (chapter 8).</summary>
    public static ModelScore ShareCalledReal(GanDiscriminator discriminator, ImageSet test)
    {
        using var scope = NewDisposeScope();
        return new("test images called real",
            discriminator.Predict(PixelRange.ToSigned(First(test, 500))).gt(0).to_type(ScalarType.Float32).mean().item<float>());
    }

    /// <summary>Noise-prediction MSE of a diffusion network on 100 test images, steps and noise from seed 1 (chapter 9).</summary>
    public static ModelScore NoisePredictionMse(UNet unet, ImageSet test)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(1);
        var x0 = PixelRange.ToSigned(First(test, 100));
        var steps = randint(0, NoiseSchedule.Course.Steps, [x0.shape[0]], generator: generator, dtype: ScalarType.Int64);
        var noise = randn(x0.shape, generator: generator);
        var alphaBars = tensor(NoiseSchedule.Course.AlphaBars(), dtype: ScalarType.Float32).index_select(0, steps);
        using var evaluation = new EvaluationMode(unet);
        using var noGrad = no_grad();
        var predicted = unet.forward(NoiseSchedule.Noise(x0, noise, alphaBars), steps);
        return new("noise-prediction MSE (100 images, seed 1)", nn.functional.mse_loss(predicted, noise).item<float>());
    }

    /// <summary>
    /// A latent denoiser takes latents, not images: its noise-prediction MSE on 100 standard-normal latents, at steps,
    /// noise and classes from seed 1 (chapter 10). Deterministic, so it tells a loaded checkpoint from another.
    /// </summary>
    public static ModelScore LatentNoisePredictionMse(LatentDenoiser denoiser, ImageSet test)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(1);
        var z0 = randn(100, denoiser.Config.LatentChannels, 7, 7, generator: generator);
        var steps = randint(0, NoiseSchedule.Course.Steps, [100], generator: generator, dtype: ScalarType.Int64);
        var classes = randint(0, denoiser.Config.Classes + 1, [100], generator: generator, dtype: ScalarType.Int64);
        var noise = randn(z0.shape, generator: generator);
        var alphaBars = tensor(NoiseSchedule.Course.AlphaBars(), dtype: ScalarType.Float32).index_select(0, steps);
        using var evaluation = new EvaluationMode(denoiser);
        var predicted = denoiser.forward(NoiseSchedule.Noise(z0, noise, alphaBars), steps, classes);
        return new("noise-prediction MSE (100 standard-normal latents, seed 1)", nn.functional.mse_loss(predicted, noise).item<float>());
    }

    private static Tensor First(ImageSet test, int count) => test.Images.narrow(0, 0, Math.Min(count, test.Count));
}
